/// A SplitMix64 pseudo-random generator with an explicit seed.
///
/// The same seed yields the same sequence on every platform and in every release, which is
/// what makes a generated question a pure function of its seed. Use its own helpers
/// (`next(upperBound:)`, `shuffle(_:)`, `pick(_:)`) rather than the standard library's
/// `random(in:using:)` family, whose algorithms are not promised to stay fixed.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var core: SplitMix64

    /// Starts the sequence at `seed`.
    public init(seed: UInt64) {
        core = SplitMix64(seed: seed)
    }

    /// Starts a sequence for `seed` that is independent of other streams using the same seed
    /// under a different `stream` name (e.g. a generator id).
    public init(seed: UInt64, stream: String) {
        core = SplitMix64(seed: seed ^ StableHash.fnv1a(stream))
    }

    /// The next 64 random bits (SplitMix64).
    public mutating func next() -> UInt64 { core.next() }

    /// A uniform integer in `0..<upperBound`. `upperBound` must be positive.
    public mutating func next(upperBound: Int) -> Int {
        precondition(upperBound > 0, "upperBound must be positive")
        let bound = UInt64(upperBound)
        // Rejection sampling keeps the result unbiased: discard draws from the incomplete
        // last block of size `bound`.
        let limit = UInt64.max - UInt64.max % bound
        while true {
            let draw = next()
            if draw < limit { return Int(draw % bound) }
        }
    }

    /// A uniform integer in `range` (inclusive).
    public mutating func next(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + next(upperBound: range.upperBound - range.lowerBound + 1)
    }

    /// True with probability 1/2.
    public mutating func nextBool() -> Bool {
        next() >> 63 == 1
    }

    /// One element of a non-empty array.
    public mutating func pick<T>(_ items: [T]) -> T {
        items[next(upperBound: items.count)]
    }

    /// Shuffles `items` in place (Fisher–Yates, from the end).
    public mutating func shuffle<T>(_ items: inout [T]) {
        guard items.count > 1 else { return }
        for i in stride(from: items.count - 1, to: 0, by: -1) {
            let j = next(upperBound: i + 1)
            if i != j { items.swapAt(i, j) }
        }
    }

    /// A shuffled copy of `items`.
    public mutating func shuffled<T>(_ items: [T]) -> [T] {
        var copy = items
        shuffle(&copy)
        return copy
    }

}
