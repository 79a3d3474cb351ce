/// FNV-1a, 64-bit: a hash that is the same on every machine and run (Swift's `Hasher` is seeded
/// per process), for orderings that must not change between runs.
public enum StableHash {
    public static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// `items` in an order that looks shuffled but depends only on `salt` and the items.
    public static func scramble<T>(_ items: [T], salt: String, key: (T) -> String) -> [T] {
        items.enumerated()
            .map { (fnv1a(salt + "\u{1F}" + key($0.element) + "\u{1F}\($0.offset)"), $0.element) }
            .sorted { $0.0 < $1.0 }
            .map(\.1)
    }
}
