import Foundation

/// The one hand-written JSON reader: it reads a JSON object on one line, in place, with no
/// `String` made for keys or plain values. The journal's and the replay's fast readers are built
/// on it; each names its keys with the `CodingKey` enum of the `Codable` type that defines the
/// format, through a `JSONKeyTable`, so the keys are written down once. All the unsafe code of
/// the app's JSON reading is here (tested against `JSONSerialization` in `JSONLineReaderTests`).
struct JSONLineReader {
    /// What is wrong with the line, with the column (from 1) where reading stopped.
    struct Failure: Error, Equatable {
        var reason: String
        var column: Int
        var text: String { "\(reason) at column \(column)" }
    }

    /// A string value: the bytes between its quotes.
    struct StringToken: Equatable {
        var range: Range<Int>
        /// It holds a backslash escape.
        var escaped: Bool
        /// It holds a byte of 0x80 or more (UTF-8 to check before use).
        var nonASCII: Bool
        var isPlainASCII: Bool { !escaped && !nonASCII }
    }

    let bytes: UnsafeBufferPointer<UInt8>
    var position: Int
    let end: Int
    /// Where the line starts, for column numbers.
    let lineStart: Int

    /// A reader of `bytes[position..<end]`.
    init(bytes: UnsafeBufferPointer<UInt8>, position: Int, end: Int) {
        self.bytes = bytes
        self.position = position
        self.lineStart = position
        self.end = end
    }

    func failure(_ reason: String) -> Failure { Failure(reason: reason, column: position - lineStart + 1) }

    mutating func skipSpace() {
        while position < end {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    /// True when only white space is left.
    mutating func atEnd() -> Bool {
        skipSpace()
        return position == end
    }

    mutating func expect(_ byte: UInt8, _ what: String) throws(Failure) {
        skipSpace()
        guard position < end, bytes[position] == byte else {
            throw failure(position < end ? "expected \(what)" : "unexpected end of line, expected \(what)")
        }
        position += 1
    }

    /// Reads `{ "key": value, … }`, calling `member` with each key; `member` must read or skip
    /// the value.
    mutating func members(_ member: (inout JSONLineReader, StringToken) throws(Failure) -> Void) throws(Failure) {
        try expect(UInt8(ascii: "{"), "'{'")
        skipSpace()
        if position < end, bytes[position] == UInt8(ascii: "}") {
            position += 1
            return
        }
        while true {
            skipSpace()
            guard position < end, bytes[position] == UInt8(ascii: "\"") else { throw failure("expected a key") }
            let key = try scanString()
            try expect(UInt8(ascii: ":"), "':'")
            skipSpace()
            guard position < end else { throw failure("unexpected end of line, expected a value") }
            try member(&self, key)
            skipSpace()
            guard position < end else { throw failure("unexpected end of line, expected ',' or '}'") }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
                continue
            }
            if bytes[position] == UInt8(ascii: "}") {
                position += 1
                return
            }
            throw failure("expected ',' or '}'")
        }
    }

    /// The key `token` names in `table`; `nil` for a key the table does not hold.
    func key<Key>(_ token: StringToken, in table: JSONKeyTable<Key>) -> Key? {
        if token.isPlainASCII { return table.key(slice(token.range)) }
        guard let text = string(token) else { return nil }
        return table.key(text)
    }

    func slice(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[range])
    }

    /// Whether the next value is `null` (which is then consumed).
    mutating func null() -> Bool { literal("null") }

    /// Consumes `word` if it comes next.
    mutating func literal(_ word: StaticString) -> Bool {
        skipSpace()
        let n = word.utf8CodeUnitCount
        guard end - position >= n, memcmp(bytes.baseAddress! + position, word.utf8Start, n) == 0 else { return false }
        position += n
        return true
    }

    /// A string value (the reader is at its opening quote).
    mutating func scanString() throws(Failure) -> StringToken {
        skipSpace()
        guard position < end, bytes[position] == UInt8(ascii: "\"") else { throw failure("expected a string") }
        position += 1
        let begin = position
        var escaped = false, high = false
        while position < end {
            let c = bytes[position]
            if c == UInt8(ascii: "\"") {
                let token = StringToken(range: begin..<position, escaped: escaped, nonASCII: high)
                position += 1
                return token
            }
            if c == UInt8(ascii: "\\") {
                escaped = true
                position += 2
                continue
            }
            if c < 0x20 { throw failure("control character in a string") }
            if c >= 0x80 { high = true }
            position += 1
        }
        position = end
        throw failure("unterminated string")
    }

    /// A string token's text; `nil` when it is not valid UTF-8 or holds a bad escape (as
    /// `JSONDecoder` would refuse it).
    func string(_ token: StringToken) -> String? {
        let raw = slice(token.range)
        if token.isPlainASCII { return String(decoding: raw, as: UTF8.self) }
        if !token.escaped { return String(validating: raw, as: UTF8.self) }
        return Self.unescape(raw)
    }

    /// Decodes a string's escapes (`\" \\ \/ \b \f \n \r \t \uXXXX`, surrogate pairs joined).
    static func unescape(_ raw: UnsafeBufferPointer<UInt8>) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = 0
        func hex4(_ at: Int) -> UInt32? {
            guard at + 4 <= raw.count else { return nil }
            var v: UInt32 = 0
            for k in at..<at + 4 {
                let c = raw[k]
                let d: UInt8
                switch c {
                case 0x30...0x39: d = c - 0x30
                case 0x41...0x46: d = c - 0x41 + 10
                case 0x61...0x66: d = c - 0x61 + 10
                default: return nil
                }
                v = v << 4 | UInt32(d)
            }
            return v
        }
        while i < raw.count {
            let c = raw[i]
            guard c == UInt8(ascii: "\\") else {
                out.append(c)
                i += 1
                continue
            }
            guard i + 1 < raw.count else { return nil }
            let e = raw[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                guard var scalar = hex4(i) else { return nil }
                i += 4
                if (0xD800..<0xDC00).contains(scalar) {
                    // A high surrogate must be followed by an escaped low one.
                    guard i + 6 <= raw.count, raw[i] == UInt8(ascii: "\\"), raw[i + 1] == UInt8(ascii: "u"),
                        let low = hex4(i + 2), (0xDC00..<0xE000).contains(low)
                    else { return nil }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                } else if (0xDC00..<0xE000).contains(scalar) {
                    return nil
                }
                guard let u = Unicode.Scalar(scalar) else { return nil }
                out.append(contentsOf: UTF8.encode(u)!)
            default: return nil
            }
        }
        return String(validating: out, as: UTF8.self)
    }

    /// The text of a number (not checked).
    mutating func scanNumberText() -> Range<Int> {
        skipSpace()
        let begin = position
        while position < end {
            switch bytes[position] {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
                UInt8(ascii: "e"), UInt8(ascii: "E"):
                position += 1
            default:
                return begin..<position
            }
        }
        return begin..<position
    }

    /// An integer written without fraction or exponent; `nil` (position unspecified) otherwise
    /// or when it overflows `Int`.
    mutating func integer() -> Int? {
        skipSpace()
        var negative = false
        if position < end, bytes[position] == UInt8(ascii: "-") {
            negative = true
            position += 1
        }
        var value = 0
        let start = position
        while position < end, bytes[position] >= 0x30, bytes[position] <= 0x39 {
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int(bytes[position] - 0x30))
            guard !o1, !o2 else { return nil }
            value = a
            position += 1
        }
        guard position > start else { return nil }
        if position < end,
            bytes[position] == UInt8(ascii: ".") || bytes[position] == UInt8(ascii: "e")
                || bytes[position] == UInt8(ascii: "E")
        {
            return nil
        }
        return negative ? -value : value
    }

    /// `true` or `false`; `nil` for anything else.
    mutating func bool() -> Bool? {
        if literal("true") { return true }
        if literal("false") { return false }
        return nil
    }

    /// Skips any JSON value, nesting included, checking its syntax.
    mutating func skipValue() throws(Failure) {
        var depth = 0
        // Whether a value is expected next inside the innermost container (after `[`, `,` or `:`).
        repeat {
            skipSpace()
            guard position < end else { throw failure("unexpected end of line inside a value") }
            let c = bytes[position]
            switch c {
            case UInt8(ascii: "\""):
                let token = try scanString()
                if token.escaped || token.nonASCII, string(token) == nil { throw failure("invalid string") }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                position += 1
                continue
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                guard depth > 0 else { throw failure("unexpected '\(Character(UnicodeScalar(c)))'") }
                depth -= 1
                position += 1
            case UInt8(ascii: ","), UInt8(ascii: ":"):
                guard depth > 0 else { throw failure("expected a value") }
                position += 1
                continue
            default:
                let begin = position
                while position < end {
                    let d = bytes[position]
                    if d == UInt8(ascii: ",") || d == UInt8(ascii: "}") || d == UInt8(ascii: "]")
                        || d == UInt8(ascii: ":") || d == 0x20 || d == 0x09 || d == 0x0D
                    {
                        break
                    }
                    position += 1
                }
                let word = String(decoding: slice(begin..<position), as: UTF8.self)
                guard word == "true" || word == "false" || word == "null" || Double(word) != nil else {
                    throw failure("invalid value '\(word)'")
                }
            }
        } while depth > 0
    }
}

/// The keys of one JSON object, from the `CodingKey` enum of the type that defines it: looked up
/// from bytes without making a `String`.
struct JSONKeyTable<Key: RawRepresentable & CaseIterable>: Sendable where Key.RawValue == String, Key: Sendable {
    private let entries: [(bytes: [UInt8], key: Key)]

    init(_: Key.Type = Key.self) {
        entries = Key.allCases.map { (Array($0.rawValue.utf8), $0) }
    }

    /// The names, in declaration order.
    var names: [String] { entries.map { String(decoding: $0.bytes, as: UTF8.self) } }

    func key(_ b: UnsafeBufferPointer<UInt8>) -> Key? {
        for entry in entries where entry.bytes.count == b.count {
            if entry.bytes.withUnsafeBufferPointer({ memcmp($0.baseAddress!, b.baseAddress!, b.count) == 0 }) {
                return entry.key
            }
        }
        return nil
    }

    func key(_ text: String) -> Key? { Key(rawValue: text) }
}
