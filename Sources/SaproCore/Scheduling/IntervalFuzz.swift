/// Random spread of review intervals, so cards learned together do not stay due together.
///
/// The ranges are Anki's (also used by py-fsrs): intervals under 2.5 days are never fuzzed; above
/// that the spread grows by 15% of the days between 2.5 and 7, 10% between 7 and 20 and 5% beyond.
public enum IntervalFuzz {
    private static let ranges: [(start: Double, end: Double, factor: Double)] = [
        (2.5, 7.0, 0.15), (7.0, 20.0, 0.1), (20.0, .infinity, 0.05),
    ]

    /// The inclusive range of days a fuzzed `days` interval may take, capped at `maximum`;
    /// `nil` when the interval is too short to fuzz.
    public static func range(days: Int, maximum: Int) -> ClosedRange<Int>? {
        guard Double(days) >= 2.5 else { return nil }
        var delta = 1.0
        for range in ranges {
            delta += range.factor * max(min(Double(days), range.end) - range.start, 0.0)
        }
        var low = Int((Double(days) - delta).rounded(.toNearestOrEven))
        var high = Int((Double(days) + delta).rounded(.toNearestOrEven))
        low = max(2, low)
        high = min(high, maximum)
        low = min(low, high)
        return low...high
    }

    /// `days` fuzzed with one draw from `rng`, exactly as py-fsrs draws with `random()`.
    public static func fuzz(days: Int, maximum: Int, using rng: inout SplitMix64) -> Int {
        guard let range = range(days: days, maximum: maximum) else { return days }
        let span = Double(range.upperBound - range.lowerBound + 1)
        let drawn = rng.nextUnitInterval() * span + Double(range.lowerBound)
        return min(Int(drawn.rounded(.toNearestOrEven)), maximum)
    }
}
