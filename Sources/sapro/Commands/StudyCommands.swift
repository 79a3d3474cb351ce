import ArgumentParser
import Foundation
import SaproCore

/// A drill's view of one shown question: the item and the question drawn for it.
private struct Shown {
    var item: StudyItem
    var question: Question
}

struct Drill: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drill",
        abstract: "Spaced-repetition drill: due items first, then new ones.",
        discussion: """
        Each answer is graded at once, explained, and saved before the next question. Objective \
        answers are rated from correctness and time (wrong: again; fast: easy; slow: hard; else good); \
        'rate N' at the next question changes the last rating. Recall cards are self-rated.
        \(QuestionLoop.helpText)
        """)

    @Argument(help: "Only this topic (an id or its last part) and the topics under it.") var topic: String?
    @Option(help: "Stop after N questions.") var limit = 20
    @OptionGroup var data: DataOptions
    @OptionGroup var content: ContentOptions

    func validate() throws {
        guard (1...1000).contains(limit) else { throw ValidationError("--limit must be from 1 to 1000") }
    }

    func run() throws {
        let app = try App.obtain(data: data, content: content)
        let store = try app.openStore()
        let scheduler = try app.scheduler()
        let topicID = try app.topicID(topic)
        let now = Date()
        let today = app.day(now)
        let introducedToday = store.cards.values.filter { $0.introduced == today }.count
        let queue = ReviewQueue.build(
            items: app.studyItems, due: store.cards.mapValues(\.due),
            retrievability: { id in store.cards[id].map { scheduler.retrievability($0, at: now) } ?? 0 },
            now: now, newAllowance: app.settings.newCardsPerDay - introducedToday, topics: topicID.map(app.topicScope))
        let items = Array(queue.prefix(limit))
        guard !items.isEmpty else {
            let next = store.cards.values.map(\.due).filter { $0 > now }.min()
            print("Nothing due\(topicID.map { " in \($0)" } ?? "") and no new cards left today.\(next.map { " Next review: \(ISOTime.format($0))." } ?? "")")
            return
        }
        let session = "drill-\(ISOTime.format(now))-\(App.randomSeed() % 100_000)"
        var seeds = SplitMix64(seed: App.randomSeed())
        var answered = 0, correct = 0
        // The last saved answer; `selfRated` when it was a recall card, whose rating is its correctness.
        var last: (review: ReviewRecord<StudyCard>, previous: StudyCard?, selfRated: Bool)?
        print("Drill: \(items.count) question\(items.count == 1 ? "" : "s")\(topicID.map { " on \($0)" } ?? "").")
        itemLoop: for (index, item) in items.enumerated() {
            let question: Question
            switch item.kind {
            case .question(let q): question = q
            case .skill(let generatorID):
                // A drill on one topic draws instances until one is about that topic.
                guard let generator = Generators.named(generatorID) else { continue }
                var drawn: Question?
                let scope = topicID.map(app.topicScope)
                for _ in 0..<(scope == nil ? 1 : 40) {
                    guard let q = try? generator.generate(catalog: app.content.catalog, seed: seeds.next() % 1_000_000_000) else { continue }
                    if scope.map({ s in q.topics.contains { s.contains($0) } }) ?? true {
                        drawn = q
                        break
                    }
                }
                guard let q = drawn else { continue }
                question = q
            }
            var loop = QuestionLoop(app: app)
            loop.flag = { q in Flags.add(q, app: app) }
            loop.rerate = { value in
                guard let (review, previous, selfRated) = last else { return "Nothing answered yet in this drill." }
                do {
                    try store.undoLast(session: session)
                    var fuzz: SplitMix64? = app.settings.fuzz ? SplitMix64(seed: App.randomSeed()) : nil
                    var changed = review
                    changed.rating = value
                    if selfRated { changed.correct = value != Rating.again.rawValue }
                    changed.next = scheduler.review(previous, rating: Rating(rawValue: value)!, at: review.time, fuzz: &fuzz)
                    changed.next?.introduced = previous?.introduced ?? review.day
                    try store.record(changed)
                    correct += (changed.correct == true ? 1 : 0) - (review.correct == true ? 1 : 0)
                    last = (changed, previous, selfRated)
                    return "Changed the last rating to \(Rating(rawValue: value)!) (\(value))."
                } catch {
                    return "error: \((error as? LocalizedError)?.errorDescription ?? "\(error)")"
                }
            }
            let header = "[\(index + 1)/\(items.count)] \(question.topics.first ?? "")\(item.id.hasPrefix("skill:") ? "  (\(item.id))" : "")"
            let outcome = loop.ask(question, header: header)
            let grade: Grade, input: String, seconds: Double
            switch outcome {
            case .answered(let g, let i, let s): (grade, input, seconds) = (g, i, s)
            case .explained(let s): (grade, input, seconds) = (.incorrect(IncorrectAnswer(expected: question.body.expectedAnswerText, given: .number(0), misconceptions: [])), "(explained)", s)
            case .skipped: continue itemLoop
            case .quit, .interrupted: break itemLoop
            case .endOfInput: break itemLoop
            }
            let rating: Int
            if case .selfRated(let r) = grade { rating = r.rawValue } else {
                rating = RatingPolicy.rating(correct: grade.isCorrect == true, seconds: seconds,
                                             fast: app.settings.fastAnswer, slow: app.settings.slowAnswer)
            }
            let previous = store.cards[item.id]
            var fuzz: SplitMix64? = app.settings.fuzz ? SplitMix64(seed: seeds.next()) : nil
            let answeredAt = Date()
            var next = scheduler.review(previous, rating: Rating(rawValue: rating)!, at: answeredAt, fuzz: &fuzz)
            next.introduced = previous?.introduced ?? today
            let generatorID: String? = { if case .generator(let id, _) = question.source { return id } else { return nil } }()
            let review = ReviewRecord<StudyCard>(
                card: item.id, time: answeredAt, day: app.day(answeredAt), rating: rating, answer: input,
                correct: grade.isCorrect, responseMilliseconds: Int(seconds * 1000), session: session, mode: .drill,
                topics: question.topics, generator: generatorID, misconception: grade.misconception?.id,
                previous: previous, next: next)
            do {
                try store.record(review)
            } catch {
                // Nothing is shown as saved that was not saved.
                _ = fail(error.errorDescription ?? "\(error)")
                break itemLoop
            }
            last = (review, previous, { if case .selfRated = grade { return true } else { return false } }())
            answered += 1
            if grade.isCorrect == true { correct += 1 }
            if case .answered = outcome {
                print(QuestionText.feedback(question, grade: grade, given: question.body.parsedAnswer(input), width: app.width))
            }
            let due = next.due.timeIntervalSince(Date())
            print(app.style.dim("Saved. Rated \(Rating(rawValue: rating)!) (\(rating)); next review \(Duration.describe(due))."))
        }
        print("")
        print("Drill finished: \(answered) answered, \(correct) correct.")
        _ = try? store.record(session: SessionRecord(id: session, mode: .drill, started: now, ended: Date(), answered: answered, correct: correct))
    }
}

extension QuestionBody {
    /// What the user typed, parsed, when it parses (for explaining the option they picked).
    func parsedAnswer(_ input: String) -> ParsedAnswer? {
        if case .success(let parsed) = parse(input) { return parsed }
        return nil
    }
}

/// Human wording for an interval.
enum Duration {
    static func describe(_ seconds: Double) -> String {
        if seconds < 90 { return "in about a minute" }
        if seconds < 3600 * 1.5 { return "in \(Int((seconds / 60).rounded())) minutes" }
        if seconds < 86_400 * 1.5 { return "in \(Int((seconds / 3600).rounded())) hours" }
        return "in \(Int((seconds / 86_400).rounded())) days"
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

struct Practice: ParsableCommand {
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
        guard (1...500).contains(count) else { throw ValidationError("the question count must be from 1 to 500") }
    }

    func run() throws {
        let app = try App.obtain(data: data, content: content)
        let store = try app.openStore()
        let topics = try topic.compactMap { try app.topicID($0) }.flatMap { app.topicScope($0).sorted() }
        let seed = seed ?? App.randomSeed()
        let builder = QuizBuilder(catalog: app.content.catalog, cards: app.cards, bank: app.quizzes.questions)
        let quiz = try reporting { try builder.build(count: count, seed: seed, topics: topics) }
        let session = "quiz-\(seed)-\(ISOTime.format(Date()))"
        let started = Date()
        print("Quiz of \(quiz.questions.count) (seed \(seed); 'quiz \(count) --seed \(seed)' repeats it).")
        var answered = 0, correct = 0
        loop: for (i, question) in quiz.questions.enumerated() {
            var asker = QuestionLoop(app: app)
            asker.flag = { q in Flags.add(q, app: app) }
            switch asker.ask(question, header: "[\(i + 1)/\(quiz.questions.count)] \(question.topics.first ?? "")") {
            case .answered(let grade, let input, let seconds):
                let generatorID: String? = { if case .generator(let id, _) = question.source { return id } else { return nil } }()
                let review = ReviewRecord<StudyCard>(
                    card: question.id, time: Date(), day: app.day(Date()), rating: grade.isCorrect == true ? 3 : 1,
                    answer: input, correct: grade.isCorrect, responseMilliseconds: Int(seconds * 1000), session: session,
                    mode: .quiz, topics: question.topics, generator: generatorID, misconception: grade.misconception?.id)
                try reporting { try store.record(review) }
                answered += 1
                if grade.isCorrect == true { correct += 1 }
                print(QuestionText.feedback(question, grade: grade, given: question.body.parsedAnswer(input), width: app.width))
                // Printed only once the answer is on disk, like the drill's.
                print(app.style.dim("Saved."))
            case .explained(let seconds):
                // Asking for the answer counts as a miss, and is recorded as one.
                let review = ReviewRecord<StudyCard>(
                    card: question.id, time: Date(), day: app.day(Date()), rating: 1, answer: "(explained)", correct: false,
                    responseMilliseconds: Int(seconds * 1000), session: session, mode: .quiz, topics: question.topics,
                    generator: question.generatorID)
                try reporting { try store.record(review) }
                print(app.style.dim("Saved."))
                answered += 1
            case .skipped: continue
            case .quit, .interrupted, .endOfInput: break loop
            }
        }
        print("")
        print("Quiz score: \(correct)/\(answered)\(answered > 0 ? " (\((correct * 100 + answered / 2) / answered)%)" : ""). The schedule was not changed.")
        _ = try? store.record(session: SessionRecord(id: session, mode: .quiz, started: started, ended: Date(), answered: answered, correct: correct))
    }
}

struct Undo: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "undo", abstract: "Undo the last answer: its card's schedule and the statistics go back exactly.")
    @OptionGroup var data: DataOptions

    func run() throws {
        let app = try App.obtain(data: data, content: ContentOptions.defaults())
        let store = try app.openStore()
        let undone = try reporting { try store.undoLast() }
        print("Undid your \(undone.mode.rawValue) answer '\(undone.answer)' to \(undone.card) (rated \(undone.rating)).")
    }
}

struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "Today's reviews, streak, retention, 7-day forecast, weakest topics and misconceptions.")
    @OptionGroup var data: DataOptions

    func run() throws {
        let app = try App.obtain(data: data, content: ContentOptions.defaults())
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
        print(app.style.bold("Today") + ": \(todayTally.answered) answered, \(todayTally.correct) correct. Streak: \(streak) day\(streak == 1 ? "" : "s").")
        print(app.style.bold("Last 30 days") + ": \(recentAnswered) answered, accuracy \(recentAnswered == 0 ? "–" : "\((recentCorrect * 100 + recentAnswered / 2) / recentAnswered)%").")
        let states = Array(store.cards.values)
        let meanR = states.isEmpty ? nil : states.map { scheduler.retrievability($0, at: now) }.reduce(0, +) / Double(states.count)
        print(app.style.bold("Memory") + ": \(states.count) cards studied, estimated retention now \(meanR.map { "\(Int(($0 * 100).rounded()))%" } ?? "–").")
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
