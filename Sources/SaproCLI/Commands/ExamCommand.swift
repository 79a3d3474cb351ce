import ArgumentParser
import Foundation
import SaproCore

struct Exam: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exam",
        abstract: "Timed mock exam from a blueprint; 'exam history' lists past exams.",
        subcommands: [Start.self, History.self, Review.self],
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
        @Option(help: "timed (default), or review: each answer's grade and explanation right after it, untimed.")
        var mode: ExamMode = .timed
        @Option(
            help:
                "Section mode: only this SAP-C02 domain (organizational-complexity, new-solutions, continuous-improvement, migration-modernization)."
        )
        var domain: ExamDomain?
        @Option(help: "Section mode: only this topic (an id or id prefix).") var topic: String?
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
                let form = Exam.form(
                    plan, bank: catalog.questions, cards: app.cards, catalog: app.content.catalog, seed: seed,
                    questions: questions,
                    domain: domain, topic: try app.topicID(topic))
                let picked = form.questions
                let sectioned = domain != nil || topic != nil
                // Section mode keeps the blueprint's pace: time pro rata to the items drawn.
                let paced = sectioned ? max(1, (plan.minutes * picked.count + plan.itemCount - 1) / max(plan.itemCount, 1)) : nil
                session = ExamSession(
                    id: ExamFiles.freshID("exam-\(ISOTime.format(Date()))-\(seed % 100_000)", in: app.dataDirectory),
                    blueprint: plan,
                    minutes: minutes ?? paced, questions: picked, seed: seed, started: Date())
                session.unscoredItems = form.unscored.isEmpty ? nil : form.unscored
                session.examMode = sectioned ? .section : mode
                // What readiness predicts for each question now, frozen for calibration later.
                let now = Date()
                let estimate = ReadinessModel.estimate(
                    items: app.readinessItems(store), blueprint: plan, weights: app.settings.weights, now: now, exam: now,
                    stretchDays: app.settings.examBufferDays,
                    calibration: CalibrationReport.make(exams: app.mockPredictions())?.inUse ?? .identity)
                session.predictions = ExamPrediction.freeze(picked, estimate: estimate, blueprint: plan)
                guard !picked.isEmpty else {
                    throw fail("no exam-shaped questions match \(domain?.rawValue ?? topic ?? "the blueprint")")
                }
                try ExamFiles.save(session, app)
                let unscoredNote = form.unscored.isEmpty ? "" : " (\(form.unscored.count) of them unscored, not identified)"
                let timing =
                    session.mode == .review ? "untimed review mode" : Plural.count(session.minutes, "minute")
                print(
                    "\(plan.title): \(Plural.count(picked.count, "question"))\(unscoredNote), \(timing), pass mark \(plan.passMark) of 1000 (seed \(seed))."
                )
                print("Commands: an answer, next, prev, goto N, flag, review, submit, quit (resume later with 'exam').")
            }
            var runner = ExamRunner(app: app, store: store, session: session)
            try runner.run()
        }
    }

    /// The sitting `exam BLUEPRINT --seed S` presents (also what `quiz generate --blueprint` writes).
    static func form(
        _ plan: Blueprint, bank: [Question], cards: [Question], catalog: InstanceCatalog, seed: UInt64,
        questions: Int? = nil, domain: ExamDomain? = nil, topic: String? = nil
    ) -> ExamForm {
        let objective = { (q: Question) -> Bool in if case .recall = q.body { false } else { true } }
        return ExamBuilder.form(
            blueprint: plan, questionCount: questions, bank: bank.filter(objective), cards: cards.filter(objective),
            generators: Generators.all, catalog: catalog, seed: seed, domain: domain, topic: topic)
    }

    struct Review: SaproCommand {
        static let configuration = CommandConfiguration(
            commandName: "review", abstract: "Walk a past mock exam: every item, your answer, the key and why.")
        @Argument(help: "The exam's number in 'exam history' (default: the latest).") var number: Int?
        @OptionGroup var data: DataOptions

        func run(in context: RunContext) throws {
            let app = try context.app(data: data, content: ContentOptions.defaults())
            let store = try app.openStore()
            // Numbered as `exam history` numbers them: the journal's finished exams, oldest first.
            let history = store.sessions.filter { $0.mode == .exam && $0.ended != nil }
            guard !history.isEmpty else { throw fail("no submitted exams yet: start one with 'exam'") }
            let n = number ?? history.count
            guard (1...history.count).contains(n) else {
                throw fail("exam \(n) does not exist: 'exam history' numbers them 1 to \(history.count)")
            }
            let found = ExamFiles.submitted(in: app.dataDirectory)
            for url in found.unreadable { Terminal.warn("warning: \(url.path) cannot be read as an exam; it is left as it is.") }
            guard let session = found.sessions.first(where: { $0.id == history[n - 1].id }) else {
                throw fail(
                    "exam \(n) (\(history[n - 1].id)) is in the history, but its file \(ExamFiles.directory(in: app.dataDirectory).path)/\(history[n - 1].id).json is missing or unreadable"
                )
            }
            let result = session.result(blueprint: app.quizzes.blueprint(session.blueprintID))
            print(app.style.bold("\(session.title), \(app.day(session.started)) (seed \(session.seed))"))
            ExamRunner.printSummary(result, session: session, app: app)
            for index in session.questions.indices {
                let question = session.questions[index]
                let grade = session.grade(index)
                let verdict =
                    (grade?.isCorrect == true ? "right" : session.answers[index] == nil ? "unanswered" : "wrong")
                    + (session.unscored.contains(index) ? ", unscored" : "")
                print("")
                print(app.style.bold("#\(index + 1) \(verdict) (your answer: \(session.answers[index] ?? "none"))"))
                print(QuestionText.prompt(question, width: app.width))
                let shown =
                    grade ?? .incorrect(IncorrectAnswer(expected: question.expectedAnswer, given: .number(0), misconceptions: []))
                let given = session.answers[index].flatMap { question.body.parsedAnswer($0) }
                print(QuestionText.feedback(question, grade: shown, given: given, width: app.width))
            }
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
            print("#   date        score  result  correct  blueprint")
            for (number, exam) in exams.enumerated() {
                let score = exam.score ?? 0
                let passed = score >= (app.quizzes.blueprint(exam.blueprint ?? "")?.passMark ?? 750)
                print(
                    "\(String(number + 1).padding(toLength: 3, withPad: " ", startingAt: 0)) \(app.day(exam.started))  \(String(score).padding(toLength: 5, withPad: " ", startingAt: 0))  \(passed ? "pass  " : "fail  ")  \("\(exam.correct)/\(exam.answered)".padding(toLength: 7, withPad: " ", startingAt: 0))  \(exam.blueprint ?? "–")"
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

    /// The score, pacing and per-domain and per-topic results.
    static func printSummary(_ result: ExamResult, session: ExamSession, app: App) {
        let unanswered = session.unanswered.count
        let unansweredNote = unanswered > 0 ? ", \(unanswered) unanswered" : ""
        let unscoredNote = session.unscored.isEmpty ? "" : " (\(session.unscored.count) unscored items not counted)"
        print("")
        print(
            app.style.bold(
                "Score \(result.scaledScore) / 1000 — \(result.passed ? "PASS" : "FAIL") (pass mark \(result.passMark)); \(result.correct) of \(result.total) scored correct\(unansweredNote)\(unscoredNote)."
            ))
        if session.mode != .review {
            print(
                "Pacing: \(Clock.text(result.elapsed)) used of \(Clock.text(result.timeLimit)); \(Int((result.elapsed / Double(max(session.questions.count, 1))).rounded())) s a question against a budget of \(Int(result.budgetPerQuestion.rounded())) s."
            )
        }
        if !result.slowest.isEmpty, session.mode != .review {
            print(
                "Slowest: "
                    + result.slowest.map { "#\($0 + 1) (\(Int(session.secondsPerQuestion[$0].rounded())) s)" }.joined(
                        separator: ", "))
        }
        if !result.domains.isEmpty {
            print("By domain (the score report's bands; scaled score assumed linear):")
            for domain in ExamDomain.allCases {
                guard let tally = result.domains[domain], let band = result.band(domain) else { continue }
                print(
                    "  \(Self.percent(tally))  \("\(tally.correct)/\(tally.answered)".padding(toLength: 6, withPad: " ", startingAt: 0))  \(band.padding(toLength: 18, withPad: " ", startingAt: 0))  Domain \(domain.number): \(domain.title)"
                )
            }
        }
        print("By topic:")
        for (topic, tally) in result.topics.sorted(by: { $0.key < $1.key }) {
            print(
                "  \(Self.percent(tally))  \("\(tally.correct)/\(tally.answered)".padding(toLength: 6, withPad: " ", startingAt: 0))  \(topic)"
            )
        }
    }

    /// `  7%`, right-aligned in four columns.
    static func percent(_ tally: Tally) -> String {
        let text = "\(Int(((tally.accuracy ?? 0) * 100).rounded()))%"
        return String(repeating: " ", count: max(0, 4 - text.count)) + text
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
        Self.printSummary(result, session: session, app: app)
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

extension ExamMode: ExpressibleByArgument {}
extension ExamDomain: ExpressibleByArgument {}
