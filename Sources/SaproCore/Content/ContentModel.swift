/// Where something came from: a file and a 1-based line.
public struct SourceLocation: Sendable, Hashable, Codable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }
    public var description: String { "\(file):\(line)" }
}

/// A correction attached to statements of a document that are wrong.
public struct Erratum: Sendable, Hashable, Codable {
    /// Stable id, e.g. `max-pods-formula`.
    public var id: String
    /// Passages of the document this corrects; a statement containing any of them gets the erratum.
    public var quotes: [String]
    /// What is right instead.
    public var correction: String
    /// Where the right fact comes from.
    public var source: String?
    /// Limits the erratum to one document file name; `nil` means every document.
    public var document: String?
    /// Where the erratum is written.
    public var location: SourceLocation
}

/// What kind of statement a fact is.
public enum FactKind: String, Sendable, Hashable, Codable {
    /// A "What It Is" style definition: a bold label followed by its text.
    case definition
    /// A bullet with a bold label: `**Security:** Each task …`.
    case labelled
    /// A ✅ item: a situation the topic fits.
    case fit
    /// A ❌ item: a situation the topic does not fit.
    case notFit = "not-fit"
    /// A plain bullet.
    case statement
}

/// One fact from a document.
public struct Fact: Sendable, Hashable, Codable {
    /// Stable id: topic id, `#`, a slug of the label or the text.
    public var id: String
    public var topicID: String
    public var kind: FactKind
    /// The bold label (`Security`), if any.
    public var label: String?
    /// The caption the fact sits under (`Key Characteristics`, `When to Use awsvpc`), if any.
    public var group: String?
    public var text: String
    public var location: SourceLocation
    public var errata: [Erratum] = []
    /// How deep in nested lists the item sits (0 for a top-level bullet), for `read`.
    public var depth: Int = 0
}

/// A question the note asks itself: a `Q:` / `A:` pair, a quiz item answered by the note's
/// answer key, or a practice question with lettered options and a marked or stated answer.
public struct NoteQuestion: Sendable, Hashable, Codable {
    public var id: String
    public var topicID: String
    public var prompt: String
    /// The lettered options in order; empty for a question answered in words.
    public var options: [String] = []
    /// Indices of the right options.
    public var correct: [Int] = []
    /// The answer in words, for a question without options.
    public var answer: String?
    /// The note's explanation, when it gives one.
    public var explanation: String?
    public var location: SourceLocation
    public var errata: [Erratum] = []

    /// True when the note gives what the question needs to be graded.
    public var isAnswered: Bool { options.isEmpty ? !(answer ?? "").isEmpty : !correct.isEmpty }
}

/// A table with its header and rows, as plain text cells.
public struct ContentTable: Sendable, Hashable, Codable {
    public var id: String
    public var topicID: String
    /// The caption above the table, or the topic's title.
    public var caption: String
    public var header: [String]
    public var rows: [[String]]
    public var location: SourceLocation
    public var errata: [Erratum] = []
}

/// A fenced code sample (or a text diagram when it has no language).
public struct CodeSample: Sendable, Hashable, Codable {
    public var id: String
    public var topicID: String
    public var caption: String?
    /// The fence's language (`json`, `yaml`, `bash`); `nil` for diagrams.
    public var language: String?
    public var code: String
    public var location: SourceLocation
    public var errata: [Erratum] = []
}

/// An ordered list of plain steps, such as a traffic flow.
public struct Flow: Sendable, Hashable, Codable {
    public var id: String
    public var topicID: String
    public var caption: String
    public var steps: [String]
    public var location: SourceLocation
    public var errata: [Erratum] = []
}

/// One line of a decision tree: a question, or an answer leading to an outcome, with what follows.
public struct DecisionNode: Sendable, Hashable, Codable {
    /// The line as written, without the tree drawing.
    public var text: String
    /// For `YES -> Use EKS`: `YES`.
    public var answer: String?
    /// For `YES -> Use EKS`: `Use EKS`.
    public var outcome: String?
    public var children: [DecisionNode]
    public var line: Int

    /// True when the line asks something (`…?`) rather than answering.
    public var isQuestion: Bool { answer == nil && text.hasSuffix("?") }
}

/// A decision tree drawn with `├──` / `└──` in a text block.
public struct DecisionTree: Sendable, Hashable, Codable {
    public var id: String
    public var topicID: String
    public var roots: [DecisionNode]
    public var location: SourceLocation
    public var errata: [Erratum] = []

    /// True for a real decision: questions (`…?`) whose answers lead (`YES -> …`) to at least two
    /// outcomes. A box drawing of a hierarchy is a diagram, not a tree to follow.
    public var isDecision: Bool {
        let asked = paths.filter { path in
            !path.steps.isEmpty
                && path.steps.allSatisfy { $0.question.hasSuffix("?") || $0.question.hasSuffix("？") }
        }
        return Set(asked.map(\.outcome)).count >= 2
    }

    /// Every path from a root question to an outcome: the (question, answer) pairs taken, then the outcome.
    public var paths: [(steps: [(question: String, answer: String)], outcome: String)] {
        var result: [(steps: [(question: String, answer: String)], outcome: String)] = []
        func walk(_ node: DecisionNode, question: String?, trail: [(question: String, answer: String)]) {
            if let answer = node.answer, let question {
                let trail = trail + [(question, answer)]
                if node.children.isEmpty, let outcome = node.outcome {
                    result.append((trail, outcome))
                }
                for child in node.children { walk(child, question: nil, trail: trail) }
            } else {
                for child in node.children { walk(child, question: node.text, trail: trail) }
            }
        }
        for root in roots { walk(root, question: nil, trail: []) }
        return result
    }
}

/// One block of a topic, in document order; what `read` renders.
public enum ContentBlock: Sendable, Hashable, Codable {
    case text(String)
    case caption(String)
    case fact(Fact)
    case table(ContentTable)
    case code(CodeSample)
    case flow(Flow)
    case decisionTree(DecisionTree)
    case question(NoteQuestion)
}

/// A section of a document: a heading and what stands under it until the next heading.
public struct Topic: Sendable, Hashable, Codable, Identifiable {
    /// Slug path, e.g. `amazon-ecs-networking/network-modes/host-mode`. A document's top heading
    /// takes the file's name without extension.
    public var id: String
    public var title: String
    public var level: Int
    public var parentID: String?
    public var childIDs: [String]
    public var location: SourceLocation
    public var blocks: [ContentBlock]
}
