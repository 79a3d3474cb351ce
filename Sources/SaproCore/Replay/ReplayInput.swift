import Foundation

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
            let keys = Self.keys
            try reader.members(of: keys) { (r, key) throws(JSONLineReader.Failure) in
                do throws(ReplayError) {
                    switch key {
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
