import ArgumentParser
import Foundation
import SaproCore

struct Drill: SaproCommand {
    static let configuration = CommandConfiguration(
        commandName: "drill",
        abstract: "Spaced-repetition drill: due items first, then new ones.",
        discussion: """
            Each answer is graded at once, explained, and saved before the next question. Objective \
            answers are rated from correctness and time: wrong or explained is Again; right is Good, \
            Hard when slow, Easy when fast on a card already in review (never on a new or learning \
            card); a hint caps it at Hard. 'rate N' at the next question changes the last rating. \
            Recall cards are self-rated. A card whose learning step falls due during the drill is \
            asked again in it; a missed computed skill comes back on the same kind of scenario.
            \(QuestionLoop.helpText)
            """)

    @Argument(help: "Only this topic (an id or its last part) and the topics under it.") var topic: String?
    @Option(help: "Stop after N questions (learning steps asked again come on top).") var limit = 20
    @OptionGroup var data: DataOptions
    @OptionGroup var content: ContentOptions

    func validate() throws {
        try OptionRange.check(limit, 1...1000, "--limit")
    }

    func run(in context: RunContext) throws {
        let app = try context.app(data: data, content: content)
        let store = try app.openStore()
        let scheduler = try app.scheduler()
        let topicID = try app.topicID(topic)
        let now = Date()
        let today = app.day(now)
        let queue = ReviewQueue.build(
            items: app.studyItems, due: store.cards.mapValues(\.due),
            retrievability: { id in store.cards[id].map { scheduler.retrievability($0, at: now) } ?? 0 },
            now: now, newAllowance: app.newAllowance(store, now: now), topics: topicID.map(app.topicScope),
            ahead: app.workAhead(store, now: now))
        let items = Array(queue.prefix(limit))
        if let topicID {
            let scope = app.topicScope(topicID)
            if !app.studyItems.contains(where: { $0.topics.contains { scope.contains($0) } }) {
                print(
                    "\(topicID) has no cards to drill: nothing in it became a question. "
                        + "'sapro content stats --cards' shows what each document gave and why cards were left out; "
                        + "'sapro read \(topicID)' shows the text.")
                return
            }
        }
        guard !items.isEmpty else {
            let scope = topicID.map(app.topicScope)
            let topics = scope == nil ? [:] : app.itemTopics
            let next = app.studiedItems(store).filter { id, _ in
                scope == nil || (topics[id] ?? []).contains { scope!.contains($0) }
            }
            .values.map(\.due).filter { $0 > now }.min()
            let when =
                next.map { " The next card is due \(Duration.describe($0.timeIntervalSince(now))) (\(ISOTime.format($0)))." }
                ?? ""
            print(
                "Nothing due\(topicID.map { " in \($0)" } ?? "") and no new cards left today.\(when) "
                    + "Meanwhile 'quiz' practises without changing the schedule.")
            return
        }
        let seed = App.randomSeed()
        var session = DrillSession(
            id: "drill-\(ISOTime.format(now))-\(seed % 100_000)", queue: items, scheduler: scheduler,
            catalog: app.content.catalog, seed: seed, topicScope: topicID.map(app.topicScope),
            fastAnswer: app.settings.fastAnswer, slowAnswer: app.settings.slowAnswer)
        var fuzzSeeds = SplitMix64(seed: seed ^ 0x5DEE_CE66_D1CE_4E5B)
        func fuzz() -> SplitMix64? { app.settings.fuzz ? SplitMix64(seed: fuzzSeeds.next()) : nil }
        var interrupts = InterruptTracker()
        var saveFailed = false
        print("Drill: \(Plural.count(items.count, "question"))\(topicID.map { " on \($0)" } ?? "").")
        drill: while true {
            let shown: DrillSession.Presentation
            switch session.next(now: Date(), cards: store.cards) {
            case .finished:
                break drill
            case .waiting(let until, let remaining):
                guard app.reader.isInteractive else {
                    // A script gets no question it did not expect: the steps wait for the next drill.
                    print(
                        "\n\(Plural.count(remaining, "card")) with a learning step due later (the next \(Duration.describe(until.timeIntervalSinceNow))); 'drill' asks \(remaining == 1 ? "it" : "them") then."
                    )
                    break drill
                }
                guard let choice = waitChoice(app: app, until: until, remaining: remaining) else { break drill }
                if choice == .stop { break drill }
                if choice == .now, let early = session.takeEarly(cards: store.cards) {
                    shown = early
                } else {
                    continue drill
                }
            case .ask(let p):
                shown = p
            }
            var loop = QuestionLoop(app: app)
            loop.canUndo = !session.saved.isEmpty
            loop.flag = { q in Flags.add(q, app: app) }
            loop.rerate = { value in
                var f = fuzz()
                guard let rating = Rating(rawValue: value) else { return "Nothing answered yet in this drill." }
                do throws(ProgressError) {
                    guard let replacement = try session.rerate(rating, in: store, now: Date(), fuzz: &f) else {
                        return "Nothing answered yet in this drill."
                    }
                    let due = replacement.next.map { Duration.describe($0.due.timeIntervalSince(Date())) } ?? "unchanged"
                    return "Changed the last rating to \(rating) (\(value)); next review \(due)."
                } catch {
                    return "error: \(error.errorDescription ?? "\(error)")"
                }
            }
            var header = "[\(shown.position)/\(session.total)] \(shown.question.topics.first ?? "")"
            if shown.item.id.hasPrefix("skill:") { header += "  (\(shown.item.id))" }
            if shown.isRepeat { header += "  (again: learning step)" }
            if shown.isRetry { header += "  (the kind of scenario you missed, new numbers)" }
            let outcome = loop.ask(shown.question, header: header)
            if interrupts.leaves(after: outcome) { break drill }
            let answer: DrillAnswer
            switch outcome {
            case .answered(let grade, let input, let seconds, let hints):
                answer = .answered(grade, input: input, seconds: seconds, hints: hints)
            case .explained(let seconds):
                answer = .explained(seconds: seconds)
            case .skipped, .interrupted:
                session.abandon(shown)
                continue drill
            case .undo:
                do {
                    let undone = try session.undo(putting: shown, in: store, now: Date())
                    print("Undid your answer '\(undone.answer.clipped())' to \(undone.card); it is asked again now.")
                } catch {
                    _ = fail(error.errorDescription ?? "\(error)")
                }
                continue drill
            case .quit, .endOfInput:
                break drill
            }
            let answeredAt = Date()
            var f = fuzz()
            let review: ReviewRecord<StudyCard>, previous: StudyCard?
            do {
                (review, previous) = try session.answer(
                    shown, with: answer, at: answeredAt, day: app.day(answeredAt),
                    today: today, in: store, fuzz: &f)
            } catch {
                // Nothing is shown as saved that was not saved.
                _ = fail(error.errorDescription ?? "\(error)")
                saveFailed = true
                break drill
            }
            if case .answered(let grade, let input, _, _) = answer {
                print(loop.feedback(shown.question, grade: grade, input: input))
            }
            print(app.style.dim(Self.savedLine(review, previous: previous, scheduler: scheduler, at: answeredAt)))
        }
        print("")
        let extra = session.abandoned > 0 ? ", \(session.abandoned) left ungraded" : ""
        print("Drill finished: \(session.answered) answered, \(session.correct) correct\(extra).")
        _ = try? store.record(
            session: SessionRecord(
                id: session.id, mode: .drill, started: now, ended: Date(),
                answered: session.answered, correct: session.correct))
        if saveFailed { throw ExitCode.failure }
    }

    /// `Saved. Rated good (3); next review in 10 minutes.` and what the other ratings would give.
    static func savedLine(_ review: ReviewRecord<StudyCard>, previous: StudyCard?, scheduler: StudyScheduler, at time: Date)
        -> String
    {
        let rating = Rating(rawValue: review.rating) ?? .again
        let due = review.next.map { Duration.describe($0.due.timeIntervalSince(time)) } ?? "unchanged"
        var none: SplitMix64? = nil
        let others = Rating.allCases.filter { $0 != rating }.map { r in
            "\(r.rawValue) \(r) \(Duration.short(scheduler.review(previous, rating: r, at: time, fuzz: &none).due.timeIntervalSince(time)))"
        }
        return
            "Saved. Rated \(rating) (\(rating.rawValue)); next review \(due). ('rate N' changes it: \(others.joined(separator: ", ")).)"
    }

    enum WaitChoice { case wait, now, stop }

    /// Only learning steps are left: asks whether to wait for the next, take it now, or stop.
    func waitChoice(app: App, until: Date, remaining: Int) -> WaitChoice? {
        let inSeconds = max(0, until.timeIntervalSinceNow)
        print("")
        print(
            "Only learning steps are left (\(Plural.count(remaining, "card"))); the next is due \(Duration.describe(inSeconds)).")
        while true {
            switch app.reader.read(prompt: "Wait for it (w), take it now (n), or stop (s)? [w] ", remember: false) {
            case .endOfInput: return nil
            case .interrupted: return .stop
            case .line(let text):
                switch text.trimmingWhitespace().lowercased() {
                case "", "w", "wait":
                    print("Waiting \(Duration.short(inSeconds)) (Ctrl-C stops waiting)…")
                    fflush(nil)
                    return app.reader.wait(until: until) ? .wait : .stop
                case "n", "now": return .now
                case "s", "stop", "q", "quit": return .stop
                default: print("Please answer w, n or s.")
                }
            }
        }
    }
}

/// Human wording for an interval.
enum Duration {
    static func describe(_ seconds: Double) -> String {
        if seconds < 45 { return "in \(Plural.count(max(1, Int(seconds.rounded())), "second"))" }
        if seconds < 90 { return "in about a minute" }
        if seconds < 3600 * 1.5 { return "in \(Plural.count(Int((seconds / 60).rounded()), "minute"))" }
        if seconds < 86_400 * 1.5 { return "in \(Plural.count(Int((seconds / 3600).rounded()), "hour"))" }
        return "in \(Plural.count(Int((seconds / 86_400).rounded()), "day"))"
    }

    /// `45s`, `10m`, `3h`, `12d`.
    static func short(_ seconds: Double) -> String {
        if seconds < 60 { return "\(max(0, Int(seconds.rounded())))s" }
        if seconds < 3600 { return "\(Int((seconds / 60).rounded()))m" }
        if seconds < 86_400 { return "\(Int((seconds / 3600).rounded()))h" }
        return "\(Int((seconds / 86_400).rounded()))d"
    }
}

/// Questions the user flagged, kept in `flags.jsonl` in the data directory.
enum Flags {
    static func add(_ question: Question, app: App) -> String {
        let url = app.dataDirectory.appendingPathComponent("flags.jsonl")
        let line = "{\"id\":\(jsonString(question.id)),\"time\":\"\(ISOTime.format(Date()))\"}\n"
        let fd = open(url.path, O_WRONLY | O_APPEND | O_CREAT, 0o644)
        guard fd >= 0 else { return "error: cannot write \(url.path)" }
        defer { close(fd) }
        let ok = line.utf8CString.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count - 1) } == line.utf8.count
        fsync(fd)
        return ok ? "Flagged \(question.id) (listed in \(url.lastPathComponent))." : "error: cannot write \(url.path)"
    }

    static func jsonString(_ s: String) -> String {
        let data = (try? JSONEncoder().encode(s)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

struct Practice: SaproCommand {
    static let configuration = CommandConfiguration(
        commandName: "practice",
        abstract: "Practice quiz: records attempts for statistics, leaves the schedule alone.",
        discussion: QuestionLoop.helpText)

    @Argument(help: "How many questions.") var count = 10
    @Option(help: "Only questions on this topic (repeatable).") var topic: [String] = []
    @Option(help: "Seed for a repeatable quiz.") var seed: UInt64?
    @OptionGroup var data: DataOptions
    @OptionGroup var content: ContentOptions

    func validate() throws {
        try OptionRange.check(count, 1...500, "the question count")
    }

    func run(in context: RunContext) throws {
        let app = try context.app(data: data, content: content)
        let store = try app.openStore()
        let topics = try topic.compactMap { try app.topicID($0) }.flatMap { app.topicScope($0).sorted() }
        let seed = seed ?? App.randomSeed()
        let builder = QuizBuilder(catalog: app.content.catalog, cards: app.cards, bank: app.quizzes.questions)
        let quiz = try reporting { try builder.build(count: count, seed: seed, topics: topics, distinctOnly: true) }
        var run = PracticeQuiz(id: "quiz-\(seed)-\(ISOTime.format(Date()))", questions: quiz.questions, started: Date())
        let repeatHint = (["quiz", "\(count)"] + topic.flatMap { ["--topic", $0] } + ["--seed", "\(seed)"]).joined(separator: " ")
        let short = quiz.questions.count < count ? "; only \(quiz.questions.count) distinct questions match" : ""
        print("Quiz of \(quiz.questions.count) (seed \(seed)\(short); '\(repeatHint)' repeats it).")
        var interrupts = InterruptTracker()
        loop: while let question = run.current {
            var asker = QuestionLoop(app: app)
            asker.flag = { q in Flags.add(q, app: app) }
            let outcome = asker.ask(question, header: "[\(run.index + 1)/\(quiz.questions.count)] \(question.topics.first ?? "")")
            if interrupts.leaves(after: outcome) { break loop }
            let now = Date()
            let ended: PracticeQuiz.Outcome
            switch outcome {
            case .answered(let grade, let input, let seconds, _): ended = .answered(grade, input: input, seconds: seconds)
            case .explained(let seconds): ended = .explained(seconds: seconds)
            case .skipped, .interrupted, .undo: ended = .skipped
            case .quit, .endOfInput: break loop
            }
            if let review = run.take(ended, at: now, day: app.day(now)) {
                try reporting { try store.record(review) }
                if case let .answered(grade, input, _) = ended { print(asker.feedback(question, grade: grade, input: input)) }
                // Printed only once the answer is on disk, like the drill's.
                print(app.style.dim("Saved."))
            }
        }
        print("")
        print("Quiz score: \(run.scoreLine). The schedule was not changed.")
        _ = try? store.record(session: run.record(ended: Date()))
    }
}

struct Undo: SaproCommand {
    static let configuration = CommandConfiguration(
        commandName: "undo", abstract: "Undo the last answer: its card's schedule and the statistics go back exactly.",
        discussion: """
            Without --session, only an answer saved by this sapro (this REPL, or this command) is \
            taken back, never one that another sapro saved in the same data directory. With \
            --session ID, the newest answer of that session is taken back, whoever saved it.
            """)
    @Option(help: "Undo the newest answer of this session (shown by a refused 'undo'), from any sapro.")
    var session: String?
    @OptionGroup var data: DataOptions

    func run(in context: RunContext) throws {
        let app = try context.app(data: data, content: ContentOptions.defaults())
        let store = try app.openStore()
        let undone: ReviewRecord<StudyCard>
        do {
            undone = try store.undoLast(session: session, anyProcess: session != nil)
        } catch .nothingToUndo where session != nil {
            throw fail(
                "session '\(session!.clipped())' has no answer that can still be undone (undo remembers the last 50 answers)")
        } catch {
            throw fail(error.errorDescription ?? "\(error)")
        }
        print("Undid your \(undone.mode.rawValue) answer '\(undone.answer)' to \(undone.card) (rated \(undone.rating)).")
    }
}

struct Stats: SaproCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Today's reviews, streak, retention, the exam plan, 7-day forecast, weakest topics and misconceptions.")
    @Option(help: "Plan for this exam day (YYYY-MM-DD) instead of the exam-date setting.") var examDate: String?
    @OptionGroup var content: ContentOptions
    @OptionGroup var data: DataOptions

    func validate() throws {
        if let examDate, examDate.count != 10 || ISOTime.parse(examDate + "T00:00:00Z") == nil {
            throw ValidationError("--exam-date must be a day like 2027-03-15, not '\(examDate.clipped())'")
        }
    }

    func run(in context: RunContext) throws {
        let app = try context.app(data: data, content: content)
        let store = try app.openStore()
        let scheduler = try app.scheduler()
        let now = Date()
        let today = app.day(now)
        let days = store.aggregates.days
        let todayTally = days[today] ?? Tally()
        var streak = 0
        var cursor = now
        if days[app.day(cursor)] == nil { cursor -= 86_400 }
        while days[app.day(cursor)] != nil { streak += 1; cursor -= 86_400 }
        let recent = days.filter { $0.key >= app.day(now - 30 * 86_400) }.values
        let recentAnswered = recent.reduce(0) { $0 + $1.answered }, recentCorrect = recent.reduce(0) { $0 + $1.correct }
        print(
            app.style.bold("Today")
                + ": \(todayTally.answered) answered, \(todayTally.correct) correct. Streak: \(streak) day\(streak == 1 ? "" : "s")."
        )
        print(
            app.style.bold("Last 30 days")
                + ": \(recentAnswered) answered, accuracy \(recentAnswered == 0 ? "–" : "\((recentCorrect * 100 + recentAnswered / 2) / recentAnswered)%")."
        )
        let studied = app.studiedItems(store)
        let states = Array(studied.values)
        let meanR =
            states.isEmpty ? nil : states.map { scheduler.retrievability($0, at: now) }.reduce(0, +) / Double(states.count)
        print(
            app.style.bold("Memory")
                + ": \(Plural.count(states.count, "card")) studied, estimated retention now \(meanR.map { "\(Int(($0 * 100).rounded()))%" } ?? "–")."
        )
        if store.cards.count > studied.count {
            let others = store.cards.count - studied.count
            print(
                "  \(Plural.count(others, "more studied card")) \(others == 1 ? "is" : "are") in content not loaded now; "
                    + "\(others == 1 ? "its" : "their") progress is kept.")
        }
        if let (plan, deadline) = app.examPlan(store, now: now, examDate: examDate) {
            let planned = plan.days.first.map { $0.reviews + $0.newItems } ?? 0
            let done = todayTally.answered
            let share = planned == 0 ? 100 : min(100, done * 100 / planned)
            print(
                app.style.bold("Exam \(plan.examDate)")
                    + ": \(Plural.count(plan.daysLeft, "day")) left; new material done by \(app.day(deadline.exam.addingTimeInterval(-Double(app.settings.examBufferDays) * 86_400))), "
                    + "every item seen again from \(app.day(deadline.stretchStart)).")
            print(
                "  Today: \(done) of \(planned) planned (\(share)%): \(plan.days.first?.reviews ?? 0) reviews and \(plan.days.first?.newItems ?? 0) new"
                    + " (\(plan.newPerDay) new a day; about \(Int((plan.days.first?.minutes ?? 0).rounded(.up))) minutes at \(Int(plan.secondsPerReview.rounded())) s an answer)."
            )
            for line in plan.advice { print("  " + line) }
        } else if let day = examDate ?? app.settings.examDate {
            print(
                app.style.bold("Exam \(day)")
                    + ": the date has passed (or is today); the schedule is plain FSRS. set exam-date none clears it.")
        }
        print(app.style.bold("Due, next 7 days") + ":")
        for offset in 0..<7 {
            let day = app.day(now + Double(offset) * 86_400)
            let count = states.filter { offset == 0 ? $0.due <= now || app.day($0.due) == day : app.day($0.due) == day }.count
            print("  \(day)  \(String(repeating: "▇", count: min(count, 50))) \(count)")
        }
        let weakest = store.aggregates.topics.filter { $0.value.answered >= 3 }
            .sorted { ($0.value.accuracy ?? 1, $0.key) < ($1.value.accuracy ?? 1, $1.key) }.prefix(5)
        print(app.style.bold("Weakest topics") + (weakest.isEmpty ? ": not enough answers yet (3 per topic)." : ":"))
        for (topic, tally) in weakest {
            print("  \(Int(((tally.accuracy ?? 0) * 100).rounded()))%  \(topic)  (\(tally.correct)/\(tally.answered))")
        }
        let misconceptions = store.aggregates.misconceptions.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(5)
        print(app.style.bold("Misconceptions") + (misconceptions.isEmpty ? ": none picked so far." : ":"))
        for (id, count) in misconceptions { print("  \(count)×  \(id)") }
    }
}

struct FlagsCommand: SaproCommand {
    static let configuration = CommandConfiguration(
        commandName: "flags",
        abstract: "List the questions you flagged ('flag' inside a question); 'flags clear' empties the list.")
    @Argument(help: "clear: remove every flag.") var action: String?
    @OptionGroup var data: DataOptions

    func validate() throws {
        if let action, action != "clear" {
            throw ValidationError("unknown action '\(action.clipped())'; the only one is 'clear'")
        }
    }

    func run(in context: RunContext) throws {
        let app = try context.app(data: data, content: ContentOptions.defaults())
        let url = app.dataDirectory.appendingPathComponent("flags.jsonl")
        if action == "clear" {
            if FileManager.default.fileExists(atPath: url.path) {
                do { try FileManager.default.removeItem(at: url) } catch {
                    throw fail("cannot remove \(url.path): \(error.localizedDescription)")
                }
            }
            print("No flagged questions now.")
            return
        }
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        var seen = Set<String>()
        var rows: [(id: String, time: String)] = []
        for (n, line) in text.split(separator: "\n").enumerated() {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let id = object["id"] as? String
            else {
                Terminal.warn("warning: \(url.path):\(n + 1): not a flag entry; skipped")
                continue
            }
            if seen.insert(id).inserted { rows.append((id, object["time"] as? String ?? "")) }
        }
        guard !rows.isEmpty else {
            print("No flagged questions. Type 'flag' inside a question to keep it here.")
            return
        }
        print("Flagged (\(rows.count)):")
        for row in rows { print("  \(row.time)  \(row.id)") }
    }
}
