import ArgumentParser
import Foundation
import SaproCore

/// Tools for benchmarks and reliability tests; hidden from help.
struct Dev: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev",
        abstract: "Developer tools for benchmarks and tests.", shouldDisplay: false,
        subcommands: [SimulateHistory.self, Append.self, Fit.self, Readiness.self, AnkiExportTiming.self, ContentTiming.self])

    struct SimulateHistory: SaproCommand {
        static let configuration = CommandConfiguration(
            commandName: "simulate-history",
            abstract: "Fill a data directory with a seeded, realistic history.")
        @Option(help: "Study items (cards); made up beyond the shipped ones.") var cards = 3000
        @Option(help: "Stop after this many reviews.") var reviews = 500_000
        @Option(help: "Days of history, ending today.") var days = 365
        @Option(help: "New cards a day.") var newPerDay = 20
        @Option(help: "Practice-quiz answers a study day besides the drill (heavy, long histories).") var practicePerDay = 0
        @Option var seed: UInt64 = 1
        @OptionGroup var data: DataOptions
        @OptionGroup var content: ContentOptions

        func validate() throws {
            try OptionRange.check(cards, 1...1_000_000, "--cards")
            try OptionRange.check(reviews, 0...100_000_000, "--reviews")
            try OptionRange.check(days, 1...36500, "--days")
            try OptionRange.check(newPerDay, 0...10_000, "--new-per-day")
            try OptionRange.check(practicePerDay, 0...10_000, "--practice-per-day")
        }

        func run(in context: RunContext) throws {
            let app = try context.app(data: data, content: content)
            var items = app.studyItems
            var n = 0
            while items.count < cards {
                let base = items[n % max(app.studyItems.count, 1)]
                let q = Question(
                    id: "sim:\(n)", source: .card(id: "sim:\(n)"), prompt: "simulated \(n)",
                    body: .recall(answer: "x"), explanation: [], topics: base.topics)
                items.append(StudyItem(question: q))
                n += 1
            }
            items = Array(items.prefix(cards))
            let start = Date(
                timeIntervalSince1970: (Date().timeIntervalSince1970 / 86_400).rounded(.down) * 86_400 - Double(days) * 86_400)
            let output = HistorySimulator(
                items: items, scheduler: try app.scheduler(), start: start, newPerDay: newPerDay, seed: seed,
                practicePerDay: practicePerDay
            )
            .run(days: days, maximumReviews: reviews, reviewsPerDayLimit: max(400, reviews / max(days / 2, 1)))
            let store = try app.openStore()
            try reporting { try store.importHistory(reviews: output.reviews, sessions: output.sessions) }
            print(
                "Wrote \(output.reviews.count) reviews of \(output.cards.count) cards and \(output.sessions.count) sessions to \(app.dataDirectory.path)."
            )
        }
    }

    /// Records reviews one at a time, printing `ack N` once each is durable: the reliability
    /// suite kills it at random moments and checks every acknowledged review survived.
    struct Append: SaproCommand {
        static let configuration = CommandConfiguration(
            commandName: "append", abstract: "Append N reviews, acknowledging each once saved.")
        @Option var count = 100
        @Option var tag = "w"
        @Flag(help: "Print the time spent saving (the loop, not start-up) to stderr, in seconds.") var timing = false
        @OptionGroup var data: DataOptions

        func validate() throws {
            try OptionRange.check(count, 0...10_000_000, "--count")
        }

        func run(in context: RunContext) throws {
            let app = try context.app(data: data, content: ContentOptions.defaults())
            let store = try app.openStore()
            let scheduler = try app.scheduler()
            // The journal's check runs from start-up; it is start-up's cost, not saving's.
            try reporting { try store.checkJournal() }
            let clock = ContinuousClock()
            let started = clock.now
            defer {
                if timing {
                    let d = (clock.now - started).components
                    let seconds = Double(d.seconds) + Double(d.attoseconds) / 1e18
                    FileHandle.standardError.write(Data("saving: \(seconds)\n".utf8))
                }
            }
            for i in 0..<count {
                let id = "\(tag)-\(i % 50)"
                let previous = store.cards[id]
                var none: SplitMix64? = nil
                let next = scheduler.review(previous, rating: .good, at: Date(), fuzz: &none)
                try reporting {
                    try store.record(
                        ReviewRecord(
                            card: id, time: Date(), day: app.day(Date()), rating: 3, answer: "\(tag)#\(i)",
                            correct: true, session: tag, mode: .drill, topics: [], previous: previous, next: next))
                }
                print("ack \(tag)#\(i)")
                fflush(nil)
            }
        }
    }
}

extension Dev {
    /// Times the optimizer alone (items already built), for `bench/run`; can write the training
    /// items so that fsrs-rs is timed on exactly the same ones.
    struct Fit: SaproCommand {
        static let configuration = CommandConfiguration(
            commandName: "fit", abstract: "Time FSRSOptimizer.fit on a log: the median of several runs, as JSON.")
        @OptionGroup var source: ReviewSource
        @Option(name: .customLong("repeat"), help: "Timed runs.") var runs = 5
        @Option(help: "Write the training items as JSON ([[card index, [[rating, delta_t], …]], …]) to this file.")
        var itemsOut: String?
        @OptionGroup var data: DataOptions

        func run(in context: RunContext) throws {
            let app = try context.app(data: data, content: ContentOptions.defaults())
            let set = TrainingSet(reviews: try source.reviews(app: app), days: ReviewSource.days(now: Date()))
            if let itemsOut {
                var text = "["
                for (i, item) in set.items.enumerated() {
                    if i > 0 { text += "," }
                    text +=
                        "[\(item.card),[" + set.reviews(of: item).map { "[\($0.rating),\($0.deltaDays)]" }.joined(separator: ",")
                        + "]]"
                }
                try reporting { try AtomicFile.write(Data((text + "]\n").utf8), to: URL(fileURLWithPath: itemsOut)) }
            }
            var times: [Double] = []
            var fit: OptimizerFit?
            for _ in 0..<max(1, runs) {
                let start = DispatchTime.now().uptimeNanoseconds
                fit = try reporting { try FSRSOptimizer.fit(set) }
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            }
            times.sort()
            let logLoss = fit.flatMap { ModelEvaluation.evaluate($0.parameters, on: set)?.logLoss } ?? .nan
            print(
                #"{"reviews": \#(set.reviewCount), "items": \#(set.items.count), "seconds": \#(times[times.count / 2]), "logLoss": \#(logLoss)}"#
            )
        }
    }
}

extension Dev {
    /// Times readiness alone (the estimate, the calibration and the plan) on a data directory,
    /// for `bench/run`.
    struct Readiness: SaproCommand {
        static let configuration = CommandConfiguration(
            commandName: "readiness", abstract: "Time the readiness estimate, its calibration and the plan, as JSON.")
        @Option(help: "The exam day (YYYY-MM-DD).") var examDate: String
        @Option(help: "The blueprint.") var blueprint = "container-networking"
        @Option(name: .customLong("repeat"), help: "Timed runs.") var runs = 5
        @OptionGroup var data: DataOptions

        func run(in context: RunContext) throws {
            let app = try context.app(data: data, content: ContentOptions.defaults())
            let store = try app.openStore()
            guard let plan = app.quizzes.blueprint(blueprint) else { throw fail("unknown blueprint \(blueprint)") }
            var times: [Double] = []
            var passProbability = 0.0
            for _ in 0..<max(1, runs) {
                let start = DispatchTime.now().uptimeNanoseconds
                let now = Date()
                let items = app.readinessItems(store)
                let calibration = CalibrationReport.make(exams: app.mockPredictions())
                let planned = app.examPlan(store, now: now, examDate: examDate)
                let estimate = ReadinessModel.estimate(
                    items: items, blueprint: plan, weights: app.settings.weights, now: now,
                    exam: planned?.deadline.exam ?? now, stretchDays: planned?.deadline.stretchDays ?? 7,
                    calibration: calibration?.inUse ?? .identity)
                passProbability = estimate.scenarios.last!.passProbability
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            }
            times.sort()
            print(
                #"{"cards": \#(store.cards.count), "items": \#(app.studyItems.count), "seconds": \#(times[times.count / 2]), "passProbability": \#(passProbability)}"#
            )
        }
    }
}

extension Dev {
    /// `export anki --with-progress` over every card of a data directory (a simulated history
    /// holds cards for made-up items too; each becomes a recall note), timed, for `bench/run`.
    struct AnkiExportTiming: SaproCommand {
        static let configuration = CommandConfiguration(
            commandName: "anki-export", abstract: "Time an Anki export of every card with its progress, as JSON.")
        @Option(help: "The package to write.") var out: String
        @OptionGroup var data: DataOptions

        func run(in context: RunContext) throws {
            let app = try context.app(data: data, content: ContentOptions.defaults())
            let store = try app.openStore()
            let start = DispatchTime.now().uptimeNanoseconds
            let log = try reporting { try store.compactReviewLog(details: true) }
            var notes = store.cards.keys.sorted().map { id in
                AnkiNote(
                    guid: "sapro:\(id)", type: .recall, fields: [id, "answer", "", "", ""], tags: ["sapro"], deck: "sapro::bench")
            }
            let now = Date()
            let dayStart = app.startOfDay(app.day(now))!.addingTimeInterval(-86_400 + 4 * 3600)
            AnkiExport.attach(
                AnkiExport.Progress(cards: store.cards, log: log, scheduler: try app.scheduler().fsrs, dayStart: dayStart),
                to: &notes)
            try reporting { try AnkiPackage.write(notes, to: URL(fileURLWithPath: out), now: now, dayStart: dayStart) }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            print(
                #"{"notes": \#(notes.count), "reviews": \#(notes.reduce(0) { $0 + $1.revlog.count }), "seconds": \#(seconds)}"#
            )
        }
    }
}

extension Dev {
    /// The stages of loading the content (read and parse, cards, search index), timed, for `bench/run`.
    struct ContentTiming: SaproCommand {
        static let configuration = CommandConfiguration(
            commandName: "content-timing", abstract: "Time loading the content library, its cards and its search index, as JSON.")
        @OptionGroup var content: ContentOptions

        func run(in context: RunContext) throws {
            func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
            let start = now()
            let loaded = try content.load(in: context, quiet: true)
            let parsed = now()
            let cards = ContentCards.build(from: loaded.library)
            let carded = now()
            _ = SearchIndex(library: loaded.library)
            let indexed = now()
            print(
                #"{"topics": \#(loaded.library.topics.count), "cards": \#(cards.cards.count), "load": \#(parsed - start), "cards_seconds": \#(carded - parsed), "search": \#(indexed - carded)}"#
            )
        }
    }
}
