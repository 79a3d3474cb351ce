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

/// Reviews scanned from complete lines, for `ReplayEngine.apply`. Holds copies of the card
/// ids, so the input buffer can be reused once a chunk is scanned.
public struct ScannedReviews: Sendable {
    /// Each review's card id: its lookup key, then its JSON text.
    var bytes: [UInt8] = []
    var reviews: [ScannedReview] = []
    /// The bad line that stopped the scan; it comes after every review here.
    public internal(set) var error: ReplayError?

    public init() {}

    /// How many reviews were scanned.
    public var count: Int { reviews.count }

    /// Empties the batch, keeping its storage.
    public mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        reviews.removeAll(keepingCapacity: true)
        error = nil
    }
}

/// One scanned review line.
struct ScannedReview: Sendable {
    /// The card id's lookup key and JSON text, in `ScannedReviews.bytes`.
    var key: Range<Int>
    var json: Range<Int>
    var time: Date
    var rating: Rating
    var line: Int
}

/// Splits review lines out of chunks of input and scans each into a `ScannedReview`: the half of
/// a replay that needs no scheduler state, so it can run on its own thread.
public struct ReplayScanner: Sendable {
    /// Lines seen so far, including blank ones.
    public private(set) var lineNumber = 0
    private var partialLine: [UInt8] = []
    private var failed = false

    public init() {}

    /// Scans every complete line in `chunk` into `batch`; an unfinished last line is kept for the
    /// next call. A bad line sets `batch.error` and ends the scan: later input is ignored.
    public mutating func scan(_ chunk: UnsafeRawBufferPointer, into batch: inout ScannedReviews) {
        guard !failed else { return }
        let bytes = chunk.bindMemory(to: UInt8.self)
        var start = 0
        let end = bytes.count
        do throws(ReplayError) {
            if !partialLine.isEmpty {
                guard let newline = Self.firstNewline(bytes, from: 0) else {
                    partialLine.append(contentsOf: bytes)
                    return
                }
                partialLine.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[0..<newline]))
                let line = partialLine
                partialLine.removeAll(keepingCapacity: true)
                try line.withUnsafeBufferPointer { (buffer) throws(ReplayError) in
                    try scanLine(buffer, 0, buffer.count, into: &batch)
                }
                start = newline + 1
            }
            while start < end {
                guard let newline = Self.firstNewline(bytes, from: start) else {
                    partialLine.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<end]))
                    return
                }
                try scanLine(bytes, start, newline, into: &batch)
                start = newline + 1
            }
        } catch {
            fail(error, &batch)
        }
    }

    /// Scans a last line that had no newline.
    public mutating func finish(into batch: inout ScannedReviews) {
        guard !failed, !partialLine.isEmpty else { return }
        let line = partialLine
        partialLine.removeAll()
        do throws(ReplayError) {
            try line.withUnsafeBufferPointer { (buffer) throws(ReplayError) in
                try scanLine(buffer, 0, buffer.count, into: &batch)
            }
        } catch {
            fail(error, &batch)
        }
    }

    private mutating func fail(_ error: ReplayError, _ batch: inout ScannedReviews) {
        failed = true
        partialLine = []
        batch.error = error
    }

    private static func firstNewline(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard start < bytes.count, let base = bytes.baseAddress,
            let found = memchr(base + start, Int32(UInt8(ascii: "\n")), bytes.count - start)
        else { return nil }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    private mutating func scanLine(
        _ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, into batch: inout ScannedReviews
    ) throws(ReplayError) {
        lineNumber += 1
        let line = lineNumber
        var scanner = FlatObjectScanner(bytes: b, position: start, end: end, line: line)
        if scanner.isBlank() { return }
        let fields = try scanner.scanReview()

        guard let time = fields.time else { throw .missingKey(line: line, key: "time") }
        guard let ratingValue = fields.rating else { throw .missingKey(line: line, key: "rating") }
        guard let rating = Rating(rawValue: ratingValue) else {
            throw .invalidRating(line: line, value: String(ratingValue))
        }
        let keyStart = batch.bytes.count
        if fields.cardEscaped {
            // Rare: an id with escapes is looked up by its decoded text and printed re-escaped.
            let decoded = FlatObjectScanner.decoded(b, fields.cardKey)
            batch.bytes += decoded.utf8
            let jsonStart = batch.bytes.count
            batch.bytes += FlatObjectScanner.jsonString(decoded).utf8
            batch.reviews.append(
                ScannedReview(
                    key: keyStart..<jsonStart, json: jsonStart..<batch.bytes.count, time: time, rating: rating, line: line))
        } else {
            batch.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: b[fields.cardKey]))
            let jsonStart = batch.bytes.count
            batch.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: b[fields.cardJSON]))
            batch.reviews.append(
                ScannedReview(
                    key: keyStart..<jsonStart, json: jsonStart..<batch.bytes.count, time: time, rating: rating, line: line))
        }
    }
}

/// One replayed review: the card's state after it, ready to be formatted.
public struct ReplayRecord: Sendable, Hashable {
    /// The card's index in `ReplayCardIDs`.
    public var slot: Int32
    /// Life-cycle state after the review.
    public var state: CardState
    /// Learning or relearning step, -1 when in review.
    public var step: Int32
    /// Stability after the review.
    public var stability: Double
    /// Difficulty after the review.
    public var difficulty: Double
    /// Due time in seconds since 1970.
    public var due: Double

    init(slot: Int, card: SchedulingCard) {
        self.slot = Int32(truncatingIfNeeded: slot)
        state = card.state
        step = card.step.map { Int32(truncatingIfNeeded: $0) } ?? -1
        stability = card.memory?.stability ?? 0
        difficulty = card.memory?.difficulty ?? 0
        due = card.due.timeIntervalSince1970
    }
}

/// The JSON text of each card id, by slot: a cheap value to hand to another thread.
public struct ReplayCardIDs: Sendable {
    var bytes: [UInt8] = []
    var ends: [Int] = []

    /// How many ids there are.
    public var count: Int { ends.count }

    /// The length of the longest id's text.
    var longest = 0

    /// Copies the JSON text of the id in `slot`.
    func copy(_ slot: Int, to sink: inout PointerSink) {
        let start = slot == 0 ? 0 : ends[slot - 1]
        bytes.withUnsafeBufferPointer { sink.bytes(UnsafeBufferPointer(rebasing: $0[start..<ends[slot]])) }
    }
}

/// Turns replay records into output lines (see `ReplayEngine` for the format).
public enum ReplayFormatter {
    /// Appends one output line per record, in order, to `output`.
    public static func append(_ records: [ReplayRecord], ids: ReplayCardIDs, to output: inout [UInt8]) {
        output.reserveCapacity(output.count + records.count * 140)
        var days = DayTextCache()
        // Each line is made in a scratch buffer and appended at once: one capacity check per
        // line instead of one per piece. A line is at most `lineLimit` bytes plus the card id.
        let longestID = ids.longest
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: lineLimit + longestID) { scratch in
            let base = scratch.baseAddress!
            for record in records {
                let count = write(record, ids: ids, days: &days, to: base)
                output.append(contentsOf: UnsafeBufferPointer(start: base, count: count))
            }
        }
    }

    /// The longest line without its card id: fixed text (~90 bytes), two numbers (≤ 24 each),
    /// a step and a date (a year beyond 9999 takes more digits).
    static let lineLimit = 256

    /// Writes one line at `start`; returns its length.
    private static func write(
        _ record: ReplayRecord, ids: ReplayCardIDs, days: inout DayTextCache, to start: UnsafeMutablePointer<UInt8>
    ) -> Int {
        var sink = PointerSink(position: start)
        // StaticString bytes live in the binary: no reference counting on the hot path.
        sink.put(#"{"card":"#)
        ids.copy(Int(record.slot), to: &sink)
        switch record.state {
        case .new: sink.put(#","state":"new","step":"#)
        case .learning: sink.put(#","state":"learning","step":"#)
        case .review: sink.put(#","state":"review","step":"#)
        case .relearning: sink.put(#","state":"relearning","step":"#)
        }
        if record.step >= 0 { sink.integer(Int(record.step)) } else { sink.put("null") }
        sink.put(#","stability":"#)
        number(record.stability, to: &sink)
        sink.put(#","difficulty":"#)
        number(record.difficulty, to: &sink)
        sink.put(#","due":""#)
        days.append(Date(timeIntervalSince1970: record.due), to: &sink)
        sink.put("\"}\n")
        return start.distance(to: sink.position)
    }

    private static func number(_ value: Double, to sink: inout PointerSink) {
        let magnitude = abs(value)
        if magnitude >= 1e-4 && magnitude < 0x1p53 {
            // Both languages print plain decimals here, with the same shortest digits.
            value.write(to: &sink)
        } else {
            sink.write(ReplayEngine.shortestText(value))
        }
    }
}

/// The `YYYY-MM-DDT` text of recently written days: due dates cluster, and the calendar
/// arithmetic costs more than a lookup.
struct DayTextCache {
    private static let slots = 1024
    private var keys = [Int64](repeating: .min, count: slots)
    private var texts = [UInt8](repeating: 0, count: slots * 11)

    /// Appends `date` as `YYYY-MM-DDTHH:MM:SSZ`, truncated to the whole second.
    mutating func append(_ date: Date, to sink: inout PointerSink) {
        let (day, second) = ISOTime.dayAndSecond(date)
        // Days of 0000-01-01 and 10000-01-01: other years have other lengths and are not kept.
        guard day >= -719_528 && day < 2_932_897 else {
            sink.date(day: day)
            return sink.clock(second)
        }
        let slot = Int(UInt64(bitPattern: day) % UInt64(Self.slots))
        texts.withUnsafeMutableBufferPointer { texts in
            let text = texts.baseAddress! + slot * 11
            if keys[slot] != day {
                keys[slot] = day
                var out = PointerSink(position: text)
                out.date(day: day)
            }
            sink.bytes(UnsafeBufferPointer(start: text, count: 11))
        }
        sink.clock(second)
    }
}

/// The fields of one review line.
struct ReviewFields {
    /// The card id's bytes as a lookup key (inside the quotes for a string).
    var cardKey: Range<Int> = 0..<0
    /// The card id's JSON token, quotes included.
    var cardJSON: Range<Int> = 0..<0
    var cardEscaped = false
    var hasCard = false
    var time: Date?
    var rating: Int?
}

/// One line of replay input as its `Codable` definition: the keys the fast reader
/// (`FlatObjectScanner`) knows are this type's, and tests check the two read the same lines alike.
/// Other keys are ignored; `card` is a string or an integer.
public struct ReplayInputLine: Codable, Sendable, Equatable {
    public enum Card: Codable, Sendable, Equatable {
        case text(String), number(Int)
        public init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let n = try? c.decode(Int.self) { self = .number(n) } else { self = .text(try c.decode(String.self)) }
        }
        public func encode(to encoder: Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case let .text(s): try c.encode(s)
            case let .number(n): try c.encode(n)
            }
        }
    }
    public var card: Card
    /// ISO 8601, read by `ISOTime`.
    public var time: String
    public var rating: Int
    public typealias CodingKeys = ReplayInputKey
}

/// The keys of a replay input line.
public enum ReplayInputKey: String, CodingKey, CaseIterable, Sendable {
    case card, time, rating
}

/// The replay's reader of one input line, on `JSONLineReader`: string, number, literal values;
/// nested values under unknown keys are skipped. Hand-written because Foundation's JSON decoders
/// cost more per line than the whole FSRS update.
struct FlatObjectScanner {
    private var reader: JSONLineReader
    let line: Int
    private static let keys = JSONKeyTable<ReplayInputKey>()

    init(bytes: UnsafeBufferPointer<UInt8>, position: Int, end: Int, line: Int) {
        reader = JSONLineReader(bytes: bytes, position: position, end: end)
        self.line = line
    }

    /// True when the line holds only white space.
    mutating func isBlank() -> Bool { reader.atEnd() }

    /// Scans the whole line as `{"card": …, "time": …, "rating": …}`.
    mutating func scanReview() throws(ReplayError) -> ReviewFields {
        var fields = ReviewFields()
        // A bad value is a `ReplayError` of its own; the reader stops with a placeholder failure.
        var rejected: ReplayError?
        let line = line
        do throws(JSONLineReader.Failure) {
            try reader.members { (r, token) throws(JSONLineReader.Failure) in
                do throws(ReplayError) {
                    switch r.key(token, in: Self.keys) {
                    case .card: try Self.scanCard(&r, into: &fields, line: line)
                    case .time: fields.time = try Self.scanTime(&r, line: line)
                    case .rating: fields.rating = try Self.scanRating(&r, line: line)
                    case nil: try Self.mapped(line) { () throws(JSONLineReader.Failure) in try r.skipValue() }
                    }
                } catch {
                    rejected = error
                    throw r.failure("rejected")
                }
            }
            guard reader.atEnd() else { throw reader.failure("unexpected text after the object") }
        } catch {
            throw rejected ?? .malformedJSON(line: line, reason: error.text)
        }
        guard fields.hasCard else { throw .missingKey(line: line, key: "card") }
        return fields
    }

    private static func mapped<T>(_ line: Int, _ body: () throws(JSONLineReader.Failure) -> T) throws(ReplayError) -> T {
        do {
            return try body()
        } catch {
            throw .malformedJSON(line: line, reason: error.text)
        }
    }

    private static func text(_ r: JSONLineReader, _ range: Range<Int>) -> String {
        String(decoding: r.slice(range), as: UTF8.self)
    }

    /// Skips the value from `start` and gives its text, for messages.
    private static func skipped(_ r: inout JSONLineReader, from start: Int, line: Int) throws(ReplayError) -> String {
        r.position = start
        try mapped(line) { () throws(JSONLineReader.Failure) in try r.skipValue() }
        return text(r, start..<r.position)
    }

    private static func scanCard(_ r: inout JSONLineReader, into fields: inout ReviewFields, line: Int) throws(ReplayError) {
        let valueStart = r.position
        if r.bytes[r.position] == UInt8(ascii: "\"") {
            let token = try mapped(line) { () throws(JSONLineReader.Failure) in try r.scanString() }
            if token.escaped || token.nonASCII {
                guard r.string(token) != nil else { throw .malformedJSON(line: line, reason: "invalid string in card") }
            }
            fields.cardKey = token.range
            fields.cardJSON = (token.range.lowerBound - 1)..<(token.range.upperBound + 1)
            fields.cardEscaped = token.escaped
        } else {
            let range = r.scanNumberText()
            guard !range.isEmpty, Int(text(r, range)) != nil else {
                throw .invalidCard(line: line, value: try skipped(&r, from: valueStart, line: line))
            }
            fields.cardKey = range
            fields.cardJSON = range
            fields.cardEscaped = false
        }
        fields.hasCard = true
    }

    private static func scanRating(_ r: inout JSONLineReader, line: Int) throws(ReplayError) -> Int {
        let valueStart = r.position
        let c = r.bytes[r.position]
        if c == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) {
            let range = r.scanNumberText()
            if let value = Int(text(r, range)), (1...4).contains(value) { return value }
            throw .invalidRating(line: line, value: text(r, range))
        }
        throw .invalidRating(line: line, value: try skipped(&r, from: valueStart, line: line))
    }

    private static func scanTime(_ r: inout JSONLineReader, line: Int) throws(ReplayError) -> Date {
        let valueStart = r.position
        guard r.bytes[r.position] == UInt8(ascii: "\"") else {
            throw .invalidTime(line: line, value: try skipped(&r, from: valueStart, line: line))
        }
        let token = try mapped(line) { () throws(JSONLineReader.Failure) in try r.scanString() }
        guard !token.escaped, let date = ISOTime.parse(utf8: r.slice(token.range)) else {
            throw .invalidTime(line: line, value: text(r, valueStart..<r.position))
        }
        return date
    }

    /// A card id decoded from its escaped text.
    static func decoded(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        let reader = JSONLineReader(bytes: bytes, position: 0, end: bytes.count)
        return reader.string(.init(range: range, escaped: true, nonASCII: true))
            ?? String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// `value` as a JSON string literal.
    static func jsonString(_ value: String) -> String {
        String(decoding: JSONText.quoted(value), as: UTF8.self)
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
