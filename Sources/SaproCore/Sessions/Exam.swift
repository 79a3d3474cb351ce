import Foundation

/// Picks a mock exam's questions from a blueprint: each weighted topic gets its share, and within
/// it the sources (bank, generators, cards) their shares; a short pool is topped up from the
/// other sources of the same topic, then from any topic.
public enum ExamBuilder {
    public static func build(
        blueprint: Blueprint, questionCount: Int? = nil, bank: [Question], cards: [Question],
        generators: [Generator], catalog: InstanceCatalog, seed: UInt64
    ) -> [Question] {
        var plan = blueprint
        if let questionCount { plan.questionCount = max(1, questionCount) }
        var random = SeededGenerator(seed: seed, stream: "exam:\(blueprint.id)")
        var used = Set<String>()
        var picked: [Question] = []
        var generatorSeed = random.next()
        let catalog = GeneratorCatalog(catalog)

        func pool(_ source: ExamSource, topic: String) -> [Question] {
            // A question belongs to the weight of its first (primary) topic.
            func inTopic(_ q: Question) -> Bool {
                guard let first = q.topics.first else { return false }
                return first == topic || first.hasPrefix(topic + "/")
            }
            switch source {
            case .bank: return random.shuffled(bank.filter { inTopic($0) && !used.contains($0.id) })
            case .cards: return random.shuffled(cards.filter { inTopic($0) && !used.contains($0.id) })
            case .generators:
                let eligible = generators.filter { g in g.topics.contains { $0 == topic || $0.hasPrefix(topic + "/") } }
                guard !eligible.isEmpty else { return [] }
                // Fresh instances; more than enough for any quota.
                var made: [Question] = []
                for i in 0..<(eligible.count * 4) {
                    generatorSeed = generatorSeed &+ 0x9E37_79B9_7F4A_7C15
                    let generator = eligible[(i + random.next(upperBound: eligible.count)) % eligible.count]
                    if let q = try? generator.generate(catalog: catalog, seed: generatorSeed % 1_000_000_007),
                        inTopic(q), !used.contains(q.id)
                    {
                        made.append(q)
                    }
                }
                return made
            }
        }

        let sourceShares = ExamSource.allCases.map { plan.sources[$0] ?? 0 }
        for (topic, count) in plan.questionsPerTopic() where count > 0 {
            let perSource = Blueprint.apportion(count, by: sourceShares)
            var taken: [Question] = []
            var shortfall = 0
            for (source, want) in zip(ExamSource.allCases, perSource) {
                let available = pool(source, topic: topic)
                let chosen = Array(available.prefix(want))
                shortfall += want - chosen.count
                for q in chosen { used.insert(q.id) }
                taken += chosen
            }
            for source in ExamSource.allCases where shortfall > 0 {
                let extra = Array(pool(source, topic: topic).prefix(shortfall))
                for q in extra { used.insert(q.id) }
                taken += extra
                shortfall -= extra.count
            }
            picked += taken
        }
        // Topics whose pools ran dry leave places; fill them from anywhere so the exam has its length.
        if picked.count < plan.questionCount {
            for topic in plan.weights.map(\.topic) {
                for source in ExamSource.allCases where picked.count < plan.questionCount {
                    let extra = Array(pool(source, topic: topic).prefix(plan.questionCount - picked.count))
                    for q in extra { used.insert(q.id) }
                    picked += extra
                }
            }
        }
        // Each item's options in an order of its own; the exam file keeps them as shown.
        return random.shuffled(picked).map { $0.shuffled(seed: random.next()) }
    }
}

/// How a mock exam runs.
public enum ExamMode: String, Sendable, Codable, CaseIterable {
    /// The real thing: the clock runs, answers are checked at the end.
    case timed
    /// Untimed; each answer's grade and explanation are shown right after it.
    case review
    /// One domain or topic, with time pro rata.
    case section
}

/// A drawn sitting: its items in order and which of them are unscored.
public struct ExamForm: Sendable, Equatable {
    public var questions: [Question]
    /// Indices of the items left out of the score (not shown as such during the exam).
    public var unscored: Set<Int>
}

extension ExamBuilder {
    /// Whether `question` has the shape of an SAP-C02 item: single answer of exactly 4 options, or
    /// "choose N" of 5 or more.
    public static func isExamShaped(_ question: Question) -> Bool {
        switch question.body {
        case let .singleChoice(choices, _): choices.count == 4
        case let .multipleChoice(choices, correct): choices.count >= 5 && correct.count >= 2
        default: false
        }
    }

    /// The sitting for `blueprint`. A blueprint with domains draws `itemCount` exam-shaped items
    /// apportioned by domain (bank and generated questions, never cards), then marks `unscored`
    /// of them at random; one without domains builds as `build` does, all scored. `domain` or
    /// `topic` keeps a section of the pool (section mode), with the count given.
    public static func form(
        blueprint: Blueprint, questionCount: Int? = nil, bank: [Question], cards: [Question],
        generators: [Generator], catalog: InstanceCatalog, seed: UInt64,
        domain: ExamDomain? = nil, topic: String? = nil
    ) -> ExamForm {
        guard !blueprint.domains.isEmpty else {
            let questions = build(
                blueprint: blueprint, questionCount: questionCount, bank: bank, cards: cards, generators: generators,
                catalog: catalog, seed: seed)
            return ExamForm(questions: questions, unscored: [])
        }
        var random = SeededGenerator(seed: seed, stream: "exam-form:\(blueprint.id)")
        let sectioned = domain != nil || topic != nil
        let total = questionCount ?? (sectioned ? max(1, blueprint.itemCount / 4) : blueprint.itemCount)
        let unscoredCount = sectioned || questionCount != nil ? 0 : min(blueprint.unscored, total)
        func inSection(_ q: Question) -> Bool {
            if let domain, q.domain != domain { return false }
            if let topic, !q.topics.contains(where: { $0 == topic || $0.hasPrefix(topic + "/") }) { return false }
            return true
        }
        let catalog = GeneratorCatalog(catalog)
        // Banks first by domain; generated items fill each domain's generator share.
        let bankPool = random.shuffled(bank.filter { isExamShaped($0) && $0.domain != nil && inSection($0) })
        var generated: [Question] = []
        var generatorSeed = random.next()
        let eligible = generators.filter { Generators.domain(of: $0.id) != nil }
        for _ in 0..<(eligible.count * 12) where !eligible.isEmpty {
            generatorSeed = generatorSeed &+ 0x9E37_79B9_7F4A_7C15
            let generator = eligible[random.next(upperBound: eligible.count)]
            if let q = try? generator.generate(catalog: catalog, seed: generatorSeed % 1_000_000_007), isExamShaped(q),
                inSection(q),
                !generated.contains(where: { $0.id == q.id || $0.prompt == q.prompt })
            {
                generated.append(q)
            }
        }
        let generatorShare = blueprint.sources[.generators] ?? 0
        let bankShare = max(0, 100 - generatorShare)
        let domainCounts =
            sectioned && domain != nil
            ? [(domain: domain!, count: total)] : blueprint.questionsPerDomain(total)
        var picked: [Question] = []
        var used = Set<String>()
        for (d, count) in domainCounts where count > 0 {
            let split = Blueprint.apportion(count, by: [bankShare, generatorShare])
            let fromBank = bankPool.filter { $0.domain == d && !used.contains($0.id) }
            let fromGenerators = generated.filter { $0.domain == d && !used.contains($0.id) }
            var chosen = Array(fromBank.prefix(split[0])) + Array(fromGenerators.prefix(split[1]))
            // A short source is topped up from the other one of the same domain.
            if chosen.count < count {
                let rest = (fromBank + fromGenerators).filter { q in !chosen.contains { $0.id == q.id } }
                chosen += rest.prefix(count - chosen.count)
            }
            for q in chosen { used.insert(q.id) }
            picked += chosen
        }
        // Domains whose pools ran dry leave places; fill them from any domain.
        if picked.count < total {
            let rest = (bankPool + generated).filter { !used.contains($0.id) }
            for q in rest.prefix(total - picked.count) {
                used.insert(q.id)
                picked.append(q)
            }
        }
        let questions = random.shuffled(picked).map { $0.shuffled(seed: random.next()) }
        let unscored = Set(random.shuffled(Array(questions.indices)).prefix(unscoredCount))
        return ExamForm(questions: questions, unscored: unscored)
    }
}

/// A mock exam in progress or finished. Saved after every change so it resumes after a crash.
public struct ExamSession: Sendable, Codable, Equatable {
    public static let schemaVersion = 1

    public var schemaVersion = ExamSession.schemaVersion
    public var id: String
    public var blueprintID: String
    public var title: String
    public var seed: UInt64
    public var passMark: Int
    public var minutes: Int
    public var questions: [Question]
    /// What the user answered for each question, as typed (validated for shape).
    public var answers: [String?]
    public var flagged: Set<Int>
    /// Seconds spent on each question (summed over visits).
    public var secondsPerQuestion: [Double]
    /// Seconds of exam time used so far; the clock runs only while the exam is open.
    public var elapsed: Double
    public var started: Date
    public var submitted: Date?
    /// Indices of unscored items (absent in files written before exams had them: all scored).
    public var unscoredItems: Set<Int>?
    /// How the sitting runs (absent in older files: timed).
    public var examMode: ExamMode?
    /// What readiness predicted for each question when the exam started (absent in older files).
    public var predictions: [ExamPrediction]?

    /// The frozen predictions of the scored questions next to their results, for calibration.
    public var predictedOutcomes: [PredictedOutcome] {
        guard let predictions, predictions.count == questions.count, submitted != nil else { return [] }
        return questions.indices.filter { !unscored.contains($0) }.map { i in
            PredictedOutcome(
                mastery: predictions[i].mastery, success: predictions[i].success, correct: grade(i)?.isCorrect == true)
        }
    }

    /// Items left out of the score.
    public var unscored: Set<Int> { unscoredItems ?? [] }
    /// Timed, review or section.
    public var mode: ExamMode { examMode ?? .timed }

    public init(id: String, blueprint: Blueprint, minutes: Int? = nil, questions: [Question], seed: UInt64, started: Date) {
        self.id = id
        self.blueprintID = blueprint.id
        self.title = blueprint.title
        self.seed = seed
        self.passMark = blueprint.passMark
        self.minutes = minutes ?? blueprint.minutes
        self.questions = questions
        self.answers = Array(repeating: nil, count: questions.count)
        self.flagged = []
        self.secondsPerQuestion = Array(repeating: 0, count: questions.count)
        self.elapsed = 0
        self.started = started
    }

    public var timeLimit: Double { Double(minutes * 60) }
    public var remaining: Double { max(0, timeLimit - elapsed) }
    public var isOver: Bool { elapsed >= timeLimit }
    public var unanswered: [Int] { answers.indices.filter { answers[$0] == nil } }

    /// Records (or changes) the answer to question `index`; an answer of the wrong shape is refused.
    public mutating func answer(_ index: Int, _ input: String) -> AnswerShapeError? {
        let question = questions[index]
        if case .recall = question.body {
            guard let rating = SelfRating(parsing: input) else {
                return .notAnOption(input, options: "1-4 or again, hard, good, easy")
            }
            answers[index] = String(rating.rawValue)
            return nil
        }
        switch question.body.parse(input) {
        case .failure(let error): return error
        case .success: answers[index] = input.trimmingWhitespace()
        }
        return nil
    }

    /// Adds time spent on question `index`.
    public mutating func spend(_ seconds: Double, on index: Int) {
        guard seconds.isFinite, seconds > 0 else { return }
        elapsed += seconds
        if secondsPerQuestion.indices.contains(index) { secondsPerQuestion[index] += seconds }
    }

    /// The grade of question `index` (unanswered counts as wrong).
    public func grade(_ index: Int) -> Grade? {
        guard let answer = answers[index] else { return nil }
        let question = questions[index]
        if case .recall = question.body {
            return SelfRating(parsing: answer).map(Grade.selfRated)
        }
        return question.body.grade(answer)
    }

    /// The result: scaled score, per-topic breakdown, pacing and the wrong answers.
    public func result(blueprint: Blueprint?) -> ExamResult {
        var correct = 0
        var topics: [String: Tally] = [:]
        var domains: [ExamDomain: Tally] = [:]
        var wrong: [Int] = []
        for index in questions.indices {
            let right = grade(index)?.isCorrect == true
            if !right { wrong.append(index) }
            // Unscored items are answered like the others but count nowhere.
            guard !unscored.contains(index) else { continue }
            if right { correct += 1 }
            if let domain = questions[index].domain {
                domains[domain, default: Tally()].answered += 1
                domains[domain, default: Tally()].correct += right ? 1 : 0
            }
            let topic =
                blueprint?.weight(for: questions[index].topics.first ?? "")?.topic ?? questions[index].topics.first ?? "other"
            var tally = topics[topic, default: Tally()]
            tally.answered += 1
            tally.correct += right ? 1 : 0
            topics[topic] = tally
        }
        let total = questions.count - unscored.count
        let scaled = ScaledScore.of(correct: correct, outOf: total)
        return ExamResult(
            correct: correct, total: total, scaledScore: scaled, passMark: passMark,
            passed: scaled >= passMark, topics: topics, wrong: wrong,
            elapsed: elapsed, timeLimit: timeLimit,
            budgetPerQuestion: questions.isEmpty ? 0 : timeLimit / Double(questions.count),
            slowest: questions.indices.sorted { secondsPerQuestion[$0] > secondsPerQuestion[$1] }.prefix(3).map { $0 },
            domains: domains)
    }
}

/// The outcome of a mock exam.
public struct ExamResult: Sendable, Equatable, Codable {
    public var correct: Int
    public var total: Int
    public var scaledScore: Int
    public var passMark: Int
    public var passed: Bool
    public var topics: [String: Tally]
    /// Indices of wrong or unanswered questions.
    public var wrong: [Int]
    public var elapsed: Double
    public var timeLimit: Double
    public var budgetPerQuestion: Double
    /// The three questions that took longest.
    public var slowest: [Int]
    /// Scored items per SAP-C02 domain.
    public var domains: [ExamDomain: Tally] = [:]

    /// AWS's score report says, per section, "Meets competencies" or "Needs improvement"; here a
    /// domain meets them when its share correct reaches the pass mark's share of the scale.
    public func band(_ domain: ExamDomain) -> String? {
        guard let tally = domains[domain], tally.answered > 0 else { return nil }
        let needed =
            Double(passMark - ScaledScore.range.lowerBound) / Double(ScaledScore.range.upperBound - ScaledScore.range.lowerBound)
        return Double(tally.correct) / Double(tally.answered) >= needed ? "meets competencies" : "needs improvement"
    }
}

/// Readiness's prediction for one exam question, frozen when the exam starts.
public struct ExamPrediction: Sendable, Equatable, Codable {
    /// Mean retrievability of the items on the question's topic.
    public var mastery: Double
    /// The chance of answering it right (the guessing floor and calibration applied).
    public var success: Double

    public init(mastery: Double, success: Double) {
        self.mastery = mastery
        self.success = success
    }

    /// Predictions for `questions` from an estimate made for now: each question takes the mastery
    /// of its blueprint topic (the mean over all topics for one outside the blueprint).
    public static func freeze(
        _ questions: [Question], estimate: ReadinessEstimate, blueprint: Blueprint
    ) -> [ExamPrediction] {
        let parts = estimate.scenarios[0].topics
        let mean = parts.isEmpty ? 0 : parts.reduce(0.0) { $0 + $1.mastery } / Double(parts.count)
        return questions.map { q in
            let topic = blueprint.weight(for: q.topics.first ?? "")?.topic
            let m = parts.first { $0.id == topic }?.mastery ?? mean
            return ExamPrediction(mastery: m, success: estimate.calibration.success(mastery: m, guess: estimate.guess))
        }
    }
}
