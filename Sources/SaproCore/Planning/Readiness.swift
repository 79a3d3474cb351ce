import Foundation

/// One study item as readiness sees it: what it covers and its memory now.
public struct ReadinessItem: Sendable, Equatable {
    public var id: String
    public var topics: [String]
    public var domain: ExamDomain?
    /// `nil` for an item never studied.
    public var memory: MemoryState?
    public var lastReview: Date?

    public init(id: String, topics: [String], domain: ExamDomain?, memory: MemoryState?, lastReview: Date?) {
        self.id = id
        self.topics = topics
        self.domain = domain
        self.memory = memory
        self.lastReview = lastReview
    }
}

/// A logistic recalibration of predicted mastery: success = g + (1 − g)·σ(α + β·logit m).
public struct Calibration: Sendable, Equatable, Codable {
    public var alpha: Double
    public var beta: Double
    public static let identity = Calibration(alpha: 0, beta: 1)

    public init(alpha: Double, beta: Double) {
        self.alpha = alpha
        self.beta = beta
    }

    /// The chance of answering a question right with mastery `m`, guessing with probability `guess`.
    public func success(mastery m: Double, guess: Double) -> Double {
        let clamped = min(max(m, 1e-6), 1 - 1e-6)
        let z = alpha + beta * log(clamped / (1 - clamped))
        return guess + (1 - guess) / (1 + exp(-z))
    }
}

/// The probability of passing and the expected score at an exam date, computed from the memory
/// model: retrievability at the exam → topic mastery → per-question success with a guessing floor
/// → the exact distribution of the number correct (a Poisson-binomial, by dynamic programming).
public struct ReadinessEstimate: Sendable, Equatable, Codable {
    /// One way of getting to the exam.
    public struct Scenario: Sendable, Equatable, Codable {
        public var name: String
        public var passProbability: Double
        public var expectedCorrect: Double
        /// The 10th and 90th percentiles of the number correct.
        public var interval80: [Int]
        /// The expected correct share on the linear 100–1000 scale.
        public var expectedScore: Int
        public var topics: [Part]
        public var domains: [Part]
    }

    /// A blueprint topic or domain: its questions, mean retrievability at the exam and success per question.
    public struct Part: Sendable, Equatable, Codable {
        public var id: String
        public var questions: Int
        public var items: Int
        public var itemsSeen: Int
        public var mastery: Double
        public var success: Double
        public var expectedCorrect: Double
    }

    public var examDate: String
    public var daysLeft: Int
    public var scored: Int
    public var passMark: Int
    /// The fewest correct answers that reach the pass mark on the linear scale.
    public var passCorrect: Int
    /// Share of the blueprint's topic weight with at least one studied item.
    public var coverage: Double
    public var guess: Double
    public var calibration: Calibration
    public var scenarios: [Scenario]
    public var method: String
    public var assumptions: [String]
}

/// Readiness as a pure function of the items' memory, the blueprint, the exam date and the
/// calibration (no clock, no randomness: the same inputs give the same estimate).
public enum ReadinessModel {
    /// The chance of a right guess on a single-answer question of four options.
    public static let guess = 0.25

    public static let method =
        "Each item's retrievability at the exam date comes from its FSRS-6 memory state (an item never studied counts as 0). "
        + "A topic's mastery is the mean over the items that drill it, and a question on the topic is answered right with "
        + "probability g + (1 − g)·σ(α + β·logit mastery), with g = 0.25 (a guess among four options) and (α, β) = (0, 1) "
        + "until mock exams recalibrate them. The blueprint's topic weights give each topic its share of the scored questions "
        + "(largest remainders), and the number correct is a sum of independent Bernoulli trials whose exact distribution "
        + "gives the pass probability and the 80% interval. \"Follow the plan\" gives every studied item one more review in "
        + "the final stretch before the exam and introduces every unseen item before it (recall of that review drawn from "
        + "the model, so the estimate is an expectation over its outcome)."

    public static let assumptions = [
        "The scaled score is taken as linear from 100 to 1000 in the share correct; AWS equates forms and does not publish the mapping.",
        "Questions are single-answer with four options (AWS gives no partial credit on choose-two questions, which are harder to guess).",
    ]

    /// - Parameters:
    ///   - stretchDays: the final stretch before the exam in which the plan reviews every item.
    public static func estimate(
        items: [ReadinessItem], blueprint: Blueprint, weights: [Double], now: Date, exam: Date, stretchDays: Int,
        calibration: Calibration = .identity
    ) -> ReadinessEstimate {
        let model = FSRSModel(weights)
        let horizon = max(exam, now)
        let finalReview = max(now, exam.addingTimeInterval(-Double(max(stretchDays, 1)) * 86_400 / 2))
        let introduce = now.addingTimeInterval(max(0, finalReview.timeIntervalSince(now)) / 2)
        // Sorted by id, so that sums come out the same whatever the input order.
        let sorted = items.sorted { $0.id < $1.id }
        var rNow: [Double] = []
        var rPlan: [Double] = []
        for item in sorted {
            if let memory = item.memory, let last = item.lastReview {
                let days = horizon.timeIntervalSince(last) / 86_400
                rNow.append(model.retrievability(days: days, stability: memory.stability))
                rPlan.append(
                    exam > now
                        ? expectedAfterReview(model, memory, last: last, review: finalReview, exam: exam)
                        : rNow.last!)
            } else {
                rNow.append(0)
                if exam > now {
                    // Learned with Good when introduced, then the final-stretch review.
                    let first = MemoryState(stability: weights[2], difficulty: model.initialDifficulty(3))
                    rPlan.append(expectedAfterReview(model, first, last: introduce, review: finalReview, exam: exam))
                } else {
                    rPlan.append(0)
                }
            }
        }
        let passCorrect =
            (0...blueprint.questionCount).first {
                ScaledScore.of(correct: $0, outOf: blueprint.questionCount) >= blueprint.passMark
            } ?? blueprint.questionCount
        let topicShares = blueprint.weights.map { ($0.topic, $0.percent) }
        let topicQuestions = apportion(topicShares.map(\.1), total: blueprint.questionCount)
        let domainShares = ExamDomain.allCases.compactMap { d in blueprint.domains[d].map { (d, $0) } }
        let domainQuestions = apportion(domainShares.map(\.1), total: blueprint.questionCount)

        var coveredWeight = 0
        for weight in blueprint.weights {
            let seen = sorted.contains { $0.memory != nil && $0.topics.contains(where: weight.covers) }
            if seen { coveredWeight += weight.percent }
        }
        let totalWeight = max(1, blueprint.weights.reduce(0) { $0 + $1.percent })

        func scenario(_ name: String, _ r: [Double]) -> ReadinessEstimate.Scenario {
            func part(_ id: String, _ questions: Int, _ members: [Int]) -> ReadinessEstimate.Part {
                let mastery = members.isEmpty ? 0 : members.reduce(0.0) { $0 + r[$1] } / Double(members.count)
                let success = calibration.success(mastery: mastery, guess: guess)
                return .init(
                    id: id, questions: questions, items: members.count,
                    itemsSeen: members.filter { sorted[$0].memory != nil }.count, mastery: mastery, success: success,
                    expectedCorrect: Double(questions) * success)
            }
            let topics = zip(topicShares, topicQuestions).map { share, n in
                part(
                    share.0, n,
                    sorted.indices.filter { i in
                        sorted[i].topics.contains { blueprint.weights.first { $0.topic == share.0 }!.covers($0) }
                    })
            }
            let domains = zip(domainShares, domainQuestions).map { share, n in
                part(share.0.rawValue, n, sorted.indices.filter { sorted[$0].domain == share.0 })
            }
            var probabilities: [Double] = []
            for t in topics { probabilities += Array(repeating: t.success, count: t.questions) }
            let distribution = correctDistribution(probabilities)
            let expected = probabilities.reduce(0, +)
            return .init(
                name: name, passProbability: distribution[min(passCorrect, distribution.count)...].reduce(0, +),
                expectedCorrect: expected, interval80: [quantile(distribution, 0.1), quantile(distribution, 0.9)],
                expectedScore: ScaledScore.of(share: probabilities.isEmpty ? 0 : expected / Double(probabilities.count)),
                topics: topics, domains: domains)
        }
        var scenarios = [scenario("stop studying now", rNow)]
        if exam > now { scenarios.append(scenario("follow the plan", rPlan)) }
        return ReadinessEstimate(
            examDate: ISOTime.day(exam), daysLeft: max(0, Int((exam.timeIntervalSince(now) / 86_400).rounded(.up))),
            scored: blueprint.questionCount, passMark: blueprint.passMark, passCorrect: passCorrect,
            coverage: Double(coveredWeight) / Double(totalWeight), guess: guess, calibration: calibration,
            scenarios: scenarios, method: method, assumptions: assumptions)
    }

    /// The expected retrievability at `exam` of an item with `memory` (last reviewed at `last`)
    /// after one more review at `review`: recalled with the model's probability then.
    static func expectedAfterReview(_ model: FSRSModel, _ memory: MemoryState, last: Date, review: Date, exam: Date)
        -> Double
    {
        let gap = Double(max(0, Int(review.timeIntervalSince(last) / 86_400)))
        let r = model.retrievability(days: gap, stability: memory.stability)
        let success = model.step(memory, TrainingReview(rating: 3, deltaDays: max(1, Int(gap))))
        let failure = model.step(memory, TrainingReview(rating: 1, deltaDays: max(1, Int(gap))))
        let rest = exam.timeIntervalSince(review) / 86_400
        return r * model.retrievability(days: rest, stability: success.stability)
            + (1 - r) * model.retrievability(days: rest, stability: failure.stability)
    }

    /// The distribution of the number of successes of independent trials with `p`: element k is
    /// P(exactly k right).
    public static func correctDistribution(_ p: [Double]) -> [Double] {
        var dist = [1.0]
        for q in p {
            var next = [Double](repeating: 0, count: dist.count + 1)
            for (k, v) in dist.enumerated() {
                next[k] += v * (1 - q)
                next[k + 1] += v * q
            }
            dist = next
        }
        return dist
    }

    /// The smallest k with P(N ≤ k) ≥ q.
    static func quantile(_ distribution: [Double], _ q: Double) -> Int {
        var total = 0.0
        for (k, v) in distribution.enumerated() {
            total += v
            if total >= q - 1e-12 { return k }
        }
        return distribution.count - 1
    }

    /// Whole numbers proportional to `shares` adding up to `total` (largest remainders; ties to the earlier).
    public static func apportion(_ shares: [Int], total: Int) -> [Int] {
        let sum = shares.reduce(0, +)
        guard sum > 0 else { return shares.map { _ in 0 } }
        var counts = shares.map { $0 * total / sum }
        let remainders = shares.enumerated().map { ($0.offset, ($0.element * total) % sum) }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
        for (i, _) in remainders.prefix(total - counts.reduce(0, +)) { counts[i] += 1 }
        return counts
    }
}
