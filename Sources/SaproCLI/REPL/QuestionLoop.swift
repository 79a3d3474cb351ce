import Foundation
import SaproCore

/// Asks one question at the terminal (or pipe) and returns what the user did. Inside a question:
/// `skip`, `hint`, `explain`, `flag`, `rate N`, `undo`, `quit`; an answer of the wrong shape is
/// asked again. Answers stay out of the command history.
struct QuestionLoop {
    enum Outcome {
        /// `hints`: how many hints were shown before the answer.
        case answered(Grade, input: String, seconds: Double, hints: Int)
        /// The user asked for the explanation instead of answering.
        case explained(seconds: Double)
        case skipped
        /// `undo`: the caller takes back its last saved answer (only offered where `undo` is set).
        case undo
        case quit
        /// Ctrl-C: the question is left ungraded.
        case interrupted
        case endOfInput
    }

    let app: App
    /// Called for `rate N` (change the rating of the previous answer); returns a message.
    var rerate: ((Int) -> String)?
    /// Called for `flag`.
    var flag: ((Question) -> String)?
    /// Whether `undo` inside the question takes back the previous answer (drills); elsewhere it
    /// is explained, never taken as an answer.
    var canUndo = false

    static let helpText = """
        Inside a question: type your answer, or skip, hint, explain, flag, rate N (change the last \
        rating), undo (take back the last answer, in drills), quit. Ctrl-C leaves the question \
        ungraded and goes on; Ctrl-C twice in a row leaves the session.
        """

    func ask(_ question: Question, header: String) -> Outcome {
        print("")
        print(app.style.bold(header))
        print(QuestionText.prompt(question, width: app.width))
        let started = Date()
        var hintsGiven = 0
        while true {
            let input = app.reader.read(prompt: "answer> ", remember: false)
            let line: String
            switch input {
            case .interrupted: return .interrupted
            case .endOfInput: return .endOfInput
            case .line(let l): line = String(l.prefix(2000))
            }
            let trimmed = line.trimmingWhitespace()
            let command = trimmed.lowercased()
            switch command {
            case "skip": return .skipped
            case "quit", "exit": return .quit
            case "help", "?":
                print(Self.helpText)
                continue
            case "undo":
                if canUndo { return .undo }
                print(rerate == nil
                    ? "Answers here are not scheduled; 'undo' at the sapro> prompt takes back the last saved answer."
                    : "Nothing answered yet in this drill.")
                continue
            case "hint":
                if hintsGiven < question.explanation.count - 1, case .generator = question.source {
                    print("Hint: " + question.explanation[hintsGiven])
                    hintsGiven += 1
                    if hintsGiven == 1 { print(app.style.dim("(With a hint, a right answer is rated at most Hard.)")) }
                } else if case .generator = question.source {
                    print("No more hints; 'explain' shows the worked answer.")
                } else {
                    print("Hints come from computed questions; 'explain' shows this one's answer.")
                }
                continue
            case "explain":
                if case .recall = question.body {
                    print("The answer is:")
                    print(QuestionText.reveal(question, width: app.width).split(separator: "\n").dropFirst().joined(separator: "\n"))
                } else {
                    print("The answer is \(question.body.expectedAnswerText).")
                    let steps = QuestionText.feedback(question, grade: .correct, width: app.width)
                        .split(separator: "\n", omittingEmptySubsequences: false).dropFirst()
                    if !steps.isEmpty { print(steps.joined(separator: "\n")) }
                }
                return .explained(seconds: Date().timeIntervalSince(started))
            case "flag":
                print(flag?(question) ?? "Flagged.")
                continue
            default:
                break
            }
            if command.hasPrefix("rate ") || command == "rate" {
                let value = Int(command.dropFirst(4).trimmingWhitespace())
                if let value, (1...4).contains(value), let rerate {
                    print(rerate(value))
                } else if rerate == nil {
                    print("Nothing to re-rate here.")
                } else {
                    print("Usage: rate N, with N from 1 (again) to 4 (easy).")
                }
                continue
            }
            if case .recall = question.body {
                print(QuestionText.reveal(question, width: app.width))
                let seconds = Date().timeIntervalSince(started)
                while true {
                    let r = app.reader.read(prompt: "How well did you recall it? 1 again, 2 hard, 3 good, 4 easy: ", remember: false)
                    switch r {
                    case .interrupted: return .interrupted
                    case .endOfInput: return .endOfInput
                    case .line(let text):
                        let word = text.trimmingWhitespace().lowercased()
                        if word == "quit" || word == "exit" { return .quit }
                        if word == "skip" { return .skipped }
                        if let rating = SelfRating(parsing: text) {
                            return .answered(question.body.grade(rating: rating), input: trimmed, seconds: seconds, hints: 0)
                        }
                        print("Please rate 1 to 4 (again, hard, good, easy).")
                    }
                }
            }
            let grade = question.grade(trimmed)
            if case .wrongShape = grade {
                print(grade.message + " Try again (or 'skip').")
                continue
            }
            return .answered(grade, input: trimmed, seconds: Date().timeIntervalSince(started), hints: hintsGiven)
        }
    }

    /// The feedback after an answer, its verdict in colour on a terminal (never with NO_COLOR).
    func feedback(_ question: Question, grade: Grade, input: String) -> String {
        let text = QuestionText.feedback(question, grade: grade, given: question.body.parsedAnswer(input), width: app.width)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if let first = lines.first {
            switch grade.isCorrect {
            case true?: lines[0] = app.style.good(first)
            case false?: lines[0] = app.style.bad(first)
            case nil: break
            }
        }
        return lines.joined(separator: "\n")
    }
}

/// Ctrl-C at a question leaves it ungraded; a second one straight after leaves the session.
struct InterruptTracker {
    private var last = false

    /// Call with each outcome; true when the session should end (the second Ctrl-C in a row).
    mutating func leaves(after outcome: QuestionLoop.Outcome) -> Bool {
        if case .interrupted = outcome {
            if last { return true }
            last = true
            print("\n(Question left ungraded. Ctrl-C again to leave.)")
            return false
        }
        last = false
        return false
    }
}

extension QuestionBody {
    /// The expected answer for any kind, recall included.
    var expectedAnswerText: String {
        if case .recall(let answer) = self { return answer }
        return expectedAnswer
    }
}
