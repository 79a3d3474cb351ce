import Foundation

/// A practice quiz (or a quiz taken from a file) as a state machine: the questions in order,
/// each answered, explained or skipped, and the reviews to record. Nothing is scheduled: quiz
/// answers are kept for statistics only.
public struct PracticeQuiz: Sendable {
    public let id: String
    public let questions: [Question]
    public let started: Date
    /// The index of the question being asked; `questions.count` when the quiz is over.
    public private(set) var index = 0
    public private(set) var answered = 0
    public private(set) var correct = 0
    public private(set) var skipped = 0

    public init(id: String, questions: [Question], started: Date) {
        self.id = id
        self.questions = questions
        self.started = started
    }

    /// The question being asked, or `nil` when every question has had its turn.
    public var current: Question? { questions.indices.contains(index) ? questions[index] : nil }

    /// How a question ended.
    public enum Outcome: Sendable, Equatable {
        case answered(Grade, input: String, seconds: Double)
        /// The user asked for the answer: counted, and recorded, as a miss.
        case explained(seconds: Double)
        /// Skipped, or left ungraded with Ctrl-C.
        case skipped
    }

    /// Ends the current question with `outcome` and moves to the next; the review to record
    /// (`nil` for a skipped question).
    public mutating func take(_ outcome: Outcome, at time: Date, day: String) -> ReviewRecord<StudyCard>? {
        guard let question = current else { return nil }
        index += 1
        switch outcome {
        case let .answered(grade, input, seconds):
            answered += 1
            if grade.isCorrect == true { correct += 1 }
            return ReviewRecord(
                card: question.id, time: time, day: day, rating: grade.isCorrect == true ? 3 : 1, answer: input,
                correct: grade.isCorrect, responseMilliseconds: Self.milliseconds(seconds), session: id, mode: .quiz,
                topics: question.topics, generator: question.generatorID, misconception: grade.misconception?.id)
        case let .explained(seconds):
            answered += 1
            return ReviewRecord(
                card: question.id, time: time, day: day, rating: 1, answer: "(explained)", correct: false,
                responseMilliseconds: Self.milliseconds(seconds), session: id, mode: .quiz, topics: question.topics,
                generator: question.generatorID)
        case .skipped:
            skipped += 1
            return nil
        }
    }

    static func milliseconds(_ seconds: Double) -> Int? {
        seconds.isFinite ? Int(seconds * 1000) : nil
    }

    /// `5/6 (83%), 1 skipped`: a skipped question counts as not correct.
    public var scoreLine: String {
        let asked = answered + skipped
        let percent = asked == 0 ? "" : " (\((correct * 100 + asked / 2) / asked)%)"
        return "\(correct)/\(asked)\(percent)" + (skipped > 0 ? ", \(skipped) skipped" : "")
    }

    /// The session as the history keeps it.
    public func record(ended: Date) -> SessionRecord {
        SessionRecord(id: id, mode: .quiz, started: started, ended: ended, answered: answered, correct: correct)
    }
}
