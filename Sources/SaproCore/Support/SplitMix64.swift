/// A tiny, explicitly seeded pseudo-random generator (Steele, Lea and Flood's SplitMix64).
///
/// Everything in sapro that needs randomness (scenario generators, scheduler fuzz) takes one of
/// these instead of the system generator, so the same seed gives the same numbers on every
/// machine and in every test run. It is a value type: copying it forks the sequence.
///
/// ```swift
/// var rng = SplitMix64(seed: 42)
/// let roll = Int.random(in: 1...6, using: &rng)
/// ```
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable, Codable {
    /// The internal counter; the next output depends only on this value.
    public private(set) var state: UInt64

    /// A generator whose sequence is fully determined by `seed`.
    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 uniformly distributed bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniformly distributed double in `0 ..< 1` with 53 random bits (like Python's `random()`).
    public mutating func nextUnitInterval() -> Double {
        Double(next() >> 11) * 0x1p-53
    }
}
