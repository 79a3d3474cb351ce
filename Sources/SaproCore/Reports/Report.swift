import Foundation

/// Everything a progress report shows, computed from the review log and the card states.
/// Exported as JSON as it is; Markdown, HTML and CSV render from it.
public struct Report: Sendable, Codable, Equatable {
    public static let schemaVersion = 1

    public struct Totals: Sendable, Codable, Equatable {
        public var reviews: Int
        public var correct: Int
        public var accuracy: Double?
        public var cardsStudied: Int
        public var dueNow: Int
        public var days: Int
        public var currentStreak: Int
    }

    public struct TopicRow: Sendable, Codable, Equatable {
        public var topic: String
        /// Mean retrievability of the topic's studied cards now (0–1), `nil` when none studied.
        public var mastery: Double?
        public var cardsStudied: Int
        public var reviews: Int
        public var accuracy: Double?
    }

    /// Drill reviews whose interval since the card's previous review falls in one of RMSE(bins)'s
    /// interval bins: observed recall next to what the memory model predicted.
    public struct RetentionBand: Sendable, Codable, Equatable {
        public var band: String
        public var reviews: Int
        public var recalled: Int
        public var retention: Double?
        /// Mean predicted probability of recall, with the parameters in use.
        public var predicted: Double?
    }

    /// How well the parameters in use predict the learner's reviews (`srs evaluate`'s figures).
    public struct ModelFit: Sendable, Codable, Equatable {
        /// "defaults" or where fitted parameters came from.
        public var parameters: String
        public var items: Int
        public var logLoss: Double
        public var rmseBins: Double
        /// How days between reviews were counted.
        public var days: String
    }

    public struct DayCount: Sendable, Codable, Equatable {
        public var day: String
        public var reviews: Int
        public var correct: Int
    }

    public struct ForecastDay: Sendable, Codable, Equatable {
        public var day: String
        public var due: Int
    }

    public struct AccuracyRow: Sendable, Codable, Equatable {
        public var id: String
        public var reviews: Int
        public var accuracy: Double?
    }

    public struct MisconceptionRow: Sendable, Codable, Equatable {
        public var id: String
        public var count: Int
    }

    public struct ExamRow: Sendable, Codable, Equatable {
        public var id: String
        public var date: String
        public var blueprint: String?
        public var correct: Int
        public var total: Int
        public var score: Int?
        public var passed: Bool?
    }

    public struct Readiness: Sendable, Codable, Equatable {
        /// The expected scaled score (100–1000) on the blueprint, or `nil` with too little data.
        public var expectedScore: Int?
        public var passMark: Int
        /// Share of the blueprint's weight whose topics have been practised.
        public var coverage: Double
        public var verdict: String
        public var method: String
        /// The prediction at the exam date (or today), when the report was given the items.
        public var estimate: ReadinessEstimate?
        /// How the predictions frozen at the start of mock exams matched their results.
        public var calibration: CalibrationReport?
        /// The plan to the exam date, when one is set.
        public var plan: ExamPlan?
    }

    public var schemaVersion = Report.schemaVersion
    public var generated: String
    public var since: String?
    public var totals: Totals
    public var topics: [TopicRow]
    public var retention: [RetentionBand]
    /// `nil` when no card was reviewed again on a later day.
    public var modelFit: ModelFit?
    public var daily: [DayCount]
    public var forecast: [ForecastDay]
    public var generators: [AccuracyRow]
    public var misconceptions: [MisconceptionRow]
    public var exams: [ExamRow]
    public var readiness: Readiness

    public var isEmpty: Bool { totals.reviews == 0 && exams.isEmpty }
}

/// Builds a `Report`. The caller passes the clock and the scheduler's view of card states.
public struct ReportBuilder<State: Codable & Sendable & Equatable> {
    /// The reviews, when the builder was made from records (ignored when `log` is set).
    public var reviews: [ReviewRecord<State>]
    /// The reviews in compact form (from `ProgressStore.compactReviewLog()`); when `nil`, the
    /// report reads `reviews`.
    public var log: ReviewLog?
    public var cards: [String: State]
    public var sessions: [SessionRecord]
    /// Topics of each card id (content cards, bank questions, `skill:` generators).
    public var cardTopics: [String: [String]]
    public var due: (State) -> Date
    public var retrievability: (State, Date) -> Double
    public var blueprint: Blueprint?
    /// Seconds east of UTC for calendar days of due dates.
    public var utcOffset: Int
    /// The FSRS-6 weights in use, for predicted recall, and what to call them.
    public var weights = FSRSParameters.defaultWeights
    public var weightsName = "defaults"
    /// For readiness as a prediction: every study item with its memory now, the exam day (today
    /// when `nil`), the final stretch, the mock exams' frozen predictions (oldest first) and the plan.
    public var readinessItems: [ReadinessItem]?
    public var examDate: Date?
    public var stretchDays = 7
    public var mockPredictions: [[PredictedOutcome]] = []
    public var plan: ExamPlan?

    public init(
        reviews: [ReviewRecord<State>], cards: [String: State], sessions: [SessionRecord],
        cardTopics: [String: [String]], due: @escaping (State) -> Date,
        retrievability: @escaping (State, Date) -> Double, blueprint: Blueprint?, utcOffset: Int = 0
    ) {
        self.reviews = reviews
        self.cards = cards
        self.sessions = sessions
        self.cardTopics = cardTopics
        self.due = due
        self.retrievability = retrievability
        self.blueprint = blueprint
        self.utcOffset = utcOffset
    }

    /// A builder over a compact review log; the report equals one built from the same reviews as records.
    public init(
        log: ReviewLog, cards: [String: State], sessions: [SessionRecord],
        cardTopics: [String: [String]], due: @escaping (State) -> Date,
        retrievability: @escaping (State, Date) -> Double, blueprint: Blueprint?, utcOffset: Int = 0
    ) {
        self.init(
            reviews: [], cards: cards, sessions: sessions, cardTopics: cardTopics, due: due,
            retrievability: retrievability, blueprint: blueprint, utcOffset: utcOffset)
        self.log = log
    }

    func day(_ date: Date) -> String { ISOTime.day(date.addingTimeInterval(Double(utcOffset))) }

    /// Adds up per-index counts into a table keyed by the indexed strings. Distinct byte
    /// sequences that compare equal as `String`s (canonical equivalence) share one key, as they
    /// would in a dictionary filled review by review.
    private static func merge<Value>(
        _ values: [String], _ counts: [Value], present: (Value) -> Bool,
        _ add: (inout Value, Value) -> Void
    ) -> [String: Value] {
        var table: [String: Value] = [:]
        for (i, count) in counts.enumerated() where present(count) {
            if table[values[i]] == nil { table[values[i]] = count } else { add(&table[values[i]]!, count) }
        }
        return table
    }

    public func build(now: Date, since: String? = nil) -> Report {
        let log = self.log ?? ReviewLog(reviews)
        let rows = log.rows
        // Whether each day is in the report's range, decided once per distinct day.
        let dayIncluded = log.days.map { d in since.map { d >= $0 } ?? true }
        let today = day(now)

        // One pass over the selected reviews, counting by index.
        var selectedCount = 0, correct = 0
        // A value counts as present (a key of the tables below) once a review was tallied.
        var dayTallies = [Tally](repeating: Tally(), count: log.days.count)
        var topicTallies = [Tally](repeating: Tally(), count: log.topics.count)
        var generatorCounts = [Tally](repeating: Tally(), count: log.generators.count)
        var misconceptionCounts = [Int](repeating: 0, count: log.misconceptions.count)
        var topicListUses = [Tally](repeating: Tally(), count: log.topicLists.count)
        for r in rows where dayIncluded[Int(r.day)] {
            let right = r.correct == true ? 1 : 0
            selectedCount += 1
            correct += right
            dayTallies[Int(r.day)].answered += 1
            dayTallies[Int(r.day)].correct += right
            topicListUses[Int(r.topics)].answered += 1
            topicListUses[Int(r.topics)].correct += right
            if r.generator >= 0 {
                generatorCounts[Int(r.generator)].answered += 1
                generatorCounts[Int(r.generator)].correct += right
            }
            if r.misconception >= 0 { misconceptionCounts[Int(r.misconception)] += 1 }
        }
        for (list, uses) in topicListUses.enumerated() where uses.answered > 0 {
            for t in log.topicLists[list] {
                topicTallies[Int(t)].answered += uses.answered
                topicTallies[Int(t)].correct += uses.correct
            }
        }
        let addTally = { (a: inout Tally, b: Tally) in
            a.answered += b.answered; a.correct += b.correct
        }
        let tallied = { (t: Tally) in t.answered > 0 }

        // Per-day counts and the streak of consecutive study days ending today (or yesterday).
        let perDay = Self.merge(log.days, dayTallies, present: tallied, addTally)
        let daily = perDay.keys.sorted().map {
            Report.DayCount(day: $0, reviews: perDay[$0]!.answered, correct: perDay[$0]!.correct)
        }
        var streak = 0
        var cursor = now.addingTimeInterval(Double(utcOffset))
        if perDay[ISOTime.day(cursor)] == nil { cursor -= 86_400 }
        while perDay[ISOTime.day(cursor)] != nil {
            streak += 1
            cursor -= 86_400
        }

        // Topics: mastery from card states now, accuracy from the log.
        let topicReviews = Self.merge(log.topics, topicTallies, present: tallied, addTally)
        var topicR: [String: [Double]] = [:]
        // In id order, so floating-point sums come out the same on every run.
        for id in cards.keys.sorted() {
            for t in cardTopics[id] ?? [] { topicR[t, default: []].append(retrievability(cards[id]!, now)) }
        }
        let topicIDs = Set(topicReviews.keys).union(topicR.keys).sorted()
        let topics = topicIDs.map { t in
            let rs = topicR[t] ?? []
            return Report.TopicRow(
                topic: t, mastery: rs.isEmpty ? nil : rs.reduce(0, +) / Double(rs.count),
                cardsStudied: rs.count, reviews: topicReviews[t]?.answered ?? 0,
                accuracy: topicReviews[t]?.accuracy)
        }

        // True retention: drill reviews of cards seen on an earlier day, in RMSE(bins)'s interval
        // bins, next to the recall the memory model predicted for them.
        let days = DayConvention(utcOffsetSeconds: utcOffset)
        let training = TrainingSet(log: log, days: days).filter { time in
            since.map { day(time) >= $0 } ?? true
        }
        let retention = IntervalBin.bins(weights, on: training).map { bin in
            Report.RetentionBand(
                band: "\(bin.fromDays)–\(bin.toDays) days", reviews: bin.reviews, recalled: bin.recalled,
                retention: bin.observed, predicted: bin.predicted)
        }
        let modelFit = ModelEvaluation.evaluate(weights, on: training).map {
            Report.ModelFit(
                parameters: weightsName, items: $0.items, logLoss: $0.logLoss, rmseBins: $0.rmseBins, days: days.summary)
        }

        // Forecast: cards due on each of the next 30 days (overdue ones count today).
        var dueCounts: [String: Int] = [:]
        var dueNow = 0
        for state in cards.values {
            let when = due(state)
            if when <= now { dueNow += 1 }
            dueCounts[when <= now ? today : day(when), default: 0] += 1
        }
        let forecast = (0..<30).map { offset -> Report.ForecastDay in
            let d = day(now.addingTimeInterval(Double(offset) * 86_400))
            return Report.ForecastDay(day: d, due: dueCounts[d] ?? 0)
        }

        let generatorTallies = Self.merge(log.generators, generatorCounts, present: tallied, addTally)
        let misconceptionTable = Self.merge(log.misconceptions, misconceptionCounts, present: { $0 > 0 }) { $0 += $1 }
        let generators = generatorTallies.keys.sorted().map {
            Report.AccuracyRow(id: $0, reviews: generatorTallies[$0]!.answered, accuracy: generatorTallies[$0]!.accuracy)
        }
        let misconceptions = misconceptionTable.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
            .map { Report.MisconceptionRow(id: $0.key, count: $0.value) }

        let exams = sessions.filter { $0.mode == .exam && $0.ended != nil }
            .filter { s in since.map { day(s.started) >= $0 } ?? true }
            .map { s in
                Report.ExamRow(
                    id: s.id, date: day(s.started), blueprint: s.blueprint, correct: s.correct, total: s.answered,
                    score: s.score, passed: s.score.map { $0 >= (blueprint?.passMark ?? 750) })
            }

        return Report(
            generated: ISOTime.format(now), since: since,
            totals: .init(
                reviews: selectedCount, correct: correct,
                accuracy: selectedCount == 0 ? nil : Double(correct) / Double(selectedCount),
                cardsStudied: cards.count, dueNow: dueNow, days: perDay.count, currentStreak: streak),
            topics: topics, retention: retention, modelFit: modelFit, daily: daily, forecast: forecast,
            generators: generators, misconceptions: misconceptions, exams: exams,
            readiness: readiness(topics: topics, exams: exams, now: now))
    }

    /// Readiness from the memory model (`ReadinessModel`), recalibrated on mock exams when that
    /// predicted held-out exams better.
    func predictedReadiness(items: [ReadinessItem], blueprint: Blueprint, now: Date) -> Report.Readiness {
        let calibration = CalibrationReport.make(exams: mockPredictions)
        let estimate = ReadinessModel.estimate(
            items: items, blueprint: blueprint, weights: weights, now: now, exam: examDate ?? now, stretchDays: stretchDays,
            calibration: calibration?.inUse ?? .identity)
        let main = estimate.scenarios.last!
        let stop = estimate.scenarios[0]
        var verdict = "pass probability \(Int((stop.passProbability * 100).rounded()))% if you stop studying now"
        if estimate.scenarios.count > 1 {
            verdict += ", \(Int((main.passProbability * 100).rounded()))% if you follow the plan to \(estimate.examDate)"
        }
        return .init(
            expectedScore: main.expectedScore, passMark: blueprint.passMark, coverage: estimate.coverage, verdict: verdict,
            method: ReadinessModel.method, estimate: estimate, calibration: calibration, plan: plan)
    }

    static var readinessMethod: String {
        "For each topic weight of the blueprint, the chance of answering right is estimated as (correct + 1) / (answered + 2) "
            + "over the reviews in that topic (a Laplace-smoothed accuracy), averaged with the mean retrievability of the topic's studied cards when there are any. "
            + "The weighted sum is the expected share of right answers, mapped linearly onto 100–1000 like the mock exams; "
            + "an unpractised topic counts at 0.25 (a guess among four options). Mock exam scores, when there are any, are averaged in with equal weight to the estimate."
    }

    func readiness(topics: [Report.TopicRow], exams: [Report.ExamRow], now: Date) -> Report.Readiness {
        if let items = readinessItems, let blueprint {
            return predictedReadiness(items: items, blueprint: blueprint, now: now)
        }
        guard let blueprint else {
            return .init(
                expectedScore: nil, passMark: 750, coverage: 0, verdict: "no blueprint to measure against",
                method: Self.readinessMethod)
        }
        var expected = 0.0
        var covered = 0.0
        var anyData = false
        for weight in blueprint.weights {
            let rows = topics.filter { weight.covers($0.topic) }
            let answered = rows.reduce(0) { $0 + $1.reviews }
            let right = rows.reduce(0.0) { $0 + Double($1.reviews) * ($1.accuracy ?? 0) }
            let share = Double(weight.percent) / 100
            guard answered > 0 else {
                expected += share * 0.25
                continue
            }
            anyData = true
            covered += share
            var p = (right + 1) / (Double(answered) + 2)
            let masteries = rows.compactMap(\.mastery)
            if !masteries.isEmpty { p = (p + masteries.reduce(0, +) / Double(masteries.count)) / 2 }
            expected += share * p
        }
        guard anyData else {
            return .init(
                expectedScore: nil, passMark: blueprint.passMark, coverage: 0,
                verdict: "not enough practice yet to estimate", method: Self.readinessMethod)
        }
        var score = ScaledScore.of(share: expected)
        let examScores = exams.compactMap(\.score)
        if !examScores.isEmpty {
            score = (score + examScores.reduce(0, +) / examScores.count) / 2
        }
        let verdict: String
        if score >= blueprint.passMark + 50 && covered >= 0.99 {
            verdict = "likely to pass"
        } else if score >= blueprint.passMark {
            verdict = "around the pass line: keep drilling the weakest topics"
        } else {
            verdict = "not yet ready: \(blueprint.passMark - score) points below the pass line"
        }
        return .init(
            expectedScore: score, passMark: blueprint.passMark, coverage: covered, verdict: verdict,
            method: Self.readinessMethod)
    }
}
