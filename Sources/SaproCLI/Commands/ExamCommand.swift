import ArgumentParser
import Foundation
import SaproCore

struct Exam: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exam",
        abstract: "Timed mock exam from a blueprint; 'exam history' lists past exams.",
        subcommands: [Start.self, History.self],
        defaultSubcommand: Start.self)

    struct Start: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "start",
            abstract: "Start (or resume) a timed mock exam.",
            discussion: """
            Inside the exam: type an answer to the current question (answers can be changed later), \
            next, prev, goto N, flag, review (flagged and unanswered), submit, quit (save and leave; \
            'exam' resumes). The clock runs while the exam is open. Exams do not change the schedule.
            """)

        @Argument(help: "Blueprint id from Quizzes/ (default: container-networking).") var blueprint: String?
        @Option(help: "Number of questions (default: the blueprint's).") var questions: Int?
        @Option(help: "Minutes allowed (default: the blueprint's).") var minutes: Int?
        @Option(help: "Seed for a repeatable exam.") var seed: UInt64?
        @OptionGroup var data: DataOptions
        @OptionGroup var content: ContentOptions

        func validate() throws {
            try OptionRange.check(questions, 1...500, "--questions")
            try OptionRange.check(minutes, 1...600, "--minutes")
        }

        func run() throws {
            let app = try App.obtain(data: data, content: content)
            let store = try app.openStore()
            var session: ExamSession
            if let open = try ExamFiles.unfinished(app) {
                session = open
                print("Resuming exam \(session.title): \(session.questions.count - session.unanswered.count) of \(session.questions.count) answered, \(Clock.text(session.remaining)) left.")
            } else {
                let catalog = app.quizzes
                let id = blueprint ?? "container-networking"
                guard let plan = catalog.blueprint(id) else {
                    let names = catalog.blueprints.map(\.id)
                    let near = Fuzzy.closest(to: id, among: names)
                    throw fail("unknown blueprint '\(id)'\(near.isEmpty ? "" : "; did you mean \(near.joined(separator: ", "))?") (known: \(names.joined(separator: ", ")))")
                }
                let seed = seed ?? App.randomSeed()
                let objective = { (q: Question) -> Bool in if case .recall = q.body { false } else { true } }
                let picked = ExamBuilder.build(
                    blueprint: plan, questionCount: questions, bank: catalog.questions.filter(objective),
                    cards: app.cards.filter(objective), generators: Generators.all, catalog: app.content.catalog, seed: seed)
                session = ExamSession(id: "exam-\(ISOTime.format(Date()))-\(seed % 100_000)", blueprint: plan,
                                      minutes: minutes, questions: picked, seed: seed, started: Date())
                try ExamFiles.save(session, app)
                print("\(plan.title): \(Plural.count(picked.count, "question")), \(Plural.count(session.minutes, "minute")), pass mark \(plan.passMark) of 1000 (seed \(seed)).")
                print("Commands: an answer, next, prev, goto N, flag, review, submit, quit (resume later with 'exam').")
            }
            var runner = ExamRunner(app: app, store: store, session: session)
            try runner.run()
        }
    }

    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "history", abstract: "List past mock exams with their scores.")
        @OptionGroup var data: DataOptions

        func run() throws {
            let app = try App.obtain(data: data, content: ContentOptions.defaults())
            let store = try app.openStore()
            let exams = store.sessions.filter { $0.mode == .exam && $0.ended != nil }
            if exams.isEmpty {
                print("No exams yet: start one with 'exam'.")
                return
            }
            print("date        score  result  correct  blueprint")
            for exam in exams {
                let score = exam.score ?? 0
                let passed = score >= 750
                print("\(app.day(exam.started))  \(String(score).padding(toLength: 5, withPad: " ", startingAt: 0))  \(passed ? "pass  " : "fail  ")  \("\(exam.correct)/\(exam.answered)".padding(toLength: 7, withPad: " ", startingAt: 0))  \(exam.blueprint ?? "–")")
            }
        }
    }
}

enum Clock {
    static func text(_ seconds: Double) -> String {
        let s = max(0, Int(seconds.rounded(.down)))
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s % 3600 / 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}

/// Exam files in `exams/` of the data directory, one per exam, rewritten atomically after every change.
enum ExamFiles {
    static func directory(_ app: App) -> URL { app.dataDirectory.appendingPathComponent("exams") }

    static func save(_ session: ExamSession, _ app: App) throws {
        let dir = directory(app)
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .secondsSince1970
        let data = try encoder.encode(session)
        try reporting { try AtomicFile.write(data, to: dir.appendingPathComponent("\(session.id).json")) }
    }

    /// The exam left open by a quit, Ctrl-D or crash. A file that does not parse is reported and left alone.
    static func unfinished(_ app: App) throws -> ExamSession? {
        let dir = directory(app)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        for name in names.sorted().reversed() where name.hasSuffix(".json") {
            let url = dir.appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: url.path) else { continue }
            guard let session = try? decoder.decode(ExamSession.self, from: data) else {
                Terminal.warn("warning: \(url.path) cannot be read as an exam; it is left as it is.")
                continue
            }
            if session.submitted == nil {
                // Submitted, but stopped before the file said so: the journal holds the result.
                if let done = try? app.openStore().sessions.first(where: { $0.id == session.id && $0.ended != nil }) {
                    var finished = session
                    finished.submitted = done.ended
                    try ExamFiles.save(finished, app)
                    continue
                }
                return session
            }
        }
        return nil
    }
}

/// Runs an exam at the terminal: navigation, the clock, submission and the result.
struct ExamRunner {
    let app: App
    let store: ProgressStore<StudyCard>
    var session: ExamSession
    var current = 0

    init(app: App, store: ProgressStore<StudyCard>, session: ExamSession) {
        self.app = app
        self.store = store
        self.session = session
        current = session.unanswered.first ?? 0
    }

    mutating func run() throws {
        guard !session.questions.isEmpty else {
            print("The blueprint gave no questions.")
            return
        }
        var shownAt = Date()
        show()
        var interruptedLast = false
        while true {
            let input = app.reader.read(prompt: "exam> ", remember: false)
            let spent = Date().timeIntervalSince(shownAt)
            session.spend(spent, on: current)
            shownAt = Date()
            if session.isOver {
                print("Time is up.")
                try finish()
                return
            }
            let line: String
            switch input {
            case .interrupted where !interruptedLast:
                // Ctrl-C drops the half-typed line; a second one in a row leaves, as quit does.
                interruptedLast = true
                print("(Line cleared. Ctrl-C again to save and leave the exam.)")
                continue
            case .endOfInput, .interrupted:
                try ExamFiles.save(session, app)
                print("\nExam saved with \(Clock.text(session.remaining)) left; type 'exam' to resume.")
                return
            case .line(let l): line = String(l.prefix(2000)).trimmingWhitespace()
            }
            interruptedLast = false
            let words = line.lowercased().split(separator: " ").map(String.init)
            switch words.first ?? "" {
            case "":
                continue
            case "next", "n":
                move(to: current + 1)
            case "prev", "p", "previous":
                move(to: current - 1)
            case "goto", "g":
                if words.count == 2, let n = Int(words[1]), (1...session.questions.count).contains(n) {
                    move(to: n - 1)
                } else {
                    print("Usage: goto N, with N from 1 to \(session.questions.count).")
                }
            case "flag":
                if session.flagged.contains(current) { session.flagged.remove(current) } else { session.flagged.insert(current) }
                print(session.flagged.contains(current) ? "Flagged question \(current + 1)." : "Unflagged question \(current + 1).")
                try ExamFiles.save(session, app)
            case "review":
                review()
            case "time":
                print("\(Clock.text(session.remaining)) left.")
            case "help", "?":
                print("An answer, next, prev, goto N, flag, review, time, submit, quit.")
            case "quit", "exit":
                try ExamFiles.save(session, app)
                print("Exam saved with \(Clock.text(session.remaining)) left; type 'exam' to resume.")
                return
            case "submit":
                let open = session.unanswered
                if !open.isEmpty {
                    let answer = app.reader.read(prompt: "\(open.count) unanswered (\(open.prefix(10).map { String($0 + 1) }.joined(separator: ", "))). Submit anyway? (yes/no) ")
                    guard case .line(let reply) = answer, ["y", "yes"].contains(reply.trimmingWhitespace().lowercased()) else {
                        print("Not submitted.")
                        continue
                    }
                }
                try finish()
                return
            default:
                if let error = session.answer(current, line) {
                    print("Can't take that: \(error.localizedDescription). Answers and commands: next, prev, goto N, flag, review, submit, quit.")
                    continue
                }
                try ExamFiles.save(session, app)
                if let next = nextOpen(after: current) {
                    move(to: next)
                } else {
                    print("Every question has an answer. 'review' to check flagged ones, 'submit' to finish.")
                }
            }
        }
    }

    func nextOpen(after index: Int) -> Int? {
        let n = session.questions.count
        return (1..<n).map { (index + $0) % n }.first { session.answers[$0] == nil }
    }

    mutating func move(to index: Int) {
        guard session.questions.indices.contains(index) else {
            print(index < 0 ? "This is the first question." : "This is the last question; 'submit' when you are done.")
            return
        }
        current = index
        show()
    }

    func show() {
        let q = session.questions[current]
        var header = "[\(current + 1)/\(session.questions.count)]  \(Clock.text(session.remaining)) left"
        if session.flagged.contains(current) { header += "  ⚑ flagged" }
        if let answer = session.answers[current] { header += "  (your answer: \(answer))" }
        print("")
        print(app.style.bold(header))
        print(QuestionText.prompt(q, width: app.width))
    }

    func review() {
        let flagged = session.flagged.sorted()
        let open = session.unanswered
        print("Answered \(session.questions.count - open.count) of \(session.questions.count); \(Clock.text(session.remaining)) left.")
        print("Flagged: \(flagged.isEmpty ? "none" : flagged.map { String($0 + 1) }.joined(separator: ", "))")
        print("Unanswered: \(open.isEmpty ? "none" : open.map { String($0 + 1) }.joined(separator: ", "))")
    }

    mutating func finish() throws {
        let submitted = Date()
        session.submitted = submitted
        let plan = app.quizzes.blueprint(session.blueprintID)
        let result = session.result(blueprint: plan)
        var reviews: [ReviewRecord<StudyCard>] = []
        for (index, question) in session.questions.enumerated() {
            guard let answer = session.answers[index], let grade = session.grade(index) else { continue }
            reviews.append(ReviewRecord<StudyCard>(
                card: question.id, time: submitted, day: app.day(submitted), rating: grade.isCorrect == true ? 3 : 1,
                answer: answer, correct: grade.isCorrect, responseMilliseconds: Int(session.secondsPerQuestion[index] * 1000),
                session: session.id, mode: .exam, topics: question.topics,
                generator: question.generatorID, misconception: grade.misconception?.id))
        }
        // The answers and the result go into the journal together, before the exam file says
        // "submitted": a crash in between leaves an exam that `ExamFiles.unfinished` knows is done.
        try reporting {
            try store.record(reviews: reviews, session: SessionRecord(
                id: session.id, mode: .exam, started: session.started, ended: submitted, answered: result.total,
                correct: result.correct, score: result.scaledScore, blueprint: session.blueprintID, topicResults: result.topics))
        }
        try ExamFiles.save(session, app)
        let unanswered = session.unanswered.count
        let unansweredNote = unanswered > 0 ? ", \(unanswered) unanswered" : ""
        print("")
        print(app.style.bold("Score \(result.scaledScore) / 1000 — \(result.passed ? "PASS" : "FAIL") (pass mark \(result.passMark)); \(result.correct) of \(result.total) correct\(unansweredNote)."))
        print("Pacing: \(Clock.text(result.elapsed)) used of \(Clock.text(result.timeLimit)); \(Int((result.elapsed / Double(max(result.total, 1))).rounded())) s a question against a budget of \(Int(result.budgetPerQuestion.rounded())) s.")
        if !result.slowest.isEmpty {
            print("Slowest: " + result.slowest.map { "#\($0 + 1) (\(Int(session.secondsPerQuestion[$0].rounded())) s)" }.joined(separator: ", "))
        }
        print("By topic:")
        for (topic, tally) in result.topics.sorted(by: { $0.key < $1.key }) {
            print("  \(String(Int(((tally.accuracy ?? 0) * 100).rounded())).padding(toLength: 3, withPad: " ", startingAt: 0))%  \(tally.correct)/\(tally.answered)  \(topic)")
        }
        if !result.wrong.isEmpty { print("\nWrong or unanswered:") }
        for index in result.wrong {
            let question = session.questions[index]
            print("")
            print(app.style.bold("#\(index + 1) (your answer: \(session.answers[index] ?? "none"))"))
            print(QuestionText.prompt(question, width: app.width))
            let grade = session.grade(index) ?? .incorrect(IncorrectAnswer(expected: question.expectedAnswer, given: .number(0), misconceptions: []))
            let given = session.answers[index].flatMap { question.body.parsedAnswer($0) }
            print(QuestionText.feedback(question, grade: grade, given: given, width: app.width))
        }
    }
}
