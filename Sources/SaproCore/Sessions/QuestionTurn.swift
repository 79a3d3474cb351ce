import Foundation

/// One question being asked, as a state machine: it takes each line the user types and says what
/// happens (an answer graded, a hint to show, a command), without reading or printing anything
/// itself. The drill, the practice quiz and a taken quiz file all ask through it; the terminal
/// only renders its responses.
public struct QuestionTurn: Sendable {
    public let question: Question
    /// Whether `undo` takes back the previous answer (drills); elsewhere it is explained.
    public let canUndo: Bool
    /// Whether `rate N` re-rates the previous answer (drills).
    public let canRerate: Bool
    /// Hints shown so far.
    public private(set) var hintsGiven = 0
    /// A recall card whose answer has been revealed, waiting for the user's rating of their recall.
    public private(set) var awaitingSelfRating = false
    /// What the user typed before the answer of a recall card was revealed.
    private var recalled = ""

    public init(_ question: Question, canUndo: Bool = false, canRerate: Bool = false) {
        self.question = question
        self.canUndo = canUndo
        self.canRerate = canRerate
    }

    /// What a line typed at the question does.
    public enum Response: Sendable, Equatable {
        /// Show this and read the next line.
        case say(String)
        /// Show a hint (`first`: the first one, with the note that it caps the rating at Hard).
        case hint(String, first: Bool)
        /// Show the worked answer; the question is over, counted as a miss.
        case explain
        /// A recall card: show its answer, then ask how well it was recalled.
        case reveal
        /// The answer, graded; `hints` were shown before it.
        case answered(Grade, input: String, hints: Int)
        /// Re-rate the previous answer with this rating (1–4).
        case rerate(Int)
        case flag
        case skip
        case undo
        case quit
    }

    public static let helpText = """
        Inside a question: type your answer, or skip, hint, explain, flag, rate N (change the last \
        rating), undo (take back the last answer, in drills), quit. Ctrl-C leaves the question \
        ungraded and goes on; Ctrl-C twice in a row leaves the session.
        """

    /// The prompt to read the next line with.
    public var prompt: String {
        awaitingSelfRating ? "How well did you recall it? 1 again, 2 hard, 3 good, 4 easy: " : "answer> "
    }

    /// What `line` does.
    public mutating func handle(_ line: String) -> Response {
        let trimmed = String(line.prefix(2000)).trimmingWhitespace()
        let command = trimmed.lowercased()
        if awaitingSelfRating {
            if command == "quit" || command == "exit" { return .quit }
            if command == "skip" { return .skip }
            guard let rating = SelfRating(parsing: trimmed) else { return .say("Please rate 1 to 4 (again, hard, good, easy).") }
            awaitingSelfRating = false
            return .answered(question.body.grade(rating: rating), input: recalled, hints: 0)
        }
        switch command {
        case "skip": return .skip
        case "quit", "exit": return .quit
        case "help", "?": return .say(Self.helpText)
        case "undo":
            if canUndo { return .undo }
            return .say(
                canRerate
                    ? "Nothing answered yet in this drill."
                    : "Answers here are not scheduled; 'undo' at the sapro> prompt takes back the last saved answer.")
        case "hint":
            guard case .generator = question.source else {
                return .say("Hints come from computed questions; 'explain' shows this one's answer.")
            }
            guard hintsGiven < question.explanation.count - 1 else {
                return .say("No more hints; 'explain' shows the worked answer.")
            }
            hintsGiven += 1
            return .hint(question.explanation[hintsGiven - 1], first: hintsGiven == 1)
        case "explain": return .explain
        case "flag": return .flag
        default: break
        }
        if command == "rate" || command.hasPrefix("rate ") {
            guard canRerate else { return .say("Nothing to re-rate here.") }
            guard let value = Int(command.dropFirst(4).trimmingWhitespace()), (1...4).contains(value) else {
                return .say("Usage: rate N, with N from 1 (again) to 4 (easy).")
            }
            return .rerate(value)
        }
        if case .recall = question.body {
            recalled = trimmed
            awaitingSelfRating = true
            return .reveal
        }
        let grade = question.grade(trimmed)
        if case .wrongShape = grade { return .say(grade.message + " Try again (or 'skip').") }
        return .answered(grade, input: trimmed, hints: hintsGiven)
    }
}

/// Ctrl-C at a question leaves it ungraded; a second one straight after leaves the session.
public struct InterruptTracker: Sendable {
    private var last = false

    public init() {}

    /// Call after each question with whether it ended in Ctrl-C; true when the session should
    /// end (the second Ctrl-C in a row).
    public mutating func leaves(interrupted: Bool) -> Bool {
        defer { last = interrupted }
        return interrupted && last
    }
}
