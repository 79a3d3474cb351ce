import Foundation

/// A mock exam being taken, as a state machine: it takes each line typed at the exam and the
/// time spent since the last one, and says what to do (show a question, say something, save the
/// exam file, ask to confirm a submission, finish, leave). It reads, prints and saves nothing
/// itself; after every `.save` the caller writes `session` with `ExamFiles`, so an exam resumes
/// after a crash exactly where it was.
public struct ExamRun: Sendable {
    public private(set) var session: ExamSession
    /// The question shown.
    public private(set) var current: Int
    private var interruptedLast = false

    /// Resumes (or starts) `session` at its first unanswered question.
    public init(session: ExamSession) {
        self.session = session
        current = session.unanswered.first ?? 0
    }

    /// What the caller does, in order.
    public enum Effect: Sendable, Equatable {
        /// Show question `index` with its header.
        case show(Int)
        case say(String)
        /// Write `session` to its exam file.
        case save
        /// Ask whether to submit with these questions unanswered; answer with `confirmSubmit`.
        case confirmSubmit(unanswered: [Int])
        /// Submit: record the result (`finish(at:day:blueprint:)`) and show it.
        case finish
        /// The exam was saved; leave it (it resumes with `exam`).
        case leave
    }

    public static let commands = "An answer, next, prev, goto N, flag, review, time, submit, quit."

    /// The header shown above question `index`.
    public func header(_ index: Int) -> String {
        var header =
            session.mode == .review
            ? "[\(index + 1)/\(session.questions.count)]  review mode, untimed"
            : "[\(index + 1)/\(session.questions.count)]  \(Self.clock(session.remaining)) left"
        if session.flagged.contains(index) { header += "  ⚑ flagged" }
        if let answer = session.answers[index] { header += "  (your answer: \(answer))" }
        return header
    }

    /// What `line` does, `spent` seconds after the previous input.
    public mutating func handle(_ line: String, spent: Double) -> [Effect] {
        session.spend(spent, on: current)
        if session.isOver && session.mode != .review { return [.say("Time is up."), .finish] }
        interruptedLast = false
        let line = String(line.prefix(2000)).trimmingWhitespace()
        let words = line.lowercased().split(separator: " ").map(String.init)
        switch words.first ?? "" {
        case "":
            return []
        case "next", "n":
            return move(to: current + 1)
        case "prev", "p", "previous":
            return move(to: current - 1)
        case "goto", "g":
            if words.count == 2, let n = Int(words[1]), (1...session.questions.count).contains(n) { return move(to: n - 1) }
            return [.say("Usage: goto N, with N from 1 to \(session.questions.count).")]
        case "flag":
            if session.flagged.contains(current) { session.flagged.remove(current) } else { session.flagged.insert(current) }
            return [
                .say(
                    session.flagged.contains(current) ? "Flagged question \(current + 1)." : "Unflagged question \(current + 1)."),
                .save,
            ]
        case "review":
            let flagged = session.flagged.sorted()
            let open = session.unanswered
            return [
                .say(
                    """
                    Answered \(session.questions.count - open.count) of \(session.questions.count); \(Self.clock(session.remaining)) left.
                    Flagged: \(flagged.isEmpty ? "none" : flagged.map { String($0 + 1) }.joined(separator: ", "))
                    Unanswered: \(open.isEmpty ? "none" : open.map { String($0 + 1) }.joined(separator: ", "))
                    """)
            ]
        case "time":
            return [.say("\(Self.clock(session.remaining)) left.")]
        case "help", "?":
            return [.say(Self.commands)]
        case "quit", "exit":
            return [.save, .say(savedMessage), .leave]
        case "submit":
            let open = session.unanswered
            return open.isEmpty ? [.finish] : [.confirmSubmit(unanswered: open)]
        default:
            if let error = session.answer(current, line) {
                return [
                    .say(
                        "Can't take that: \(error.localizedDescription). Answers and commands: next, prev, goto N, flag, review, submit, quit."
                    )
                ]
            }
            var effects: [Effect] = [.save]
            // Review mode: the grade and the explanation right after each answer.
            if session.mode == .review, let grade = session.grade(current) {
                let question = session.questions[current]
                effects.append(.say(QuestionText.feedback(question, grade: grade, given: question.body.parsedAnswer(line))))
            }
            if let next = nextOpen(after: current) { return effects + move(to: next) }
            return effects + [.say("Every question has an answer. 'review' to check flagged ones, 'submit' to finish.")]
        }
    }

    /// The reply to `confirmSubmit`.
    public mutating func confirmSubmit(_ reply: String?) -> [Effect] {
        guard let reply, ["y", "yes"].contains(reply.trimmingWhitespace().lowercased()) else { return [.say("Not submitted.")] }
        return [.finish]
    }

    /// Ctrl-C: the first clears the line, a second in a row saves and leaves.
    public mutating func interrupted(spent: Double) -> [Effect] {
        session.spend(spent, on: current)
        if session.isOver && session.mode != .review { return [.say("Time is up."), .finish] }
        if interruptedLast { return [.save, .say("\n" + savedMessage), .leave] }
        interruptedLast = true
        return [.say("(Line cleared. Ctrl-C again to save and leave the exam.)")]
    }

    /// The end of input (Ctrl-D, a closed pipe): saved, to resume later.
    public mutating func endOfInput(spent: Double) -> [Effect] {
        session.spend(spent, on: current)
        if session.isOver && session.mode != .review { return [.say("Time is up."), .finish] }
        return [.save, .say("\n" + savedMessage), .leave]
    }

    var savedMessage: String {
        session.mode == .review
            ? "Exam saved; type 'exam' to resume."
            : "Exam saved with \(Self.clock(session.remaining)) left; type 'exam' to resume."
    }

    /// Submits the exam at `time`: what to record in the journal (every answered question and the
    /// session with its score, together), and the result to show. The caller records them, then
    /// saves the exam file, which now says "submitted".
    public mutating func finish(at time: Date, day: String, blueprint: Blueprint?)
        -> (reviews: [ReviewRecord<StudyCard>], record: SessionRecord, result: ExamResult)
    {
        session.submitted = time
        let result = session.result(blueprint: blueprint)
        var reviews: [ReviewRecord<StudyCard>] = []
        for (index, question) in session.questions.enumerated() {
            guard let answer = session.answers[index], let grade = session.grade(index) else { continue }
            reviews.append(
                ReviewRecord<StudyCard>(
                    card: question.id, time: time, day: day, rating: grade.isCorrect == true ? 3 : 1,
                    answer: answer, correct: grade.isCorrect, responseMilliseconds: Int(session.secondsPerQuestion[index] * 1000),
                    session: session.id, mode: .exam, topics: question.topics,
                    generator: question.generatorID, misconception: grade.misconception?.id))
        }
        let record = SessionRecord(
            id: session.id, mode: .exam, started: session.started, ended: time, answered: result.total,
            correct: result.correct, score: result.scaledScore, blueprint: session.blueprintID, topicResults: result.topics)
        return (reviews, record, result)
    }

    private func nextOpen(after index: Int) -> Int? {
        let n = session.questions.count
        return (1..<n).map { (index + $0) % n }.first { session.answers[$0] == nil }
    }

    private mutating func move(to index: Int) -> [Effect] {
        guard session.questions.indices.contains(index) else {
            return [.say(index < 0 ? "This is the first question." : "This is the last question; 'submit' when you are done.")]
        }
        current = index
        return [.show(index)]
    }

    /// `12:34` or `1:02:03`.
    public static func clock(_ seconds: Double) -> String {
        let s = max(0, Int(seconds.rounded(.down)))
        return s >= 3600
            ? String(format: "%d:%02d:%02d", s / 3600, s % 3600 / 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}

/// The exam files of a data directory (`exams/`, one JSON file per exam, rewritten atomically
/// after every change): the one definition of their format.
public enum ExamFiles {
    public static func directory(in dataDirectory: URL) -> URL { dataDirectory.appendingPathComponent("exams") }

    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .secondsSince1970
        return encoder
    }

    static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }

    /// Writes `session` to its file.
    /// `id`, or `id-2`, `id-3`… when an exam file of that name exists already (two exams started
    /// in the same second with the same seed must not share a file).
    public static func freshID(_ id: String, in dataDirectory: URL) -> String {
        let dir = directory(in: dataDirectory)
        var candidate = id
        var n = 1
        while FileManager.default.fileExists(atPath: dir.appendingPathComponent("\(candidate).json").path) {
            n += 1
            candidate = "\(id)-\(n)"
        }
        return candidate
    }

    public static func save(_ session: ExamSession, in dataDirectory: URL) throws {
        let dir = directory(in: dataDirectory)
        if let problem = FileKind.problem(directory: dir.path) {
            throw ProgressError.unusable(problem + ": mock exams are kept there")
        }
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let data = try encoder.encode(session)
        try AtomicFile.write(data, to: dir.appendingPathComponent("\(session.id).json"))
    }

    /// Reads one exam file; one whose lists do not match its questions is refused.
    public static func read(_ data: Data) throws -> ExamSession {
        let session = try decoder.decode(ExamSession.self, from: data)
        let n = session.questions.count
        guard session.answers.count == n, session.secondsPerQuestion.count == n,
            session.flagged.allSatisfy({ (0..<n).contains($0) }), session.unscored.allSatisfy({ (0..<n).contains($0) }),
            session.elapsed.isFinite, session.elapsed >= 0,
            session.minutes >= 1, session.schemaVersion <= ExamSession.schemaVersion
        else {
            throw ProgressError.corrupt(
                file: "exam file", line: nil, reason: "its answers, times or flags do not match its \(n) questions")
        }
        return session
    }

    /// The newest exam not yet submitted, and the files that could not be read (left as they are).
    /// An exam whose result `finished` knows (submitted, but stopped before its file said so) is
    /// marked submitted on the way.
    public static func unfinished(in dataDirectory: URL, finished: (String) -> Date?) -> (
        session: ExamSession?, unreadable: [URL]
    ) {
        let dir = directory(in: dataDirectory)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        var unreadable: [URL] = []
        for name in names.sorted().reversed() where name.hasSuffix(".json") {
            let url = dir.appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: url.path) else { continue }
            guard let session = try? read(data) else {
                unreadable.append(url)
                continue
            }
            if session.submitted == nil {
                if let ended = finished(session.id) {
                    var done = session
                    done.submitted = ended
                    try? save(done, in: dataDirectory)
                    continue
                }
                return (session, unreadable)
            }
        }
        return (nil, unreadable)
    }

    /// Every submitted exam, oldest first (by start), and the files that could not be read.
    public static func submitted(in dataDirectory: URL) -> (sessions: [ExamSession], unreadable: [URL]) {
        let dir = directory(in: dataDirectory)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        var sessions: [ExamSession] = []
        var unreadable: [URL] = []
        for name in names.sorted() where name.hasSuffix(".json") {
            let url = dir.appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: url.path) else { continue }
            guard let session = try? read(data) else {
                unreadable.append(url)
                continue
            }
            if session.submitted != nil { sessions.append(session) }
        }
        return (sessions.sorted { ($0.started, $0.id) < ($1.started, $1.id) }, unreadable)
    }
}
