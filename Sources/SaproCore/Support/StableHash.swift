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

    /// A fast hash of `bytes`, eight at a time, for telling texts apart (not for security);
    /// the same on every machine and run.
    public static func words(_ bytes: UnsafeBufferPointer<UInt8>, seed: UInt64) -> UInt64 {
        guard let base = UnsafeRawPointer(bytes.baseAddress) else { return seed }
        var hash = seed ^ (UInt64(bytes.count) &* 0x9E37_79B9_7F4A_7C15)
        var offset = 0
        @inline(__always) func mix(_ word: UInt64) {
            hash = (hash ^ word) &* 0xBF58_476D_1CE4_E5B9
            hash ^= hash >> 31
        }
        while offset + 8 <= bytes.count {
            mix(UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
            offset += 8
        }
        var tail: UInt64 = 0
        for index in offset..<bytes.count { tail = tail << 8 | UInt64(bytes[index]) }
        mix(tail)
        return hash ^ (hash >> 29)
    }

    /// `items` in an order that looks shuffled but depends only on `salt` and the items.
    public static func scramble<T>(_ items: [T], salt: String, key: (T) -> String) -> [T] {
        items.enumerated()
            .map { (fnv1a(salt + "\u{1F}" + key($0.element) + "\u{1F}\($0.offset)"), $0.element) }
            .sorted { $0.0 < $1.0 }
            .map(\.1)
    }
}
