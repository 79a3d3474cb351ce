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

    @inline(__always)
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

    @inline(__always)
    mutating func expect(_ byte: UInt8, _ what: StaticString) throws(Failure) {
        skipSpace()
        guard position < end, bytes[position] == byte else {
            throw failure(position < end ? "expected \(what)" : "unexpected end of line, expected \(what)")
        }
        position += 1
    }

    /// Reads `{ "key": value, … }` whose keys are `table`'s, calling `member` with each key
    /// (`nil` for one the table does not hold); `member` must read or skip the value. Each key
    /// is first looked for where the table predicts it (after the previous one in sorted order,
    /// as `JSONEncoder` writes, or in declaration order), as `"key":` straight in the bytes.
    @inline(__always)
    mutating func members<Key>(
        of table: JSONKeyTable<Key>, _ member: (inout JSONLineReader, Key?) throws(Failure) -> Void
    ) throws(Failure) {
        try expect(UInt8(ascii: "{"), "'{'")
        skipSpace()
        if position < end, bytes[position] == UInt8(ascii: "}") {
            position += 1
            return
        }
        var previous = table.start
        while true {
            skipSpace()
            let key: Key?
            if let (index, length) = table.predicted(
                after: previous, at: bytes.baseAddress! + position, available: end - position)
            {
                key = table.keys[index]
                previous = index
                position += length
            } else {
                guard position < end, bytes[position] == UInt8(ascii: "\"") else { throw failure("expected a key") }
                let token = try scanString()
                try expect(UInt8(ascii: ":"), "':'")
                let index: Int?
                if token.isPlainASCII {
                    index = table.index(slice(token.range))
                } else {
                    guard let text = string(token) else { throw failure("invalid string") }
                    index = table.index(text)
                }
                key = index.map { table.keys[$0] }
                previous = index ?? table.start
            }
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
    @inline(__always)
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
        if position < end, bytes[position] != UInt8(ascii: "\"") { skipSpace() }
        guard position < end, bytes[position] == UInt8(ascii: "\"") else { throw failure("expected a string") }
        position += 1
        let begin = position
        var escaped = false, high = false
        let base = bytes.baseAddress!
        while position < end {
            #if _endian(little)
                // Most text has no quote, backslash or control byte: eight bytes at a time, then
                // straight to the first byte that needs a look.
                if position + 8 <= end {
                    let word = UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self)
                    let mask = JSONText.escapeMask(word)
                    if mask == 0 {
                        if word & 0x8080_8080_8080_8080 != 0 { high = true }
                        position += 8
                        continue
                    }
                    let lane = mask.trailingZeroBitCount >> 3
                    if lane > 0 {
                        if word & ((1 << UInt64(lane * 8)) &- 1) & 0x8080_8080_8080_8080 != 0 { high = true }
                        position += lane
                    }
                }
            #endif
            let c = base[position]
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
        // JSON writes no leading zeros: `07` is not a number.
        if position - start > 1, bytes[start] == UInt8(ascii: "0") { return nil }
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

    /// Consumes a JSON number, `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`; false
    /// (position unspecified) when what follows is not one.
    @inline(__always)
    mutating func scanNumber() -> Bool {
        @inline(__always) func digits() -> Int {
            let start = position
            while position < end, bytes[position] &- 0x30 < 10 { position += 1 }
            return position - start
        }
        if position < end, bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard position < end else { return false }
        if bytes[position] == UInt8(ascii: "0") { position += 1 } else if digits() == 0 { return false }
        if position < end, bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard digits() > 0 else { return false }
        }
        if position < end, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            position += 1
            if position < end, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") { position += 1 }
            guard digits() > 0 else { return false }
        }
        return true
    }

    static func equals(_ b: UnsafeBufferPointer<UInt8>, _ word: StaticString) -> Bool {
        b.count == word.utf8CodeUnitCount && memcmp(b.baseAddress!, word.utf8Start, b.count) == 0
    }

    /// Skips any JSON value, nesting included, checking its syntax as JSON defines it (and
    /// refusing nesting deeper than 64).
    mutating func skipValue(depth: Int = 0) throws(Failure) {
        guard depth < 64 else { throw failure("nested too deeply") }
        skipSpace()
        guard position < end else { throw failure("unexpected end of line inside a value") }
        let c = bytes[position]
        switch c {
        case UInt8(ascii: "\""):
            let token = try scanString()
            if token.escaped || token.nonASCII, string(token) == nil { throw failure("invalid string") }
        case UInt8(ascii: "{"):
            position += 1
            skipSpace()
            if position < end, bytes[position] == UInt8(ascii: "}") {
                position += 1
                return
            }
            while true {
                skipSpace()
                guard position < end, bytes[position] == UInt8(ascii: "\"") else { throw failure("expected a key") }
                let key = try scanString()
                if key.escaped || key.nonASCII, string(key) == nil { throw failure("invalid string") }
                try expect(UInt8(ascii: ":"), "':'")
                try skipValue(depth: depth + 1)
                skipSpace()
                guard position < end else { throw failure("unexpected end of line inside a value") }
                if bytes[position] == UInt8(ascii: ",") {
                    position += 1
                    continue
                }
                guard bytes[position] == UInt8(ascii: "}") else { throw failure("expected ',' or '}'") }
                position += 1
                return
            }
        case UInt8(ascii: "["):
            position += 1
            skipSpace()
            if position < end, bytes[position] == UInt8(ascii: "]") {
                position += 1
                return
            }
            while true {
                try skipValue(depth: depth + 1)
                skipSpace()
                guard position < end else { throw failure("unexpected end of line inside a value") }
                if bytes[position] == UInt8(ascii: ",") {
                    position += 1
                    continue
                }
                guard bytes[position] == UInt8(ascii: "]") else { throw failure("expected ',' or ']'") }
                position += 1
                return
            }
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
            throw failure("unexpected '\(Character(UnicodeScalar(c)))'")
        case UInt8(ascii: ","), UInt8(ascii: ":"):
            throw failure("expected a value")
        default:
            // A number or a literal, checked as it is read.
            if c == UInt8(ascii: "-") || c &- 0x30 < 10 {
                guard scanNumber() else { throw failure("invalid number") }
            } else if !(literal("true") || literal("false") || literal("null")) {
                throw failure("invalid value '\(Character(UnicodeScalar(c)))…'")
            }
            // A value ends at a delimiter, white space or the end of the line.
            if position < end {
                let d = bytes[position]
                guard
                    d == UInt8(ascii: ",") || d == UInt8(ascii: "}") || d == UInt8(ascii: "]") || d == 0x20 || d == 0x09
                        || d == 0x0D || d == 0x0A
                else { throw failure("invalid value") }
            }
        }
    }
}

/// The keys of one JSON object, from the `CodingKey` enum of the type that defines it: looked up
/// from bytes without making a `String`. A key's length and first and last bytes pick one of 64
/// slots; the slot's keys (usually one) are compared as three 64-bit words (keys are at most 24
/// bytes).
final class JSONKeyTable<Key: RawRepresentable & CaseIterable>: @unchecked Sendable
where Key.RawValue == String, Key: Sendable {
    private struct Entry {
        var length: Int
        /// Where the key's bytes start in `bytes`.
        var offset: Int
        /// The key's index in `keys`.
        var index: Int
    }
    // Written once in `init`, read-only after: plain memory, so a lookup costs no reference
    // counting (tables are made once per key enum and live as long as the process).
    /// Entries by slot: `slots[slot]` is the index of the slot's first entry, `slots[slot + 1]` the end.
    private let entries: UnsafeMutableBufferPointer<Entry>
    private let slots: UnsafeMutableBufferPointer<Int>
    private let bytes: UnsafeMutableBufferPointer<UInt8>

    init(_: Key.Type = Key.self) {
        var bySlot = [[Entry]](repeating: [], count: 64)
        var text: [UInt8] = []
        for (index, key) in Key.allCases.enumerated() {
            let name = Array(key.rawValue.utf8)
            precondition(!name.isEmpty, "a JSON key table holds no empty key")
            name.withUnsafeBufferPointer { b in
                bySlot[keySlot(b)].append(Entry(length: b.count, offset: text.count, index: index))
            }
            text += name
        }
        bytes = .allocate(capacity: max(text.count, 1))
        _ = bytes.initialize(from: text)
        let flat = bySlot.flatMap { $0 }
        entries = .allocate(capacity: max(flat.count, 1))
        _ = entries.initialize(from: flat)
        slots = .allocate(capacity: 65)
        var start = 0
        for (slot, keys) in bySlot.enumerated() {
            slots[slot] = start
            start += keys.count
        }
        slots[64] = start

        let all = Array(Key.allCases)
        keys = .allocate(capacity: max(all.count, 1))
        _ = keys.initialize(from: all)
        count = all.count
        let names = all.map { Array($0.rawValue.utf8) }
        var quotedText: [UInt8] = []
        var starts: [Int] = []
        for name in names {
            starts.append(quotedText.count)
            quotedText += [UInt8(ascii: "\"")] + name + [UInt8(ascii: "\""), UInt8(ascii: ":")]
        }
        starts.append(quotedText.count)
        quoted = .allocate(capacity: quotedText.count)
        _ = quoted.initialize(from: quotedText)
        quotedStarts = .allocate(capacity: starts.count)
        _ = quotedStarts.initialize(from: starts)
        // Sorted as `JSONEncoder`'s `.sortedKeys` sorts: by the keys' UTF-8 bytes.
        let sorted = names.indices.sorted { names[$0].lexicographicallyPrecedes(names[$1]) }
        var next = [Int](repeating: names.count, count: 2 * (names.count + 1))
        next[2 * names.count] = sorted.first ?? names.count
        next[2 * names.count + 1] = 0
        for (place, index) in sorted.enumerated() { next[2 * index] = place + 1 < sorted.count ? sorted[place + 1] : names.count }
        for index in names.indices { next[2 * index + 1] = index + 1 < names.count ? index + 1 : names.count }
        successors = .allocate(capacity: next.count)
        _ = successors.initialize(from: next)
    }

    deinit {
        entries.deallocate()
        slots.deallocate()
        bytes.deallocate()
        keys.deallocate()
        quoted.deallocate()
        quotedStarts.deallocate()
        successors.deallocate()
    }

    /// The keys in declaration order; a key's index is its place here.
    let keys: UnsafeMutableBufferPointer<Key>
    /// How many keys there are.
    let count: Int
    /// `"key":` of each key, back to back; key `i` is `quoted[quotedStarts[i]..<quotedStarts[i + 1]]`.
    private let quoted: UnsafeMutableBufferPointer<UInt8>
    private let quotedStarts: UnsafeMutableBufferPointer<Int>
    /// For each key (and for `start`, before the first), the key after it in sorted order and the
    /// one after it in declaration order: `successors[2 * i]` and `successors[2 * i + 1]`.
    private let successors: UnsafeMutableBufferPointer<Int>

    /// The index standing for "no key yet".
    var start: Int { count }

    /// The key expected after key `previous` (or `start`), if `"key":` is what `pointer` holds:
    /// its index and the length of that text. The guesses: the next keys in sorted order (a few,
    /// as optional keys may be left out), then the next in declaration order.
    @inline(__always)
    func predicted(after previous: Int, at pointer: UnsafePointer<UInt8>, available: Int) -> (Int, Int)? {
        @inline(__always) func matches(_ guess: Int) -> Int? {
            let from = quotedStarts[guess], length = quotedStarts[guess + 1] - from
            // The byte after the quote rules most guesses out at once.
            guard available >= length, quoted[from + 1] == pointer[1], pointer[0] == UInt8(ascii: "\"") else { return nil }
            var k = 2
            while k < length, quoted[from + k] == pointer[k] { k += 1 }
            return k == length ? length : nil
        }
        guard available >= 2 else { return nil }
        var guess = successors[2 * previous]
        var tries = 0
        while guess < count && tries < 6 {
            if let length = matches(guess) { return (guess, length) }
            guess = successors[2 * guess]
            tries += 1
        }
        let declaredNext = successors[2 * previous + 1]
        if declaredNext < count, let length = matches(declaredNext) { return (declaredNext, length) }
        return nil
    }

    func index(_ text: String) -> Int? { keys.firstIndex { $0.rawValue == text } }

    /// The names, in declaration order.
    var names: [String] { Key.allCases.map(\.rawValue) }

    @inline(__always)
    func key(_ b: UnsafeBufferPointer<UInt8>) -> Key? {
        index(b).map { keys[$0] }
    }

    /// The index of the key `b` names.
    @inline(__always)
    func index(_ b: UnsafeBufferPointer<UInt8>) -> Int? {
        let n = b.count
        guard n >= 1 else { return nil }
        let slot = keySlot(b)
        var i = slots[slot]
        let end = slots[slot + 1]
        while i < end {
            let entry = entries[i]
            i += 1
            guard entry.length == n else { continue }
            var k = 0
            while k < n, bytes[entry.offset + k] == b[k] { k += 1 }
            if k == n { return entry.index }
        }
        return nil
    }

    func key(_ text: String) -> Key? { Key(rawValue: text) }
}

/// A key's slot in a `JSONKeyTable`, from its length and its first and last bytes.
@inline(__always)
private func keySlot(_ b: UnsafeBufferPointer<UInt8>) -> Int {
    Int((UInt(b.count) &* 7 &+ UInt(b[0]) &* 3 &+ UInt(b[b.count - 1])) & 63)
}
