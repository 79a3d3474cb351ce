import Foundation

/// Reads journal lines into a `ReviewLog` without Foundation's JSON decoder, which costs more
/// than a report over half a million reviews may take. The keys are the `Codable` definition's
/// (`JournalEntryKey`, `ReviewRecordKey`), and its `switch`es over them are exhaustive, so a field
/// added to the journal does not compile until this reader handles it. The scheduling states
/// (`next`, `previous`) are checked and skipped: the log never holds them. A line it cannot read
/// (an unknown key, a value of the wrong shape) is left to `JSONDecoder` by its caller, which
/// counts it, and tests require that count to be zero for journals the app writes.
enum JournalScanner {
    private static let entryKeys = JSONKeyTable<JournalEntryKey>()
    private static let reviewKeys = JSONKeyTable<ReviewRecordKey>()
    private static let kinds = JSONKeyTable<JournalEntryKind>()
    private static let modes = JSONKeyTable<StudyMode>()

    private struct Unreadable: Error {}

    /// Reads one journal line: appends its review to `log` (and its sequence number to `seqs`),
    /// or notes its undo target. `false`, with no row appended, when the line must be decoded
    /// with `JSONDecoder`.
    static func scan(
        _ line: UnsafeBufferPointer<UInt8>, into log: inout ReviewLog, seqs: inout [Int],
        undone: inout Set<Int>
    ) -> Bool {
        var reader = JSONLineReader(bytes: line, position: 0, end: line.count)
        let entryKeys = Self.entryKeys, kinds = Self.kinds
        var seq: Int?, kind: JournalEntryKind?, target: Int?, review: (ReviewLog.Row, ReviewLog.Detail?)?
        do throws(JSONLineReader.Failure) {
            try reader.members(of: entryKeys) { (r, key) throws(JSONLineReader.Failure) in
                guard let key else { throw r.failure("unknown key") }
                switch key {
                case .seq:
                    guard let value = r.integer() else { throw r.failure("bad seq") }
                    seq = value
                case .type:
                    let word = try r.scanString()
                    guard let value = r.key(word, in: kinds) else { throw r.failure("bad type") }
                    kind = value
                case .target:
                    if r.null() { return }
                    guard let value = r.integer() else { throw r.failure("bad target") }
                    target = value
                case .review:
                    if r.null() { return }
                    review = try readReview(&r, into: &log)
                case .session:
                    try r.skipValue()
                }
            }
            guard reader.atEnd() else { return false }
        } catch {
            return false
        }
        guard let seq, let kind else { return false }
        switch kind {
        case .review:
            if let (row, detail) = review {
                log.rows.append(row)
                if let detail { log.details.append(detail) }
                seqs.append(seq)
            }
        case .undo:
            if let target { undone.insert(target) }
        case .session:
            break
        }
        return true
    }

    /// The review object as a row (strings interned into `log`'s tables; not yet appended) and,
    /// when the log keeps them, its details.
    private static func readReview(
        _ r: inout JSONLineReader, into log: inout ReviewLog
    ) throws(JSONLineReader.Failure) -> (ReviewLog.Row, ReviewLog.Detail?) {
        var card: Int32?, time: Double?, day: Int32?, rating: Int?, answer: String?, session: Int32?
        var mode: StudyMode?, topics: Int32?, correct: Bool?, milliseconds: Int?
        var generator: Int32 = -1, misconception: Int32 = -1
        let details = log.keepsDetails
        let reviewKeys = Self.reviewKeys, modes = Self.modes
        try r.members(of: reviewKeys) { (r, key) throws(JSONLineReader.Failure) in
            guard let key else { throw r.failure("unknown key") }
            switch key {
            case .card: card = try interned(&r, &log.cardIDs)
            case .time:
                let text = try r.scanString()
                guard text.isPlainASCII, let date = ISOTime.parse(utf8: r.slice(text.range)) else {
                    throw r.failure("bad time")
                }
                time = date.timeIntervalSinceReferenceDate
            case .day: day = try interned(&r, &log.dayIDs)
            case .rating:
                guard let value = r.integer() else { throw r.failure("bad rating") }
                rating = value
            case .answer:
                let text = try r.scanString()
                if details || !text.isPlainASCII {
                    guard let value = r.string(text) else { throw r.failure("bad answer") }
                    answer = value
                } else {
                    answer = ""
                }
            case .correct:
                if r.null() { return }
                guard let value = r.bool() else { throw r.failure("bad correct") }
                correct = value
            case .responseMilliseconds:
                if r.null() { return }
                guard let value = r.integer() else { throw r.failure("bad responseMilliseconds") }
                milliseconds = value
            case .session:
                if details {
                    session = try interned(&r, &log.sessionIDs)
                } else {
                    let text = try r.scanString()
                    guard text.isPlainASCII || r.string(text) != nil else { throw r.failure("invalid string") }
                    session = -1
                }
            case .mode:
                let word = try r.scanString()
                guard let value = r.key(word, in: modes) else { throw r.failure("bad mode") }
                mode = value
            case .topics: topics = try topicList(&r, into: &log)
            case .generator:
                if r.null() { return }
                generator = try interned(&r, &log.generatorIDs)
            case .misconception:
                if r.null() { return }
                misconception = try interned(&r, &log.misconceptionIDs)
            case .previous, .next:
                try r.skipValue()
            }
        }
        guard let card, let time, let day, let rating, let answer, let session, let mode, let topics else {
            throw r.failure("a required key is missing")
        }
        let row = ReviewLog.Row(
            card: card, day: day, topics: topics, generator: generator, misconception: misconception,
            rating: rating, correct: correct, mode: mode, time: time)
        return (row, details ? ReviewLog.Detail(answer: answer, session: session, responseMilliseconds: milliseconds) : nil)
    }

    /// A string value's index in `table`.
    private static func interned(_ r: inout JSONLineReader, _ table: inout ByteInterner) throws(JSONLineReader.Failure) -> Int32 {
        let token = try r.scanString()
        if token.isPlainASCII { return table.id(r.slice(token.range)) }
        guard let text = r.string(token) else { throw r.failure("invalid string") }
        return table.id(text)
    }

    /// A list of strings as an index into `log.topicLists`. The same lists come back line after
    /// line: a list's JSON text is a key, so each distinct text is parsed once.
    private static func topicList(_ r: inout JSONLineReader, into log: inout ReviewLog) throws(JSONLineReader.Failure) -> Int32 {
        r.skipSpace()
        let start = r.position
        var key: UnsafeBufferPointer<UInt8>?
        if let close = memchr(r.bytes.baseAddress! + start, Int32(UInt8(ascii: "]")), r.end - start) {
            let stop = r.bytes.baseAddress!.distance(to: close.assumingMemoryBound(to: UInt8.self)) + 1
            let text = r.slice(start..<stop)
            if let known = log.topicListKeys.find(text) {
                r.position = stop
                return known
            }
            key = text
        }
        try r.expect(UInt8(ascii: "["), "'['")
        var list: [String] = []
        if !r.literal("]") {
            while true {
                let token = try r.scanString()
                guard let text = r.string(token) else { throw r.failure("invalid string") }
                list.append(text)
                if r.literal(",") { continue }
                try r.expect(UInt8(ascii: "]"), "']'")
                break
            }
        }
        // A `]` inside a string is not the list's end: then the text is no key.
        if let key, r.position == start + key.count { return log.newTopicList(key: key, list) }
        return log.topicListID(list)
    }
}
