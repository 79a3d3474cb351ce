import Foundation

/// Checksums of the part of the journal a snapshot covers, kept in the snapshot: one 64-bit hash
/// per 1 MiB block, and one of the partial block at the end. A journal changed under a snapshot
/// (a flipped bit, an edited or deleted line) no longer matches, and the store then refuses to add
/// to it instead of appending answers to a history that can no longer be read back.
struct JournalDigest: Codable, Equatable, Sendable {
    static let blockSize = 1 << 20

    /// Hashes of the complete blocks `[i × blockSize, (i + 1) × blockSize)`.
    var blocks: [UInt64]
    /// Where the covered part ends (the snapshot's journal offset), and the hash of its partial
    /// last block `[blocks.count × blockSize, end)`.
    var end: UInt64
    var tail: UInt64

    /// The hash of a block (`WordHash`).
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 { WordHash.hash(bytes) }

    /// The hash of `count` bytes of `fd` from `offset`; `nil` when they cannot all be read.
    static func hash(fd: Int32, offset: UInt64, count: Int, buffer: inout [UInt8]) -> UInt64? {
        if buffer.count < count { buffer = [UInt8](repeating: 0, count: count) }
        var done = 0
        while done < count {
            let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, count - done, off_t(offset) + off_t(done)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return nil }
            done += n
        }
        return buffer.withUnsafeBytes { hash(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
    }

    /// The digest of the journal's first `end` bytes, reusing `known` hashes of complete blocks
    /// (which are trusted: they were checked, or made, before).
    static func make(fd: Int32, end: UInt64, known: [UInt64]) -> JournalDigest? {
        let complete = Int(end / UInt64(blockSize))
        var blocks = Array(known.prefix(complete))
        var buffer: [UInt8] = []
        while blocks.count < complete {
            guard let h = hash(fd: fd, offset: UInt64(blocks.count * blockSize), count: blockSize, buffer: &buffer) else {
                return nil
            }
            blocks.append(h)
        }
        let tailStart = UInt64(complete * blockSize)
        guard let tail = hash(fd: fd, offset: tailStart, count: Int(end - tailStart), buffer: &buffer) else { return nil }
        return JournalDigest(blocks: blocks, end: end, tail: tail)
    }

    /// The first byte offset of a block that no longer matches, checking the tail first and then
    /// every complete block; `nil` when the journal still matches.
    func firstMismatch(fd: Int32, blocks range: Range<Int>? = nil, includingTail: Bool = true) -> UInt64? {
        var buffer: [UInt8] = []
        let tailStart = UInt64(blocks.count * Self.blockSize)
        for index in range ?? blocks.indices {
            let offset = UInt64(index * Self.blockSize)
            if Self.hash(fd: fd, offset: offset, count: Self.blockSize, buffer: &buffer) != blocks[index] { return offset }
        }
        if includingTail, Self.hash(fd: fd, offset: tailStart, count: Int(end - tailStart), buffer: &buffer) != tail {
            return tailStart
        }
        return nil
    }
}
