import ArgumentParser
import Foundation
import SaproCore

struct Exam: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exam",
        abstract: "Timed mock exam from a blueprint; 'exam history' lists past exams.",
        subcommands: [Start.self, History.self],
        defaultSubcommand: Start.self)

    struct Start: SaproCommand {
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

        func run(in context: RunContext) throws {
            let app = try context.app(data: data, content: content)
            let store = try app.openStore()
            var session: ExamSession
            if let open = try ExamFiles.unfinished(app) {
                session = open
                print(
                    "Resuming exam \(session.title): \(session.questions.count - session.unanswered.count) of \(session.questions.count) answered, \(Clock.text(session.remaining)) left."
                )
            } else {
                let catalog = app.quizzes
                let id = blueprint ?? "container-networking"
                guard let plan = catalog.blueprint(id) else {
                    let names = catalog.blueprints.map(\.id)
                    let near = Fuzzy.closest(to: id, among: names)
                    throw fail(
                        "unknown blueprint '\(id)'\(near.isEmpty ? "" : "; did you mean \(near.joined(separator: ", "))?") (known: \(names.joined(separator: ", ")))"
                    )
                }
                let seed = seed ?? App.randomSeed()
                let objective = { (q: Question) -> Bool in if case .recall = q.body { false } else { true } }
                let picked = ExamBuilder.build(
                    blueprint: plan, questionCount: questions, bank: catalog.questions.filter(objective),
                    cards: app.cards.filter(objective), generators: Generators.all, catalog: app.content.catalog, seed: seed)
                session = ExamSession(
                    id: "exam-\(ISOTime.format(Date()))-\(seed % 100_000)", blueprint: plan,
                    minutes: minutes, questions: picked, seed: seed, started: Date())
                try ExamFiles.save(session, app)
                print(
                    "\(plan.title): \(Plural.count(picked.count, "question")), \(Plural.count(session.minutes, "minute")), pass mark \(plan.passMark) of 1000 (seed \(seed))."
                )
                print("Commands: an answer, next, prev, goto N, flag, review, submit, quit (resume later with 'exam').")
            }
            var runner = ExamRunner(app: app, store: store, session: session)
            try runner.run()
        }
    }

    struct History: SaproCommand {
        static let configuration = CommandConfiguration(
            commandName: "history", abstract: "List past mock exams with their scores.")
        @OptionGroup var data: DataOptions

        func run(in context: RunContext) throws {
            let app = try context.app(data: data, content: ContentOptions.defaults())
            let store = try app.openStore()
            let exams = store.sessions.filter { $0.mode == .exam && $0.ended != nil }
            // The list comes from the journal; the exam files are checked too, so that a damaged
            // one is said, not silently left out of `exam review` later.
            _ = try ExamFiles.unfinished(app)
            if exams.isEmpty {
                print("No exams yet: start one with 'exam'.")
                return
            }
            print("date        score  result  correct  blueprint")
            for exam in exams {
                let score = exam.score ?? 0
                let passed = score >= (app.quizzes.blueprint(exam.blueprint ?? "")?.passMark ?? 750)
                print(
                    "\(app.day(exam.started))  \(String(score).padding(toLength: 5, withPad: " ", startingAt: 0))  \(passed ? "pass  " : "fail  ")  \("\(exam.correct)/\(exam.answered)".padding(toLength: 7, withPad: " ", startingAt: 0))  \(exam.blueprint ?? "–")"
                )
            }
        }
    }
}

enum Clock {
    static func text(_ seconds: Double) -> String { ExamRun.clock(seconds) }
}

extension ExamFiles {
    static func save(_ session: ExamSession, _ app: App) throws {
        try reporting { try ExamFiles.save(session, in: app.dataDirectory) }
    }

    /// The exam left open by a quit, Ctrl-D or crash. A file that does not parse is reported and left alone.
    static func unfinished(_ app: App) throws -> ExamSession? {
        if let problem = FileKind.problem(directory: ExamFiles.directory(in: app.dataDirectory).path) {
            Terminal.warn("warning: \(problem): mock exams are kept there.")
            return nil
        }
        let store = try? app.openStore()
        let found = ExamFiles.unfinished(in: app.dataDirectory) { id in
            store?.sessions.first { $0.id == id && $0.ended != nil }?.ended
        }
        for url in found.unreadable {
            Terminal.warn("warning: \(url.path) cannot be read as an exam; it is left as it is.")
        }
        return found.session
    }
}

/// Renders an `ExamRun` at the terminal: reads lines, shows what it says, saves when it says so,
/// records the result when it finishes.
struct ExamRunner {
    let app: App
    let store: ProgressStore<StudyCard>
    var exam: ExamRun

    init(app: App, store: ProgressStore<StudyCard>, session: ExamSession) {
        self.app = app
        self.store = store
        self.exam = ExamRun(session: session)
    }

    mutating func run() throws {
        guard !exam.session.questions.isEmpty else {
            print("The blueprint gave no questions.")
            return
        }
        var shownAt = Date()
        show(exam.current)
        while true {
            let input = app.reader.read(prompt: "exam> ", remember: false)
            let spent = Date().timeIntervalSince(shownAt)
            shownAt = Date()
            var effects: [ExamRun.Effect]
            switch input {
            case .interrupted: effects = exam.interrupted(spent: spent)
            case .endOfInput: effects = exam.endOfInput(spent: spent)
            case .line(let line): effects = exam.handle(line, spent: spent)
            }
            while !effects.isEmpty {
                let effect = effects.removeFirst()
                switch effect {
                case .show(let index): show(index)
                case .say(let text): print(text)
                case .save: try ExamFiles.save(exam.session, app)
                case .confirmSubmit(let open):
                    let reply = app.reader.read(
                        prompt:
                            "\(open.count) unanswered (\(open.prefix(10).map { String($0 + 1) }.joined(separator: ", "))). Submit anyway? (yes/no) "
                    )
                    if case .line(let text) = reply {
                        effects = exam.confirmSubmit(text) + effects
                    } else {
                        effects = exam.confirmSubmit(nil) + effects
                    }
                case .finish:
                    try finish()
                    return
                case .leave:
                    return
                }
            }
        }
    }

    func show(_ index: Int) {
        print("")
        print(app.style.bold(exam.header(index)))
        print(QuestionText.prompt(exam.session.questions[index], width: app.width))
    }

    mutating func finish() throws {
        let submitted = Date()
        let (reviews, record, result) = exam.finish(
            at: submitted, day: app.day(submitted),
            blueprint: app.quizzes.blueprint(exam.session.blueprintID))
        let session = exam.session
        // The answers and the result go into the journal together, before the exam file says
        // "submitted": a crash in between leaves an exam that `ExamFiles.unfinished` knows is done.
        try reporting { try store.record(reviews: reviews, session: record) }
        try ExamFiles.save(session, app)
        let unanswered = session.unanswered.count
        let unansweredNote = unanswered > 0 ? ", \(unanswered) unanswered" : ""
        print("")
        print(
            app.style.bold(
                "Score \(result.scaledScore) / 1000 — \(result.passed ? "PASS" : "FAIL") (pass mark \(result.passMark)); \(result.correct) of \(result.total) correct\(unansweredNote)."
            ))
        print(
            "Pacing: \(Clock.text(result.elapsed)) used of \(Clock.text(result.timeLimit)); \(Int((result.elapsed / Double(max(result.total, 1))).rounded())) s a question against a budget of \(Int(result.budgetPerQuestion.rounded())) s."
        )
        if !result.slowest.isEmpty {
            print(
                "Slowest: "
                    + result.slowest.map { "#\($0 + 1) (\(Int(session.secondsPerQuestion[$0].rounded())) s)" }.joined(
                        separator: ", "))
        }
        print("By topic:")
        for (topic, tally) in result.topics.sorted(by: { $0.key < $1.key }) {
            print(
                "  \(String(Int(((tally.accuracy ?? 0) * 100).rounded())).padding(toLength: 3, withPad: " ", startingAt: 0))%  \(tally.correct)/\(tally.answered)  \(topic)"
            )
        }
        if !result.wrong.isEmpty { print("\nWrong or unanswered:") }
        for index in result.wrong {
            let question = session.questions[index]
            print("")
            print(app.style.bold("#\(index + 1) (your answer: \(session.answers[index] ?? "none"))"))
            print(QuestionText.prompt(question, width: app.width))
            let grade =
                session.grade(index)
                ?? .incorrect(IncorrectAnswer(expected: question.expectedAnswer, given: .number(0), misconceptions: []))
            let given = session.answers[index].flatMap { question.body.parsedAnswer($0) }
            print(QuestionText.feedback(question, grade: grade, given: given, width: app.width))
        }
    }
}
