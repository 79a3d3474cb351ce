/// The app's one fast byte hash: 64 bits, eight bytes at a time. Not cryptographic: it spreads
/// interned strings over a table's slots and finds damage in the journal, not forgery.
enum WordHash {
    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let n = bytes.count
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(n)
        var i = 0
        while i + 8 <= n {
            h = (h ^ bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            i += 8
        }
        while i < n {
            h = (h ^ UInt64(bytes[i])) &* 0x94D0_49BB_1331_11EB
            i += 1
        }
        return h ^ (h >> 29)
    }
}
