import Foundation

/// Settings of the FSRS-6 scheduler, mirroring py-fsrs 6.3.2's `Scheduler` arguments.
public struct FSRSParameters: Sendable, Hashable, Codable {
    /// py-fsrs 6.3.2's default weights w[0] … w[20].
    public static let defaultWeights: [Double] = [
        0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796,
        1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542,
    ]
    /// Bounds py-fsrs accepts for each weight.
    public static let weightBounds: [ClosedRange<Double>] = [
        0.001...100, 0.001...100, 0.001...100, 0.001...100, 1...10, 0.001...4, 0.001...4,
        0.001...0.75, 0...4.5, 0...0.8, 0.001...3.5, 0.001...5, 0.001...0.25, 0.001...0.9,
        0...4, 0...1, 1...6, 0...2, 0...2, 0...0.8, 0.1...0.8,
    ]

    /// Reads 21 comma-separated weights (`0.212,1.2931,…`), each inside `weightBounds`.
    public static func parseWeights(_ text: String) throws(SchedulingError) -> [Double] {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingWhitespace() }
        guard parts.count == 21 else { throw .wrongWeightCount(parts.count) }
        var weights: [Double] = []
        for (i, part) in parts.enumerated() {
            guard let w = Double(part), w.isFinite else { throw .weightNotANumber(index: i, text: String(part)) }
            weights.append(w)
        }
        try FSRSParameters(weights: weights).validate()
        return weights
    }

    /// The weights as `parseWeights` reads them, four decimals each.
    public static func formatWeights(_ weights: [Double]) -> String {
        weights.map { String(format: "%.4f", $0) }.joined(separator: ",")
    }

    /// The 21 model weights.
    public var weights: [Double]
    /// Target probability of recall when a review card comes due (default 0.9).
    public var desiredRetention: Double
    /// Delays of the learning steps, in seconds (default 1 minute, 10 minutes). Empty: a new
    /// card graduates to review on its first answer.
    public var learningSteps: [Int]
    /// Delays of the relearning steps, in seconds (default 10 minutes). Empty: a lapse stays in
    /// review with a new day interval.
    public var relearningSteps: [Int]
    /// Longest review interval in days (default 36500).
    public var maximumInterval: Int
    /// Whether review intervals are fuzzed when a generator is passed to `review`.
    public var enableFuzz: Bool

    public init(
        weights: [Double] = FSRSParameters.defaultWeights,
        desiredRetention: Double = 0.9,
        learningSteps: [Int] = [60, 600],
        relearningSteps: [Int] = [600],
        maximumInterval: Int = 36500,
        enableFuzz: Bool = true
    ) {
        self.weights = weights
        self.desiredRetention = desiredRetention
        self.learningSteps = learningSteps
        self.relearningSteps = relearningSteps
        self.maximumInterval = maximumInterval
        self.enableFuzz = enableFuzz
    }

    /// Throws the first setting that py-fsrs would reject or that makes no sense.
    public func validate() throws(SchedulingError) {
        guard weights.count == 21 else { throw .wrongWeightCount(weights.count) }
        for (i, (w, bounds)) in zip(weights, Self.weightBounds).enumerated() where !bounds.contains(w) {
            throw .weightOutOfBounds(index: i, value: w, lower: bounds.lowerBound, upper: bounds.upperBound)
        }
        guard desiredRetention > 0, desiredRetention <= 1 else { throw .desiredRetentionOutOfRange(desiredRetention) }
        for s in learningSteps + relearningSteps where s <= 0 { throw .nonPositiveStep(seconds: s) }
        guard maximumInterval >= 1 else { throw .maximumIntervalTooSmall(maximumInterval) }
    }
}

/// One card as FSRS sees it: the same fields as py-fsrs's `Card`, with a `new` state instead
/// of "learning without a memory state".
public struct SchedulingCard: ScheduledCard {
    /// Life-cycle state.
    public var state: CardState
    /// Index into the learning or relearning steps; `nil` when new or in review.
    public var step: Int?
    /// Stability and difficulty; `nil` only for a new card.
    public var memory: MemoryState?
    /// When the card should next be shown.
    public var due: Date
    /// When the card was last reviewed; `nil` only for a new card.
    public var lastReview: Date?

    /// A card with every field given.
    public init(state: CardState, step: Int?, memory: MemoryState?, due: Date, lastReview: Date?) {
        self.state = state
        self.step = step
        self.memory = memory
        self.due = due
        self.lastReview = lastReview
    }

    /// A never-reviewed card, due at `due`.
    public static func new(due: Date) -> SchedulingCard {
        SchedulingCard(state: .new, step: nil, memory: nil, due: due, lastReview: nil)
    }
}

/// FSRS-6, computed operation for operation like py-fsrs 6.3.2 so results agree to the last bit
/// on the same libm. A value type with no clock: the review time is always an argument.
public struct FSRSScheduler: ReviewScheduler {
    public static let kind = SchedulerKind.fsrs6

    /// The settings in use.
    public let parameters: FSRSParameters
    // w[0...20] unpacked once; the hot path reads these rather than the array.
    @usableFromInline let w: [Double]
    @usableFromInline let decay: Double
    @usableFromInline let factor: Double
    /// The factor turning stability into an interval at the desired retention.
    @usableFromInline let intervalFactor: Double
    @usableFromInline let easyInitialDifficulty: Double
    @usableFromInline let shortTermForgetDivisor: Double
    @usableFromInline let expW8: Double

    /// Python's `math.e`; py-fsrs raises it with `**` (that is, `pow`), not `exp`, and we must too.
    @usableFromInline static let e = 2.718281828459045

    /// A scheduler with `parameters`, validated first.
    public init(parameters: FSRSParameters = FSRSParameters()) throws(SchedulingError) {
        try parameters.validate()
        self.init(unchecked: parameters)
    }

    /// A scheduler with `parameters` taken as they are (the caller has validated them).
    public init(unchecked parameters: FSRSParameters) {
        self.parameters = parameters
        let w = parameters.weights
        self.w = w
        decay = -w[20]
        factor = pow(0.9, 1 / decay) - 1
        intervalFactor = pow(parameters.desiredRetention, 1 / decay) - 1
        easyInitialDifficulty = w[4] - pow(Self.e, w[5] * Double(Rating.easy.rawValue - 1)) + 1
        shortTermForgetDivisor = pow(Self.e, w[17] * w[18])
        expW8 = pow(Self.e, w[8])
    }

    public func newCard(due: Date) -> SchedulingCard { .new(due: due) }

    /// Probability of recall at `time`: 0 for a new card.
    public func retrievability(_ card: SchedulingCard, at time: Date) -> Double {
        guard let last = card.lastReview, let memory = card.memory else { return 0 }
        return retrievability(elapsedDays: max(0, wholeDays(from: last, to: time)), stability: memory.stability)
    }

    /// The card after being rated `rating` at `time` (py-fsrs `review_card`). With a generator and
    /// `enableFuzz`, an interval of a card landing in review is fuzzed with one draw from it.
    public func review(
        _ card: SchedulingCard, rating: Rating, at time: Date, fuzz: inout SplitMix64?
    ) -> SchedulingCard {
        var next = card
        let elapsed = card.lastReview.map { wholeDays(from: $0, to: time) }
        var intervalSeconds: Double
        let p = parameters

        switch card.state {
        case .new, .learning, .relearning:
            let steps = card.state == .relearning ? p.relearningSteps : p.learningSteps
            var step = card.step ?? 0
            if let memory = card.memory {
                next.memory = updatedMemory(memory, rating: rating, elapsedDays: elapsed)
            } else {
                next.memory = MemoryState(
                    stability: initialStability(rating), difficulty: initialDifficulty(rating, clamped: true))
            }
            next.state = card.state == .relearning ? .relearning : .learning
            if steps.isEmpty || (step >= steps.count && rating != .again) {
                next.state = .review
                step = -1
                intervalSeconds = Double(nextInterval(stability: next.memory!.stability)) * 86_400
            } else {
                switch rating {
                case .again:
                    step = 0
                    intervalSeconds = Double(steps[0])
                case .hard:
                    if step == 0 && steps.count == 1 {
                        intervalSeconds = Double(steps[0]) * 1.5
                    } else if step == 0 {
                        intervalSeconds = Double(steps[0] + steps[1]) / 2.0
                    } else {
                        intervalSeconds = Double(steps[step])
                    }
                case .good:
                    if step + 1 == steps.count {
                        next.state = .review
                        step = -1
                        intervalSeconds = Double(nextInterval(stability: next.memory!.stability)) * 86_400
                    } else {
                        step += 1
                        intervalSeconds = Double(steps[step])
                    }
                case .easy:
                    next.state = .review
                    step = -1
                    intervalSeconds = Double(nextInterval(stability: next.memory!.stability)) * 86_400
                }
            }
            next.step = step < 0 ? nil : step

        case .review:
            // A review card always has a memory state; one decoded without is treated as new.
            guard let memory = card.memory else {
                return review(.new(due: card.due), rating: rating, at: time, fuzz: &fuzz)
            }
            let stability: Double
            if let elapsed, elapsed < 1 {
                stability = shortTermStability(memory.stability, rating: rating)
            } else {
                stability = nextStability(
                    difficulty: memory.difficulty, stability: memory.stability,
                    retrievability: elapsed.map { retrievability(elapsedDays: max(0, $0), stability: memory.stability) } ?? 0,
                    rating: rating)
            }
            next.memory = MemoryState(
                stability: stability, difficulty: nextDifficulty(memory.difficulty, rating: rating))
            if rating == .again, !p.relearningSteps.isEmpty {
                next.state = .relearning
                next.step = 0
                intervalSeconds = Double(p.relearningSteps[0])
            } else {
                next.step = nil
                intervalSeconds = Double(nextInterval(stability: stability)) * 86_400
            }
        }

        if next.state == .review, p.enableFuzz, var rng = fuzz {
            let days = Int(intervalSeconds / 86_400)
            intervalSeconds = Double(IntervalFuzz.fuzz(days: days, maximum: p.maximumInterval, using: &rng)) * 86_400
            fuzz = rng
        }
        next.due = time.addingTimeInterval(intervalSeconds)
        next.lastReview = time
        return next
    }

    // MARK: - The FSRS-6 formulas

    /// Learning and relearning memory update for a card that already has a memory state.
    @inlinable
    func updatedMemory(_ memory: MemoryState, rating: Rating, elapsedDays: Int?) -> MemoryState {
        let stability: Double
        if let elapsedDays, elapsedDays < 1 {
            stability = shortTermStability(memory.stability, rating: rating)
        } else {
            stability = nextStability(
                difficulty: memory.difficulty, stability: memory.stability,
                retrievability: elapsedDays.map { retrievability(elapsedDays: max(0, $0), stability: memory.stability) } ?? 0,
                rating: rating)
        }
        return MemoryState(stability: stability, difficulty: nextDifficulty(memory.difficulty, rating: rating))
    }

    @inlinable
    func retrievability(elapsedDays: Int, stability: Double) -> Double {
        pow(1 + factor * Double(elapsedDays) / stability, decay)
    }

    @inlinable
    func initialStability(_ rating: Rating) -> Double {
        max(w[rating.rawValue - 1], Self.stabilityMin)
    }

    @inlinable
    func initialDifficulty(_ rating: Rating, clamped: Bool) -> Double {
        let d = w[4] - pow(Self.e, w[5] * Double(rating.rawValue - 1)) + 1
        return clamped ? Self.clampDifficulty(d) : d
    }

    /// Review interval in whole days, rounded half to even like Python's `round`.
    @inlinable
    public func nextInterval(stability: Double) -> Int {
        let raw = (stability / factor) * intervalFactor
        let rounded = raw.rounded(.toNearestOrEven)
        // Clamp in floating point first: a huge stability must not trap the Int conversion.
        let days = rounded >= Double(parameters.maximumInterval) ? parameters.maximumInterval : Int(rounded)
        return min(max(days, 1), parameters.maximumInterval)
    }

    @inlinable
    func shortTermStability(_ stability: Double, rating: Rating) -> Double {
        var increase = pow(Self.e, w[17] * (Double(rating.rawValue - 3) + w[18])) * pow(stability, -w[19])
        if rating != .again { increase = max(increase, 1.0) }
        return max(stability * increase, Self.stabilityMin)
    }

    @inlinable
    func nextDifficulty(_ difficulty: Double, rating: Rating) -> Double {
        let delta = -(w[6] * Double(rating.rawValue - 3))
        let damped = difficulty + (10.0 - difficulty) * delta / 9.0
        return Self.clampDifficulty(w[7] * easyInitialDifficulty + (1 - w[7]) * damped)
    }

    @inlinable
    func nextStability(difficulty: Double, stability: Double, retrievability: Double, rating: Rating) -> Double {
        let s: Double
        if rating == .again {
            let longTerm =
                w[11] * pow(difficulty, -w[12]) * (pow(stability + 1, w[13]) - 1)
                * pow(Self.e, (1 - retrievability) * w[14])
            let shortTerm = stability / shortTermForgetDivisor
            s = min(longTerm, shortTerm)
        } else {
            let hardPenalty = rating == .hard ? w[15] : 1
            let easyBonus = rating == .easy ? w[16] : 1
            s =
                stability
                * (1 + expW8 * (11 - difficulty) * pow(stability, -w[9])
                    * (pow(Self.e, (1 - retrievability) * w[10]) - 1) * hardPenalty * easyBonus)
        }
        return max(s, Self.stabilityMin)
    }

    @usableFromInline static let stabilityMin = 0.001

    @inlinable
    static func clampDifficulty(_ d: Double) -> Double { min(max(d, 1.0), 10.0) }
}
