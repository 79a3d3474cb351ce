import Foundation

/// Settings of Anki's SM-2 variant, with Anki's defaults.
public struct SM2Parameters: Sendable, Hashable, Codable {
    /// Learning step delays in seconds (default 1m, 10m).
    public var learningSteps: [Int]
    /// Relearning step delays in seconds after a lapse (default 10m).
    public var relearningSteps: [Int]
    /// Days until the first review after Good on the last learning step (default 1).
    public var graduatingInterval: Int
    /// Days until the first review after Easy while learning (default 4).
    public var easyInterval: Int
    /// Ease factor given to a card when it graduates (default 2.5).
    public var startingEase: Double
    /// Ease never drops below this (default 1.3).
    public var minimumEase: Double
    /// Interval multiplier for Hard in review (default 1.2).
    public var hardMultiplier: Double
    /// Extra multiplier for Easy in review (default 1.3).
    public var easyBonus: Double
    /// Multiplier applied to every review interval (default 1.0).
    public var intervalModifier: Double
    /// Share of the old interval kept after a lapse (default 0: start over).
    public var lapseMultiplier: Double
    /// Shortest interval after a lapse, in days (default 1).
    public var minimumLapseInterval: Int
    /// Longest review interval in days (default 36500).
    public var maximumInterval: Int
    /// Whether review intervals are fuzzed when a generator is passed to `review`.
    public var enableFuzz: Bool

    public init(
        learningSteps: [Int] = [60, 600], relearningSteps: [Int] = [600], graduatingInterval: Int = 1,
        easyInterval: Int = 4, startingEase: Double = 2.5, minimumEase: Double = 1.3, hardMultiplier: Double = 1.2,
        easyBonus: Double = 1.3, intervalModifier: Double = 1.0, lapseMultiplier: Double = 0.0,
        minimumLapseInterval: Int = 1, maximumInterval: Int = 36500, enableFuzz: Bool = true
    ) {
        self.learningSteps = learningSteps
        self.relearningSteps = relearningSteps
        self.graduatingInterval = graduatingInterval
        self.easyInterval = easyInterval
        self.startingEase = startingEase
        self.minimumEase = minimumEase
        self.hardMultiplier = hardMultiplier
        self.easyBonus = easyBonus
        self.intervalModifier = intervalModifier
        self.lapseMultiplier = lapseMultiplier
        self.minimumLapseInterval = minimumLapseInterval
        self.maximumInterval = maximumInterval
        self.enableFuzz = enableFuzz
    }

    /// Throws the first setting that makes no sense.
    public func validate() throws(SchedulingError) {
        for s in learningSteps + relearningSteps where s <= 0 { throw .nonPositiveStep(seconds: s) }
        guard maximumInterval >= 1 else { throw .maximumIntervalTooSmall(maximumInterval) }
        let checks: [(String, Double, Bool)] = [
            ("graduatingInterval", Double(graduatingInterval), graduatingInterval >= 1),
            ("easyInterval", Double(easyInterval), easyInterval >= 1),
            ("minimumEase", minimumEase, minimumEase >= 1),
            ("startingEase", startingEase, startingEase >= minimumEase),
            ("hardMultiplier", hardMultiplier, hardMultiplier > 0),
            ("easyBonus", easyBonus, easyBonus >= 1),
            ("intervalModifier", intervalModifier, intervalModifier > 0),
            ("lapseMultiplier", lapseMultiplier, lapseMultiplier >= 0 && lapseMultiplier <= 1),
            ("minimumLapseInterval", Double(minimumLapseInterval), minimumLapseInterval >= 1),
        ]
        for (name, value, ok) in checks where !ok { throw .invalidSM2Setting(name: name, value: value) }
    }
}

/// One card as SM-2 sees it.
public struct SM2Card: ScheduledCard {
    /// Life-cycle state.
    public var state: CardState
    /// Index into the learning or relearning steps; `nil` when new or in review.
    public var step: Int?
    /// Interval growth factor; set to the starting ease when the card graduates.
    public var easeFactor: Double
    /// The current review interval in days (while relearning: the interval it will return with).
    public var interval: Int
    /// How many times the card was forgotten in review.
    public var lapses: Int
    /// When the card should next be shown.
    public var due: Date
    /// When the card was last reviewed; `nil` if never.
    public var lastReview: Date?

    public init(
        state: CardState, step: Int?, easeFactor: Double, interval: Int, lapses: Int, due: Date, lastReview: Date?
    ) {
        self.state = state
        self.step = step
        self.easeFactor = easeFactor
        self.interval = interval
        self.lapses = lapses
        self.due = due
        self.lastReview = lastReview
    }
}

/// Anki's SM-2 variant (the "v3" scheduler without FSRS):
///
/// - New cards walk the learning steps: Again restarts them, Hard repeats the current step (on
///   the first step: the average of the first two, or 1.5 × a single step, at most a day more),
///   Good advances and graduates after the last step with the graduating interval, Easy graduates
///   at once with the easy interval. Graduation sets the starting ease (2.5).
/// - In review, Hard multiplies the interval by 1.2 and lowers ease by 0.15; Good multiplies by
///   ease, crediting half the days the review was late; Easy multiplies by ease and the easy
///   bonus (1.3), crediting all late days, and raises ease by 0.15. Each answer is at least a day
///   longer than the weaker one, and ease never falls below 1.3. Early reviews are based on the
///   days actually elapsed.
/// - Again in review is a lapse: ease −0.2, the interval becomes the old one × the lapse
///   multiplier (0: start over, at least one day), and the card relearns through the relearning
///   steps, then returns to review with that interval (Easy: a day more).
public struct SM2Scheduler: ReviewScheduler {
    public static let kind = SchedulerKind.sm2

    /// The settings in use.
    public let parameters: SM2Parameters

    /// A scheduler with `parameters`, validated first.
    public init(parameters: SM2Parameters = SM2Parameters()) throws(SchedulingError) {
        try parameters.validate()
        self.parameters = parameters
    }

    public func newCard(due: Date) -> SM2Card {
        SM2Card(state: .new, step: nil, easeFactor: parameters.startingEase, interval: 0, lapses: 0, due: due, lastReview: nil)
    }

    public func review(_ card: SM2Card, rating: Rating, at time: Date, fuzz: inout SplitMix64?) -> SM2Card {
        var next = card
        next.lastReview = time
        let p = parameters
        switch card.state {
        case .new, .learning:
            next.state = .learning
            stepThrough(
                &next, steps: p.learningSteps, rating: rating, time: time,
                graduate: { card, rating in
                    card.easeFactor = p.startingEase
                    card.interval = rating == .easy ? p.easyInterval : p.graduatingInterval
                })
        case .relearning:
            stepThrough(
                &next, steps: p.relearningSteps, rating: rating, time: time,
                graduate: { card, rating in
                    if rating == .easy { card.interval += 1 }
                })
        case .review:
            let elapsed = card.lastReview.map { max(0, wholeDays(from: $0, to: time)) } ?? card.interval
            if rating == .again {
                next.lapses += 1
                next.easeFactor = max(p.minimumEase, card.easeFactor - 0.2)
                let kept = (Double(card.interval) * p.lapseMultiplier).rounded()
                next.interval = min(max(p.minimumLapseInterval, Int(kept)), p.maximumInterval)
                if p.relearningSteps.isEmpty {
                    next.step = nil
                    next.due = time.addingTimeInterval(Double(next.interval) * 86_400)
                } else {
                    next.state = .relearning
                    next.step = 0
                    next.due = time.addingTimeInterval(Double(p.relearningSteps[0]))
                }
                return next
            }
            let (hard, good, easy) = passingIntervals(scheduled: card.interval, elapsed: elapsed, ease: card.easeFactor)
            switch rating {
            case .hard:
                next.interval = hard
                next.easeFactor = max(p.minimumEase, card.easeFactor - 0.15)
            case .good:
                next.interval = good
            default:
                next.interval = easy
                next.easeFactor = card.easeFactor + 0.15
            }
            next.step = nil
        }
        if next.state == .review {
            if p.enableFuzz, var rng = fuzz {
                next.interval = IntervalFuzz.fuzz(days: next.interval, maximum: p.maximumInterval, using: &rng)
                fuzz = rng
            }
            next.due = time.addingTimeInterval(Double(next.interval) * 86_400)
        }
        return next
    }

    /// Learning or relearning: moves through `steps`; `graduate` sets the review interval.
    private func stepThrough(
        _ card: inout SM2Card, steps: [Int], rating: Rating, time: Date, graduate: (inout SM2Card, Rating) -> Void
    ) {
        let step = min(card.step ?? 0, max(steps.count - 1, 0))
        func graduateNow() {
            card.state = .review
            card.step = nil
            graduate(&card, rating)
            card.interval = min(max(card.interval, 1), parameters.maximumInterval)
        }
        if steps.isEmpty {
            return graduateNow()
        }
        switch rating {
        case .again:
            card.step = 0
            card.due = time.addingTimeInterval(Double(steps[0]))
        case .hard:
            card.step = step
            let delay: Double
            if step == 0 && steps.count == 1 {
                delay = min(Double(steps[0]) * 1.5, Double(steps[0]) + 86_400)
            } else if step == 0 {
                delay = Double(steps[0] + steps[1]) / 2
            } else {
                delay = Double(steps[step])
            }
            card.due = time.addingTimeInterval(delay)
        case .good:
            if step + 1 < steps.count {
                card.step = step + 1
                card.due = time.addingTimeInterval(Double(steps[step + 1]))
            } else {
                graduateNow()
            }
        case .easy:
            graduateNow()
        }
    }

    /// Hard, Good and Easy intervals for a review card scheduled `scheduled` days ahead and
    /// reviewed after `elapsed` days.
    func passingIntervals(scheduled: Int, elapsed: Int, ease: Double) -> (Int, Int, Int) {
        let p = parameters
        let current = Double(scheduled)
        if elapsed < scheduled {
            let done = Double(elapsed)
            let hard = constrain(max(done * p.hardMultiplier, current * p.hardMultiplier / 2), minimum: 1)
            let good = constrain(max(done * ease, current), minimum: hard)
            let easy = constrain(max(done * ease, current) * (p.easyBonus - (p.easyBonus - 1) / 2), minimum: good)
            return (hard, good, easy)
        }
        let late = Double(elapsed - scheduled)
        let hard = constrain(current * p.hardMultiplier, minimum: p.hardMultiplier > 1 ? scheduled + 1 : 1)
        let good = constrain((current + late / 2) * ease, minimum: max(hard, p.hardMultiplier > 1 ? 0 : scheduled) + 1)
        let easy = constrain((current + late) * ease * p.easyBonus, minimum: good + 1)
        return (hard, good, easy)
    }

    private func constrain(_ days: Double, minimum: Int) -> Int {
        let maximum = parameters.maximumInterval
        let scaled = (days * parameters.intervalModifier).rounded()
        let whole = scaled >= Double(maximum) ? maximum : Int(scaled)
        return min(max(whole, minimum, 1), maximum)
    }
}
