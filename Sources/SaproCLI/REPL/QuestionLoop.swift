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

    static var helpText: String { QuestionTurn.helpText }

    /// Renders a `QuestionTurn`: reads lines, shows its responses, returns how the question ended.
    func ask(_ question: Question, header: String) -> Outcome {
        print("")
        print(app.style.bold(header))
        print(QuestionText.prompt(question, width: app.width))
        let started = Date()
        var turn = QuestionTurn(question, canUndo: canUndo, canRerate: rerate != nil)
        var revealedAt: Date?
        while true {
            let line: String
            switch app.reader.read(prompt: turn.prompt, remember: false) {
            case .interrupted: return .interrupted
            case .endOfInput: return .endOfInput
            case .line(let l): line = l
            }
            switch turn.handle(line) {
            case .say(let text): print(text)
            case .hint(let text, let first):
                print("Hint: " + text)
                if first { print(app.style.dim("(With a hint, a right answer is rated at most Hard.)")) }
            case .explain:
                if case .recall = question.body {
                    print("The answer is:")
                    print(
                        QuestionText.reveal(question, width: app.width).split(separator: "\n").dropFirst().joined(separator: "\n")
                    )
                } else {
                    print("The answer is \(question.body.expectedAnswerText).")
                    let steps = QuestionText.feedback(question, grade: .correct, width: app.width)
                        .split(separator: "\n", omittingEmptySubsequences: false).dropFirst()
                    if !steps.isEmpty { print(steps.joined(separator: "\n")) }
                }
                return .explained(seconds: Date().timeIntervalSince(started))
            case .reveal:
                print(QuestionText.reveal(question, width: app.width))
                revealedAt = Date()
            case let .answered(grade, input, hints):
                // A recall card's time is until its answer was revealed, not until it was rated.
                let seconds = (revealedAt ?? Date()).timeIntervalSince(started)
                return .answered(grade, input: input, seconds: seconds, hints: hints)
            case .rerate(let value):
                if let rerate { print(rerate(value)) }
            case .flag: print(flag?(question) ?? "Flagged.")
            case .skip: return .skipped
            case .undo: return .undo
            case .quit: return .quit
            }
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

extension InterruptTracker {
    /// Call with each outcome; true when the session should end (the second Ctrl-C in a row).
    mutating func leaves(after outcome: QuestionLoop.Outcome) -> Bool {
        let interrupted: Bool
        if case .interrupted = outcome { interrupted = true } else { interrupted = false }
        if leaves(interrupted: interrupted) { return true }
        if interrupted { print("\n(Question left ungraded. Ctrl-C again to leave.)") }
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
