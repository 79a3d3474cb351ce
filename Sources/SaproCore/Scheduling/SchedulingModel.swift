import Foundation

/// How well the learner recalled a card. The raw values are the ones FSRS and Anki use.
public enum Rating: Int, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// Forgot: the card goes back to the first (re)learning step.
    case again = 1
    /// Recalled with serious difficulty.
    case hard = 2
    /// Recalled after some hesitation.
    case good = 3
    /// Recalled effortlessly.
    case easy = 4

    public static func < (lhs: Rating, rhs: Rating) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Where a card is in its life cycle.
public enum CardState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Never reviewed.
    case new
    /// Being learned through the short learning steps.
    case learning
    /// Graduated: scheduled in whole days.
    case review
    /// Forgotten after graduating, going through the relearning steps.
    case relearning
}

/// FSRS's model of one card's memory.
public struct MemoryState: Sendable, Hashable, Codable {
    /// Days until retrievability falls to 90%.
    public var stability: Double
    /// Inherent difficulty, between 1 and 10.
    public var difficulty: Double

    public init(stability: Double, difficulty: Double) {
        self.stability = stability
        self.difficulty = difficulty
    }
}

/// Which algorithm schedules reviews; a user setting.
public enum SchedulerKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// FSRS-6, computed exactly like py-fsrs 6.3.2. The default.
    case fsrs6
    /// Anki's variant of SuperMemo 2 (ease factors).
    case sm2
}

/// Something that can be scheduled: it has a state and a due time.
public protocol ScheduledCard: Sendable, Hashable, Codable {
    /// The card's life-cycle state.
    var state: CardState { get }
    /// When the card should next be shown.
    var due: Date { get }
    /// When the card was last reviewed, `nil` if never.
    var lastReview: Date? { get }
}

/// A spaced-repetition algorithm: a pure function from (card, rating, review time, optional fuzz
/// generator) to the card's next state. It never reads the clock.
public protocol ReviewScheduler: Sendable {
    /// The algorithm's per-card state.
    associatedtype Card: ScheduledCard

    /// Which algorithm this is.
    static var kind: SchedulerKind { get }

    /// A card that has never been reviewed, due at `due`.
    func newCard(due: Date) -> Card

    /// The card after being rated `rating` at `time`. With a generator, review intervals are
    /// fuzzed with draws from it; with `nil` the result is deterministic.
    func review(_ card: Card, rating: Rating, at time: Date, fuzz: inout SplitMix64?) -> Card
}

extension ReviewScheduler {
    /// The card after being rated `rating` at `time`, without fuzz.
    public func review(_ card: Card, rating: Rating, at time: Date) -> Card {
        var none: SplitMix64? = nil
        return review(card, rating: rating, at: time, fuzz: &none)
    }

    /// The four possible outcomes of reviewing `card` at `time`, without fuzz, indexed by rating.
    public func nextStates(_ card: Card, at time: Date) -> [Rating: Card] {
        var result: [Rating: Card] = [:]
        for rating in Rating.allCases { result[rating] = review(card, rating: rating, at: time) }
        return result
    }
}

/// Problems with scheduler settings.
public enum SchedulingError: Error, Equatable, LocalizedError {
    /// FSRS-6 needs exactly 21 weights.
    case wrongWeightCount(Int)
    /// A weight outside the range py-fsrs accepts.
    case weightOutOfBounds(index: Int, value: Double, lower: Double, upper: Double)
    /// Desired retention must be in (0, 1].
    case desiredRetentionOutOfRange(Double)
    /// Steps must be positive durations.
    case nonPositiveStep(seconds: Int)
    /// The maximum interval must be at least one day.
    case maximumIntervalTooSmall(Int)
    /// An SM-2 setting outside its valid range.
    case invalidSM2Setting(name: String, value: Double)
    /// A weight that is not a number.
    case weightNotANumber(index: Int, text: String)

    public var errorDescription: String? {
        switch self {
        case .wrongWeightCount(let n): "FSRS-6 needs 21 weights, got \(n)"
        case .weightOutOfBounds(let i, let v, let lo, let hi): "weight w[\(i)] = \(v) is outside [\(lo), \(hi)]"
        case .desiredRetentionOutOfRange(let r): "desired retention \(r) must be greater than 0 and at most 1"
        case .nonPositiveStep(let s): "step of \(s) seconds: steps must be positive"
        case .maximumIntervalTooSmall(let d): "maximum interval \(d) must be at least 1 day"
        case .invalidSM2Setting(let name, let v): "SM-2 setting \(name) = \(v) is out of range"
        case .weightNotANumber(let i, let text): "weight w[\(i)] = '\(text)' is not a number"
        }
    }
}

/// Whole days between two instants the way Python's `timedelta.days` counts them: the floor of
/// the difference, computed on whole microseconds so that representation noise in `Date` cannot
/// push an exact day boundary to the day before.
@inlinable
func wholeDays(from start: Date, to end: Date) -> Int {
    let micros = Int64((end.timeIntervalSince(start) * 1_000_000).rounded())
    let perDay: Int64 = 86_400_000_000
    let q = micros / perDay
    return Int(micros % perDay < 0 ? q - 1 : q)
}

/// Learning-step lists written the way people type them.
public enum StepList {
    /// Parses comma-separated durations, each a whole number with an optional unit `s`, `m`, `h`
    /// or `d` (no unit: seconds): `"1m,10m"` → `[60, 600]`. An empty text or `none` is no steps.
    public static func parse(_ text: String) -> [Int]? {
        let trimmed = text.trimmingWhitespace()
        if trimmed.isEmpty || trimmed.lowercased() == "none" { return [] }
        var result: [Int] = []
        for part in trimmed.split(separator: ",", omittingEmptySubsequences: false) {
            var item = part.trimmingWhitespace().lowercased()
            var unit = 1
            switch item.last {
            case "s": unit = 1
            case "m": unit = 60
            case "h": unit = 3600
            case "d": unit = 86_400
            default: unit = 0
            }
            if unit != 0 { item.removeLast() } else { unit = 1 }
            guard !item.isEmpty, item.allSatisfy(\.isASCII), let value = Int(item), value > 0 else { return nil }
            let (seconds, overflow) = value.multipliedReportingOverflow(by: unit)
            guard !overflow else { return nil }
            result.append(seconds)
        }
        return result
    }

    /// Formats seconds back into the shortest unit: `[60, 600]` → `"1m,10m"`.
    public static func format(_ steps: [Int]) -> String {
        steps.map { s in
            if s % 86_400 == 0 { return "\(s / 86_400)d" }
            if s % 3600 == 0 { return "\(s / 3600)h" }
            if s % 60 == 0 { return "\(s / 60)m" }
            return "\(s)s"
        }.joined(separator: ",")
    }
}
