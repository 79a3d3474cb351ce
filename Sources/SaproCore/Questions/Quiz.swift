import Foundation

/// A fixed list of questions drawn from one seed.
public struct Quiz: Sendable, Hashable {
    /// The seed that reproduces the quiz with the same builder inputs.
    public var seed: UInt64
    public var questions: [Question]
    /// For an exam form, the indices of its unscored items: the JSON then says of every item
    /// whether it is `scored`. `nil` for a plain quiz.
    public var unscored: Set<Int>?

    public init(seed: UInt64, questions: [Question], unscored: Set<Int>? = nil) {
        self.seed = seed
        self.questions = questions
        self.unscored = unscored
    }
}

/// Errors from building, exporting or importing quizzes.
public enum QuizError: Error, Sendable, Equatable, LocalizedError {
    /// `count` must be at least 1.
    case badCount(Int)
    /// The filters leave nothing to ask.
    case noMatchingQuestions(topics: [String], generators: [String])
    /// Only fixed questions match, and fewer than asked for.
    case notEnoughQuestions(requested: Int, available: Int)
    /// A generator failed (unknown id, or no eligible instance types).
    case generator(GeneratorError)
    /// A saved quiz file that cannot be read back; `question` is 1-based, or `nil` for the file.
    case badQuizFile(reason: String, question: Int?)

    public var errorDescription: String? {
        switch self {
        case let .badCount(count):
            return "the question count must be at least 1, not \(count)"
        case let .noMatchingQuestions(topics, generators):
            var filters: [String] = []
            if !topics.isEmpty { filters.append("topic \(topics.joined(separator: ", "))") }
            if !generators.isEmpty { filters.append("generator \(generators.joined(separator: ", "))") }
            return "no questions match \(filters.isEmpty ? "(no sources given)" : filters.joined(separator: " and "))"
        case let .notEnoughQuestions(requested, available):
            return "asked for \(requested) questions but only \(available) match; lower --count or widen the filters"
        case let .generator(error):
            return error.localizedDescription
        case let .badQuizFile(reason, question):
            return question.map { "question \($0): \(reason)" } ?? reason
        }
    }
}

/// Errors from scenario generators (defined with the questions they make, so that quiz errors
/// can carry them without the question layer knowing the generators).
public enum GeneratorError: Error, Sendable, Equatable, LocalizedError {
    /// No generator has this id (`known` are the ids there are).
    case unknownGenerator(String, suggestions: [String], known: [String])
    /// The catalog holds no instance type this generator may use.
    case noEligibleInstanceTypes(generator: String, requirement: String)
    /// A rule refused its input; a bug in a generator's choice of parameters.
    case facts(FactsError)

    public var errorDescription: String? {
        switch self {
        case let .unknownGenerator(id, suggestions, known):
            let hint = suggestions.isEmpty ? "" : "; did you mean \(suggestions.joined(separator: ", "))?"
            return "unknown generator '\(id)'\(hint) (known: \(known.joined(separator: ", ")))"
        case let .noEligibleInstanceTypes(generator, requirement):
            return "\(generator): the instance catalog has no type that is \(requirement)"
        case let .facts(error):
            return error.localizedDescription
        }
    }
}

extension QuestionBody {
    /// How to answer, in one line.
    public var answerHint: String {
        switch self {
        case .numeric: "Type a number."
        case .singleChoice: "Type one letter."
        case let .multipleChoice(_, correct):
            "Type \(correct.count) letters, e.g. \((0..<correct.count).map(Self.letter).joined(separator: ", "))."
        case let .ordering(items, _):
            "Type all \(items.count) item numbers (or letters) in the right order, separated by spaces."
        case .recall: "Recall the answer, then reveal it and rate yourself."
        }
    }

    /// The options as shown: `a) …` for choices, `1. …` for ordering items; empty otherwise.
    public var optionLines: [String] {
        switch self {
        case let .singleChoice(choices, _), let .multipleChoice(choices, _):
            choices.enumerated().map { "\(Self.letter($0.offset))) \($0.element.text)" }
        case let .ordering(items, _):
            items.enumerated().map { "\($0.offset + 1). \($0.element)" }
        case .numeric, .recall:
            []
        }
    }
}

extension Question {
    /// The main topic: the first of `topics`, or an empty string.
    public var primaryTopic: String { topics.first ?? "" }

    /// The generator id for generated questions.
    public var generatorID: String? {
        if case let .generator(id, _) = source { return id }
        return nil
    }
}
