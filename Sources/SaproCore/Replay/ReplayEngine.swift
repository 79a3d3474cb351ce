import Foundation

/// A line of a review log that cannot be replayed. Every case names the 1-based line number.
public enum ReplayError: Error, Equatable, LocalizedError {
    /// The line is not a flat JSON object.
    case malformedJSON(line: Int, reason: String)
    /// A required key (`card`, `time` or `rating`) is absent.
    case missingKey(line: Int, key: String)
    /// `card` is neither a string nor an integer.
    case invalidCard(line: Int, value: String)
    /// `rating` is not an integer from 1 to 4.
    case invalidRating(line: Int, value: String)
    /// `time` is not an ISO 8601 date-time string.
    case invalidTime(line: Int, value: String)
    /// The review is earlier than the card's previous one: the log is out of order.
    case timeBeforeLastReview(line: Int, card: String, time: String, lastReview: String)

    /// The 1-based line the error is about.
    public var line: Int {
        switch self {
        case .malformedJSON(let line, _), .missingKey(let line, _), .invalidCard(let line, _),
            .invalidRating(let line, _), .invalidTime(let line, _), .timeBeforeLastReview(let line, _, _, _):
            line
        }
    }

    public var errorDescription: String? {
        let detail =
            switch self {
            case .malformedJSON(_, let reason): "not a JSON object: \(reason)"
            case .missingKey(_, let key): "missing key \"\(key)\""
            case .invalidCard(_, let value): "card must be a string or an integer, got \(value)"
            case .invalidRating(_, let value): "rating must be an integer from 1 to 4, got \(value)"
            case .invalidTime(_, let value): "time must be ISO 8601 like 2024-03-01T15:46:00Z, got \(value)"
            case .timeBeforeLastReview(_, let card, let time, let last):
                "review of card \(card) at \(time) is earlier than its previous review at \(last)"
            }
        return "line \(line): \(detail)"
    }
}

/// Replays a JSON Lines review log through FSRS and writes each card's state after each review.
///
/// Input, one review per line (cards interleaved; a card is new at its first line; blank lines
/// are skipped; other keys are ignored):
///
///     {"card": "c1", "time": "2024-03-01T15:46:00Z", "rating": 3}
///
/// Output, one line per review:
///
///     {"card":"c1","state":"learning","step":1,"stability":2.3065,"difficulty":2.118103970459016,"due":"2024-03-01T15:56:00Z"}
///
/// `step` is `null` in review, numbers are the shortest text that reads back as the same double,
/// and `due` is UTC with whole seconds (truncated). Times may carry a fraction or a `±HH:MM`
/// offset; a time without a zone is UTC.
///
/// Feed input in chunks of any size with `consume(_:into:)` and call `finish(into:)` at the end;
/// a bad line throws, and the output of every earlier line is already in the buffer. To format on
/// another thread, use `consume(_:records:)` and hand the records with `cardIDs` to
/// `ReplayFormatter`.
public struct ReplayEngine: Sendable {
    /// The scheduler every review goes through.
    public let scheduler: FSRSScheduler
    /// Lines seen so far by `consume`, including blank ones.
    public var lineNumber: Int { scanner.lineNumber }
    /// Reviews replayed so far.
    public private(set) var reviewCount = 0

    private var fuzz: SplitMix64?
    private var ids = CardTable()
    private var cards: [SchedulingCard] = []
    private var scanner = ReplayScanner()
    private var scanned = ScannedReviews()
    private var scratch: [ReplayRecord] = []

    /// An engine replaying through `scheduler`; with `fuzz`, review intervals are fuzzed with draws
    /// from that generator in line order.
    public init(scheduler: FSRSScheduler, fuzz: SplitMix64? = nil) {
        self.scheduler = scheduler
        self.fuzz = fuzz
    }

    /// The number of distinct cards seen.
    public var cardCount: Int { cards.count }

    /// The current state of card `id`, if it has been reviewed.
    public func card(_ id: String) -> SchedulingCard? {
        Array(id.utf8).withUnsafeBufferPointer { key in ids.find(key).map { cards[$0] } }
    }

    /// The JSON text of every card id seen so far, for `ReplayFormatter`.
    public var cardIDs: ReplayCardIDs { ids.json }

    /// Replays every complete line in `chunk`, appending one record per review to `records`; an
    /// unfinished last line is kept for the next call.
    public mutating func consume(_ chunk: UnsafeRawBufferPointer, records: inout [ReplayRecord]) throws(ReplayError) {
        scanned.removeAll()
        scanner.scan(chunk, into: &scanned)
        try apply(scanned, records: &records)
    }

    /// Replays a last line that had no newline.
    public mutating func finish(records: inout [ReplayRecord]) throws(ReplayError) {
        scanned.removeAll()
        scanner.finish(into: &scanned)
        try apply(scanned, records: &records)
    }

    /// Replays reviews scanned by a `ReplayScanner` (on another thread, say), in order, then
    /// throws the error that stopped the scan, if any: every review before a bad line is replayed.
    public mutating func apply(_ batch: ScannedReviews, records: inout [ReplayRecord]) throws(ReplayError) {
        records.reserveCapacity(records.count + batch.reviews.count)
        try batch.bytes.withUnsafeBufferPointer { (bytes) throws(ReplayError) in
            for review in batch.reviews { try apply(review, bytes, records: &records) }
        }
        if let error = batch.error { throw error }
    }

    private mutating func apply(
        _ review: ScannedReview, _ bytes: UnsafeBufferPointer<UInt8>, records: inout [ReplayRecord]
    ) throws(ReplayError) {
        let key = UnsafeBufferPointer(rebasing: bytes[review.key])
        let slot = ids.find(key) ?? ids.insert(key: key, json: UnsafeBufferPointer(rebasing: bytes[review.json]))
        if slot == cards.count {
            cards.append(.new(due: review.time))
        } else if let last = cards[slot].lastReview, review.time < last {
            throw .timeBeforeLastReview(
                line: review.line, card: ids.keyText(slot), time: ISOTime.format(review.time), lastReview: ISOTime.format(last))
        }
        let card = scheduler.review(cards[slot], rating: review.rating, at: review.time, fuzz: &fuzz)
        cards[slot] = card
        reviewCount += 1
        records.append(ReplayRecord(slot: slot, card: card))
    }

    /// Replays every complete line in `chunk`, appending output lines to `output`; an unfinished
    /// last line is kept for the next call.
    public mutating func consume(_ chunk: UnsafeRawBufferPointer, into output: inout [UInt8]) throws(ReplayError) {
        var records = takeScratch()
        defer { format(&records, into: &output) }
        try consume(chunk, records: &records)
    }

    /// Replays every complete line in `chunk`, appending output lines to `output`.
    public mutating func consume(_ chunk: [UInt8], into output: inout [UInt8]) throws(ReplayError) {
        var failure: ReplayError?
        chunk.withUnsafeBytes { raw in
            do throws(ReplayError) { try consume(raw, into: &output) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Replays a last line that had no newline.
    public mutating func finish(into output: inout [UInt8]) throws(ReplayError) {
        var records = takeScratch()
        defer { format(&records, into: &output) }
        try finish(records: &records)
    }

    private mutating func takeScratch() -> [ReplayRecord] {
        var records: [ReplayRecord] = []
        swap(&records, &scratch)
        return records
    }

    private mutating func format(_ records: inout [ReplayRecord], into output: inout [UInt8]) {
        ReplayFormatter.append(records, ids: ids.json, to: &output)
        records.removeAll(keepingCapacity: true)
        swap(&records, &scratch)
    }

    /// Replays a whole log held in memory: the output text, and the error that stopped it if any.
    public static func replay(
        _ input: String, scheduler: FSRSScheduler, fuzz: SplitMix64? = nil
    ) -> (output: String, error: ReplayError?) {
        var engine = ReplayEngine(scheduler: scheduler, fuzz: fuzz)
        var output: [UInt8] = []
        var failure: ReplayError?
        do {
            try engine.consume(Array(input.utf8), into: &output)
            try engine.finish(into: &output)
        } catch {
            failure = error
        }
        return (String(decoding: output, as: UTF8.self), failure)
    }

    // MARK: - One line

    /// The shortest decimal text that reads back as `value`, spelled like Python's `repr`
    /// (`2.3065`, `10.0`, `1e-05`, `1e+16`), so output diffs cleanly against py-fsrs.
    static func shortestText(_ value: Double) -> String {
        let text = value.description
        // Swift and Python agree on the digits; they differ on when to switch to an exponent.
        guard value.isFinite, value != 0 else { return text }
        let magnitude = abs(value)
        let pythonWantsExponent = magnitude < 1e-4 || magnitude >= 1e16
        let swiftUsedExponent = text.utf8.contains(UInt8(ascii: "e"))
        if pythonWantsExponent == swiftUsedExponent {
            if swiftUsedExponent { return pythonExponent(text) }
            return text
        }
        return reformat(value, exponent: pythonWantsExponent)
    }

    /// `1e-5` → `1e-05`, `1.5e+20` unchanged: Python pads the exponent to two digits.
    private static func pythonExponent(_ text: String) -> String {
        guard let e = text.firstIndex(where: { $0 == "e" }) else { return text }
        var mantissa = String(text[..<e])
        if mantissa.hasSuffix(".0") { mantissa.removeLast(2) }
        var exponent = text[text.index(after: e)...]
        var sign = "+"
        if exponent.first == "-" || exponent.first == "+" {
            sign = exponent.first == "-" ? "-" : "+"
            exponent = exponent.dropFirst()
        }
        return mantissa + "e" + sign + (exponent.count < 2 ? "0" : "") + exponent
    }

    /// Rebuilds the shortest digits of `value` in the other notation.
    private static func reformat(_ value: Double, exponent: Bool) -> String {
        // Pull the shortest digit string and decimal exponent out of Swift's text.
        let text = value.magnitude.description
        var digits = ""
        var pointExponent = 0
        var seenPoint = false
        var explicitExponent = 0
        var index = text.startIndex
        while index < text.endIndex {
            let c = text[index]
            if c == "." {
                seenPoint = true
            } else if c == "e" {
                explicitExponent = Int(text[text.index(after: index)...]) ?? 0
                break
            } else {
                digits.append(c)
                if !seenPoint { pointExponent += 1 }
            }
            index = text.index(after: index)
        }
        // Normalise: strip leading zeros (adjusting the exponent) and trailing zeros.
        while digits.count > 1, digits.first == "0" {
            digits.removeFirst()
            pointExponent -= 1
        }
        while digits.count > 1, digits.last == "0" { digits.removeLast() }
        let decimalExponent = pointExponent + explicitExponent - 1  // value = d.ddd × 10^decimalExponent
        let sign = value < 0 ? "-" : ""
        if exponent {
            let mantissa = digits.count > 1 ? "\(digits.first!).\(digits.dropFirst())" : digits
            let e = abs(decimalExponent)
            return sign + mantissa + "e" + (decimalExponent < 0 ? "-" : "+") + (e < 10 ? "0" : "") + String(e)
        }
        if decimalExponent >= 0 {
            let intCount = decimalExponent + 1
            if digits.count <= intCount {
                return sign + digits + String(repeating: "0", count: intCount - digits.count) + ".0"
            }
            return sign + digits.prefix(intCount) + "." + digits.dropFirst(intCount)
        }
        return sign + "0." + String(repeating: "0", count: -decimalExponent - 1) + digits
    }
}

/// Card ids to dense slots: an open-addressing hash table over the ids' bytes, so a lookup
/// costs one hash and one byte comparison, with no `String` made per line.
struct CardTable: Sendable {
    private var keyBytes: [UInt8] = []
    private var keyEnds: [Int] = []
    /// Each id as JSON text, ready to copy into output.
    private(set) var json = ReplayCardIDs()
    private var hashes: [UInt64] = []
    /// Slot + 1 per bucket; 0 is empty.
    private var buckets = [Int32](repeating: 0, count: 1024)

    var count: Int { keyEnds.count }

    private static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return h ^ (h >> 29)
    }

    private func keyRange(_ slot: Int) -> Range<Int> { (slot == 0 ? 0 : keyEnds[slot - 1])..<keyEnds[slot] }

    /// The slot of `key`, if present.
    func find(_ key: UnsafeBufferPointer<UInt8>) -> Int? {
        let h = Self.hash(key)
        let mask = buckets.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        return keyBytes.withUnsafeBufferPointer { stored in
            while true {
                let entry = Int(buckets[i])
                if entry == 0 { return nil }
                let slot = entry - 1
                if hashes[slot] == h {
                    let range = keyRange(slot)
                    if range.count == key.count,
                        key.count == 0 || memcmp(stored.baseAddress! + range.lowerBound, key.baseAddress!, key.count) == 0
                    {
                        return slot
                    }
                }
                i = (i + 1) & mask
            }
        }
    }

    /// Adds `key` (printed as `json`) and returns its new slot.
    mutating func insert(key: UnsafeBufferPointer<UInt8>, json: UnsafeBufferPointer<UInt8>) -> Int {
        let slot = count
        keyBytes.append(contentsOf: key)
        keyEnds.append(keyBytes.count)
        self.json.bytes.append(contentsOf: json)
        self.json.ends.append(self.json.bytes.count)
        self.json.longest = max(self.json.longest, json.count)
        let h = Self.hash(key)
        hashes.append(h)
        if (slot + 1) * 2 > buckets.count {
            buckets = [Int32](repeating: 0, count: buckets.count * 2)
            for s in 0...slot { place(s, hash: hashes[s]) }
        } else {
            place(slot, hash: h)
        }
        return slot
    }

    private mutating func place(_ slot: Int, hash: UInt64) {
        let mask = buckets.count - 1
        var i = Int(truncatingIfNeeded: hash) & mask
        while buckets[i] != 0 { i = (i + 1) & mask }
        buckets[i] = Int32(slot + 1)
    }

    /// The id of `slot` as text.
    func keyText(_ slot: Int) -> String {
        String(decoding: keyBytes[keyRange(slot)], as: UTF8.self)
    }
}
