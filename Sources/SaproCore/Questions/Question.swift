/// One answer option of a choice question.
public struct Choice: Sendable, Hashable, Codable {
    /// The option's text.
    public var text: String
    /// Why this option is right or wrong; shown after grading.
    public var explanation: String?
    /// For a computed distractor: the named misconception that produces it.
    public var misconception: Misconception?

    public init(text: String, explanation: String? = nil, misconception: Misconception? = nil) {
        self.text = text
        self.explanation = explanation
        self.misconception = misconception
    }
}

/// A named wrong way of computing an answer; a distractor built from one tells the user which it was.
public struct Misconception: Sendable, Hashable, Codable {
    /// Stable id, e.g. `document-max-pods-formula`.
    public var id: String
    /// What the user believed, in a sentence.
    public var summary: String

    public init(id: String, summary: String) {
        self.id = id
        self.summary = summary
    }
}

/// What a question asks for and what counts as right. One case per kind, so rendering and
/// grading are exhaustive.
public enum QuestionBody: Sendable, Hashable, Codable {
    /// A typed whole number.
    case numeric(answer: Int, unit: String?)
    /// One of `choices`; `correct` indexes into it.
    case singleChoice(choices: [Choice], correct: Int)
    /// Exactly the set `correct` (all or nothing); the prompt says how many to choose.
    case multipleChoice(choices: [Choice], correct: [Int])
    /// `items` as shown; `order` lists their indices in the right order.
    case ordering(items: [String], order: [Int])
    /// Reveal the answer, then the user rates their own recall.
    case recall(answer: String)

    /// The kind's name as it appears in exported quizzes.
    public var kind: QuestionKind {
        switch self {
        case .numeric: .numeric
        case .singleChoice: .singleChoice
        case .multipleChoice: .multipleChoice
        case .ordering: .ordering
        case .recall: .recall
        }
    }
}

/// The kinds of question.
public enum QuestionKind: String, Sendable, Hashable, Codable, CaseIterable {
    case numeric
    case singleChoice = "single-choice"
    case multipleChoice = "multiple-choice"
    case ordering
    case recall
}

/// The four content domains of the AWS Certified Solutions Architect – Professional exam
/// (SAP-C02 exam guide), with their weights.
public enum ExamDomain: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case organizationalComplexity = "organizational-complexity"
    case newSolutions = "new-solutions"
    case continuousImprovement = "continuous-improvement"
    case migrationModernization = "migration-modernization"

    /// The exam guide's name.
    public var title: String {
        switch self {
        case .organizationalComplexity: "Design Solutions for Organizational Complexity"
        case .newSolutions: "Design for New Solutions"
        case .continuousImprovement: "Continuous Improvement for Existing Solutions"
        case .migrationModernization: "Accelerate Workload Migration and Modernization"
        }
    }

    /// Its share of the scored questions, in percent (26, 29, 25, 20).
    public var weight: Int {
        switch self {
        case .organizationalComplexity: 26
        case .newSolutions: 29
        case .continuousImprovement: 25
        case .migrationModernization: 20
        }
    }

    /// Domain 1 to 4.
    public var number: Int { Self.allCases.firstIndex(of: self)! + 1 }

    public static func < (a: ExamDomain, b: ExamDomain) -> Bool { a.number < b.number }
}

/// Where a question came from.
public enum QuestionSource: Sendable, Hashable, Codable {
    /// A scenario generator, with the seed that reproduces the question.
    case generator(id: String, seed: UInt64)
    /// A card derived from the content library.
    case card(id: String)
    /// A hand-written bank question.
    case bank(file: String, id: String)
}

/// A question of any kind, with everything needed to ask, grade and explain it.
public struct Question: Sendable, Hashable, Codable, Identifiable {
    /// Stable id: for generated questions `generator:seed`, for cards the card id,
    /// for bank questions the bank id.
    public var id: String
    public var source: QuestionSource
    public var prompt: String
    public var body: QuestionBody
    /// The worked explanation, one step per element.
    public var explanation: [String]
    /// Content topic ids this question drills.
    public var topics: [String]
    /// Generator parameters (empty for cards and banks).
    public var params: [String: JSONValue]
    /// The computed number for numeric generators, whatever the rendering.
    public var value: Int?
    /// A correction to the source document that applies to this question.
    public var erratum: String?
    /// The SAP-C02 domain it belongs to (bank questions and generated ones; cards have none).
    public var domain: ExamDomain?

    public init(
        id: String, source: QuestionSource, prompt: String, body: QuestionBody,
        explanation: [String], topics: [String], params: [String: JSONValue] = [:],
        value: Int? = nil, erratum: String? = nil, domain: ExamDomain? = nil
    ) {
        self.id = id
        self.source = source
        self.prompt = prompt
        self.body = body
        self.explanation = explanation
        self.topics = topics
        self.params = params
        self.value = value
        self.erratum = erratum
        self.domain = domain
    }

    public var kind: QuestionKind { body.kind }
}

/// What a question may hold: enough for any real question, small enough that nothing that reads,
/// shows or grades one runs out of letters or memory. Every reader of questions from a file
/// (quiz files, banks) refuses more, with a message.
public enum QuestionLimits {
    /// Options are answered by letter, `a` to `z`.
    public static let choices = 26
    /// Characters in a prompt, an option, an answer or an explanation.
    public static let text = 20_000
    /// Topics of one question.
    public static let topics = 64
    /// Questions in one quiz file.
    public static let questionsPerFile = 1_000_000
}
