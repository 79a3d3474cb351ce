import Foundation

/// Reads journal lines for reports without Foundation's JSON decoder, which costs more than a
/// report over half a million reviews may take. It reads what a report needs (sequence number,
/// kind, undo target and the review's fields) and skips the scheduling states (`next`,
/// `previous`), which reports never look at. Any line it does not understand (a session, an
/// escape it cannot decode, an unexpected shape) is left to `JSONDecoder` by its caller, so the
/// result always equals decoding every line and dropping the states (tested).
struct JournalScanner {
    /// What a line holds, without the scheduling states; non-generic so that scanning needs no
    /// generic metadata at run time.
    struct Line {
        enum Kind { case review, undo }
        var seq: Int
        var kind: Kind
        var target: Int?
        var review: Review?
    }

    struct Review {
        var card: String, time: Date, day: String, rating: Int, answer: String, correct: Bool?
        var responseMilliseconds: Int?, session: String, mode: StudyMode, topics: [String]
        var generator: String?, misconception: String?

        func record<State>(_: State.Type = State.self) -> ReviewRecord<State> {
            ReviewRecord(card: card, time: time, day: day, rating: rating, answer: answer, correct: correct,
                         responseMilliseconds: responseMilliseconds, session: session, mode: mode, topics: topics,
                         generator: generator, misconception: misconception)
        }
    }

    private let base: UnsafePointer<UInt8>
    private var i: Int
    private let end: Int
    /// Card ids, topics and sessions repeat; one `String` each saves memory and allocations.
    private var strings: StringTable

    init(_ line: UnsafeBufferPointer<UInt8>, strings: StringTable) {
        base = line.baseAddress!
        i = 0
        end = line.count
        self.strings = strings
    }

    /// The line's entry, or `nil` when the line should be decoded with `JSONDecoder`.
    mutating func scan() -> Line? {
        entry { $0.review() }.map { Line(seq: $0.seq, kind: $0.kind, target: $0.target, review: $0.body) }
    }

    /// The line's entry with its review as a `ReviewLog.Row` (strings interned into `log`'s
    /// tables; the row itself is not appended), or `nil` when the line should be decoded with
    /// `JSONDecoder`. Checks the same shapes as `scan()`, so the same lines go to the decoder.
    mutating func scanRow(into log: inout ReviewLog) -> RowLine? {
        entry { $0.row(into: &log) }.map { RowLine(seq: $0.seq, kind: $0.kind, target: $0.target, row: $0.body) }
    }

    /// A review or undo entry whose `review` object `readBody` reads; nil for any other line.
    private mutating func entry<Body>(
        _ readBody: (inout JournalScanner) -> Body?
    ) -> (seq: Int, kind: Line.Kind, target: Int?, body: Body?)? {
        var seq: Int?, type: Line.Kind?, target: Int?, body: Body?
        guard object({ (s: inout JournalScanner, key: UnsafeBufferPointer<UInt8>) -> Bool in
            switch Key(key) {
            case .seq: seq = s.integer(); return seq != nil
            case .target: target = s.integer(); return target != nil
            case .type:
                switch s.word() {
                case .review: type = .review
                case .undo: type = .undo
                default: return false  // sessions and anything new go to the decoder
                }
                return true
            case .review:
                body = readBody(&s)
                return body != nil
            default:
                return false
            }
        }) else { return nil }
        skipSpace()
        guard i == end, let seq, let type else { return nil }
        return (seq, type, target, body)
    }

    /// What `scanRow` reads from a line.
    struct RowLine {
        var seq: Int
        var kind: Line.Kind
        var target: Int?
        var row: ReviewLog.Row?
    }

    /// The review object as a row: like `review()`, but strings become indices into `log`'s
    /// tables, and the answer and session are checked, not kept.
    private mutating func row(into log: inout ReviewLog) -> ReviewLog.Row? {
        var card: Int32?, time: Date?, day: Int32?, rating: Int?, answer = false, session = false
        var mode: StudyMode?, topics: Int32?
        var correct: Bool?, generator: Int32 = -1, misconception: Int32 = -1
        let ok = object { (s: inout JournalScanner, key: UnsafeBufferPointer<UInt8>) -> Bool in
            switch Key(key) {
            case .card: card = s.stringID(&log.cardIDs); return card != nil
            case .time: time = s.time(); return time != nil
            case .day: day = s.stringID(&log.dayIDs); return day != nil
            case .rating: rating = s.integer(); return rating != nil
            case .answer: answer = s.skipString(); return answer
            case .correct: return s.optionalBool(&correct)
            case .responseMilliseconds:
                if s.literal("null") { return true }
                return s.integer() != nil
            case .session: session = s.skipString(); return session
            case .mode: mode = s.studyMode(); return mode != nil
            case .topics:
                topics = s.topicListID(&log); return topics != nil
            case .generator:
                if s.literal("null") { return true }
                guard let id = s.stringID(&log.generatorIDs) else { return false }
                generator = id
                return true
            case .misconception:
                if s.literal("null") { return true }
                guard let id = s.stringID(&log.misconceptionIDs) else { return false }
                misconception = id
                return true
            case .next, .previous:
                return s.skipValue()
            default:
                return false
            }
        }
        guard ok, let card, let time, let day, let rating, answer, session, let mode, let topics else { return nil }
        return ReviewLog.Row(card: card, day: day, topics: topics, generator: generator, misconception: misconception,
                             rating: rating, correct: correct, mode: mode, time: time.timeIntervalSinceReferenceDate)
    }

    /// A time string value.
    private mutating func time() -> Date? {
        guard let range = plainString() else { return nil }
        return ISOTime.parse(utf8: UnsafeBufferPointer(start: base + range.lowerBound, count: range.count))
    }

    /// `true`, `false` or `null` (which leaves `value` as it is); false for anything else.
    private mutating func optionalBool(_ value: inout Bool?) -> Bool {
        if literal("null") { return true }
        if literal("true") { value = true; return true }
        if literal("false") { value = false; return true }
        return false
    }

    /// A study mode word.
    private mutating func studyMode() -> StudyMode? {
        switch word() {
        case .drill: .drill
        case .quiz: .quiz
        case .exam: .exam
        default: nil
        }
    }

    /// A string value's index in `table`.
    private mutating func stringID(_ table: inout ByteInterner) -> Int32? {
        skipSpace()
        if let range = plainString() {
            return table.id(UnsafeBufferPointer(start: base + range.lowerBound, count: range.count))
        }
        return string(interned: false).map { table.id($0) }
    }

    /// Checks for a string value and steps over it.
    private mutating func skipString() -> Bool {
        skipSpace()
        return plainString() != nil || string(interned: false) != nil
    }

    /// A list of strings as an index into `log.topicLists`; a list's JSON text is parsed once.
    private mutating func topicListID(_ log: inout ReviewLog) -> Int32? {
        skipSpace()
        let start = i
        guard let close = memchr(base + i, Int32(UInt8(ascii: "]")), end - i) else {
            return parseStringArray().map { log.topicListID($0) }
        }
        let stop = base.distance(to: close.assumingMemoryBound(to: UInt8.self)) + 1
        let text = UnsafeBufferPointer(start: base + start, count: stop - start)
        if let known = log.topicListKeys.find(text) {
            i = stop
            return known
        }
        guard let parsed = parseStringArray() else { return nil }
        // A `]` inside a string is not the list's end: then the text is no key.
        return i == stop ? log.newTopicList(key: text, parsed) : log.topicListID(parsed)
    }

    // MARK: The review object

    private mutating func review() -> Review? {
        var card: String?, time: Date?, day: String?, rating: Int?, answer: String?, session: String?
        var mode: StudyMode?, topics: [String]?
        var correct: Bool?, ms: Int?, generator: String?, misconception: String?
        let ok = object { (s: inout JournalScanner, key: UnsafeBufferPointer<UInt8>) -> Bool in
            switch Key(key) {
            case .card: card = s.string(interned: true); return card != nil
            case .time: time = s.time(); return time != nil
            case .day: day = s.string(interned: true); return day != nil
            case .rating: rating = s.integer(); return rating != nil
            case .answer: answer = s.string(interned: false); return answer != nil
            case .correct: return s.optionalBool(&correct)
            case .responseMilliseconds:
                if s.literal("null") { return true }
                ms = s.integer(); return ms != nil
            case .session: session = s.string(interned: true); return session != nil
            case .mode: mode = s.studyMode(); return mode != nil
            case .topics:
                topics = s.stringArray(); return topics != nil
            case .generator:
                if s.literal("null") { return true }
                generator = s.string(interned: true); return generator != nil
            case .misconception:
                if s.literal("null") { return true }
                misconception = s.string(interned: true); return misconception != nil
            case .next, .previous:
                return s.skipValue()
            default:
                return false
            }
        }
        guard ok, let card, let time, let day, let rating, let answer, let session, let mode, let topics else { return nil }
        return Review(card: card, time: time, day: day, rating: rating, answer: answer, correct: correct,
                      responseMilliseconds: ms, session: session, mode: mode, topics: topics,
                      generator: generator, misconception: misconception)
    }

    // MARK: JSON pieces

    /// The keys and words the scanner knows.
    private enum Key {
        case seq, type, target, review, card, time, day, rating, answer, correct, responseMilliseconds, session, mode,
             topics, generator, misconception, next, previous, undo, drill, quiz, exam, other

        init(_ b: UnsafeBufferPointer<UInt8>) {
            func eq(_ s: StaticString) -> Bool {
                s.utf8CodeUnitCount == b.count && memcmp(s.utf8Start, b.baseAddress!, b.count) == 0
            }
            switch b.count {
            case 3: self = eq("seq") ? .seq : eq("day") ? .day : .other
            case 4: self = eq("type") ? .type : eq("card") ? .card : eq("time") ? .time : eq("mode") ? .mode
                : eq("next") ? .next : eq("undo") ? .undo : eq("quiz") ? .quiz : eq("exam") ? .exam : .other
            case 5: self = eq("drill") ? .drill : .other
            case 6: self = eq("target") ? .target : eq("review") ? .review : eq("rating") ? .rating
                : eq("answer") ? .answer : eq("topics") ? .topics : .other
            case 7: self = eq("correct") ? .correct : eq("session") ? .session : .other
            case 8: self = eq("previous") ? .previous : .other
            case 9: self = eq("generator") ? .generator : .other
            case 13: self = eq("misconception") ? .misconception : .other
            case 20: self = eq("responseMilliseconds") ? .responseMilliseconds : .other
            default: self = .other
            }
        }
    }

    private var byte: UInt8 { base[i] }

    private mutating func skipSpace() {
        while i < end, base[i] == 0x20 || base[i] == 0x09 || base[i] == 0x0D || base[i] == 0x0A { i += 1 }
    }

    private mutating func consume(_ c: UInt8) -> Bool {
        skipSpace()
        guard i < end, base[i] == c else { return false }
        i += 1
        return true
    }

    /// `{ "key": value, … }`, calling `member` at each value; it must consume the value.
    private mutating func object(_ member: (inout JournalScanner, UnsafeBufferPointer<UInt8>) -> Bool) -> Bool {
        guard consume(UInt8(ascii: "{")) else { return false }
        if consume(UInt8(ascii: "}")) { return true }
        while true {
            skipSpace()
            guard let key = plainString(), consume(UInt8(ascii: ":")) else { return false }
            skipSpace()
            guard member(&self, UnsafeBufferPointer(start: base + key.lowerBound, count: key.count)) else { return false }
            if consume(UInt8(ascii: ",")) { continue }
            return consume(UInt8(ascii: "}"))
        }
    }

    /// A plain ASCII string without escapes: the range of its contents. `nil` (and nothing consumed that
    /// matters: the line goes to the decoder) for anything else.
    private mutating func plainString() -> Range<Int>? {
        skipSpace()
        guard i < end, base[i] == UInt8(ascii: "\"") else { return nil }
        let start = i + 1
        var j = start
        while j < end {
            let c = base[j]
            if c == UInt8(ascii: "\"") {
                i = j + 1
                return start..<j
            }
            // Escapes, control bytes and non-ASCII text go the careful way (`string`), which
            // also refuses what is not UTF-8, as the decoder does.
            if c == UInt8(ascii: "\\") || c < 0x20 || c >= 0x80 { return nil }
            j += 1
        }
        return nil
    }

    /// A string value; escaped strings are decoded by `JSONDecoder`, which handles every escape.
    private mutating func string(interned: Bool) -> String? {
        skipSpace()
        let start = i
        if let range = plainString() {
            let bytes = UnsafeBufferPointer(start: base + range.lowerBound, count: range.count)
            return interned ? strings.string(bytes) : String(decoding: bytes, as: UTF8.self)
        }
        // An escape or non-ASCII text: find the closing quote, then let the decoder read the token.
        guard start < end, base[start] == UInt8(ascii: "\"") else { return nil }
        var j = start + 1
        while j < end, base[j] != UInt8(ascii: "\"") { j += base[j] == UInt8(ascii: "\\") ? 2 : 1 }
        guard j < end else { return nil }
        i = j + 1
        let token = Data(UnsafeBufferPointer(start: base + start, count: j + 1 - start))
        return try? JSONDecoder().decode(String.self, from: token)
    }

    private mutating func stringArray() -> [String]? {
        skipSpace()
        // The same topic lists come back again and again: one array for each distinct text.
        let start = i
        if let close = memchr(base + i, Int32(UInt8(ascii: "]")), end - i) {
            let stop = base.distance(to: close.assumingMemoryBound(to: UInt8.self)) + 1
            let text = UnsafeBufferPointer(start: base + start, count: stop - start)
            if let known = strings.array(text) {
                i = stop
                return known
            }
            guard let parsed = parseStringArray() else { return nil }
            if i == stop { strings.remember(parsed, for: text) }
            return parsed
        }
        return parseStringArray()
    }

    private mutating func parseStringArray() -> [String]? {
        guard consume(UInt8(ascii: "[")) else { return nil }
        var out: [String] = []
        if consume(UInt8(ascii: "]")) { return out }
        while true {
            guard let s = string(interned: true) else { return nil }
            out.append(s)
            if consume(UInt8(ascii: ",")) { continue }
            return consume(UInt8(ascii: "]")) ? out : nil
        }
    }

    /// A short string value that is one of the scanner's words.
    private mutating func word() -> Key? {
        guard let range = plainString() else { return nil }
        return Key(UnsafeBufferPointer(start: base + range.lowerBound, count: range.count))
    }

    private mutating func integer() -> Int? {
        skipSpace()
        var negative = false
        if i < end, base[i] == UInt8(ascii: "-") { negative = true; i += 1 }
        var value = 0
        let start = i
        while i < end, base[i] >= 0x30, base[i] <= 0x39 {
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int(base[i] - 0x30))
            guard !o1, !o2 else { return nil }
            value = a
            i += 1
        }
        guard i > start else { return nil }
        // A fraction or exponent is not an integer here: leave the line to the decoder.
        if i < end, base[i] == UInt8(ascii: ".") || base[i] == UInt8(ascii: "e") || base[i] == UInt8(ascii: "E") { return nil }
        return negative ? -value : value
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        skipSpace()
        let n = word.utf8CodeUnitCount
        guard end - i >= n, memcmp(base + i, word.utf8Start, n) == 0 else { return false }
        i += n
        return true
    }

    /// Skips any JSON value (the scheduling states): strings, numbers, literals, nesting.
    private mutating func skipValue() -> Bool {
        skipSpace()
        var depth = 0
        repeat {
            guard i < end else { return false }
            switch base[i] {
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1; i += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1; i += 1
            case UInt8(ascii: "\""):
                i += 1
                while i < end, base[i] != UInt8(ascii: "\"") { i += base[i] == UInt8(ascii: "\\") ? 2 : 1 }
                guard i < end else { return false }
                i += 1
            default:
                // A number, literal, comma, colon or space: up to the next structural byte.
                if depth == 0 {
                    while i < end, base[i] != UInt8(ascii: ","), base[i] != UInt8(ascii: "}"), base[i] != UInt8(ascii: "]") { i += 1 }
                    return true
                }
                i += 1
            }
        } while depth > 0
        return depth == 0
    }
}

extension ReviewLog {
    /// Reads a journal line with `JournalScanner`: appends its review (and its sequence number to
    /// `seqs`) or notes its undo target. `false`, with nothing appended, when the line must be
    /// decoded with `JSONDecoder`. Not generic, so the hot loop needs no generic metadata.
    mutating func scan(_ line: UnsafeBufferPointer<UInt8>, strings: StringTable, seqs: inout [Int],
                       undone: inout Set<Int>) -> Bool {
        var scanner = JournalScanner(line, strings: strings)
        guard let scanned = scanner.scanRow(into: &self) else { return false }
        switch scanned.kind {
        case .review:
            if let row = scanned.row {
                rows.append(row)
                seqs.append(scanned.seq)
            }
        case .undo: if let target = scanned.target { undone.insert(target) }
        }
        return true
    }
}

/// One `String` per distinct byte sequence seen (and one array per distinct JSON list of strings).
final class StringTable {
    private var table: [Int: [String]] = [:]
    private var arrays: [Int: [(text: [UInt8], value: [String])]] = [:]

    private func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var hasher = Hasher()
        hasher.combine(bytes: UnsafeRawBufferPointer(bytes))
        return hasher.finalize()
    }

    func array(_ text: UnsafeBufferPointer<UInt8>) -> [String]? {
        arrays[hash(text)]?.first { $0.text.elementsEqual(text) }?.value
    }

    func remember(_ value: [String], for text: UnsafeBufferPointer<UInt8>) {
        arrays[hash(text), default: []].append((Array(text), value))
    }

    func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        if bytes.count <= 15 {
            // Small strings live inline: making one costs less than looking it up.
            return String(decoding: bytes, as: UTF8.self)
        }
        let key = hash(bytes)
        if let candidates = table[key] {
            for s in candidates where s.utf8.elementsEqual(bytes) { return s }
        }
        let s = String(decoding: bytes, as: UTF8.self)
        table[key, default: []].append(s)
        return s
    }
}
