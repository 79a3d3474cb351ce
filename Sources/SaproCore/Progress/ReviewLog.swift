import Foundation

/// The review log as the progress store reads it: one small fixed-size row per review, with
/// every repeating string (card, day, topic list, generator, misconception) replaced by an index
/// into a table of distinct values. Reading half a million reviews this way makes no `String`
/// per review and hashes each value's bytes once. What reports never look at (the answer typed,
/// the session, the response time) is kept only in a log made with `details: true`; the
/// scheduling states never are.
public struct ReviewLog: Sendable {
    /// What a log with details keeps of a review besides its row.
    public struct Detail: Sendable, Equatable {
        public var answer: String
        /// Index into `sessions`.
        public var session: Int32
        public var responseMilliseconds: Int?
    }

    /// One review. Indices refer to the log's tables; `-1` means "none".
    public struct Row: Sendable, Equatable {
        /// Index into `cards`.
        public var card: Int32
        /// Index into `days`.
        public var day: Int32
        /// Index into `topicLists`.
        public var topics: Int32
        /// Index into `generators`, or `-1`.
        public var generator: Int32
        /// Index into `misconceptions`, or `-1`.
        public var misconception: Int32
        /// 1 again, 2 hard, 3 good, 4 easy.
        public var rating: Int
        /// `nil` for self-rated recall cards.
        public var correct: Bool?
        public var mode: StudyMode
        /// `Date.timeIntervalSinceReferenceDate` of the answer.
        public var time: Double
    }

    /// The reviews that count, oldest first.
    public internal(set) var rows: [Row] = []
    /// One per row when the log keeps details; empty otherwise.
    public internal(set) var details: [Detail] = []
    /// Whether `details` is kept.
    public let keepsDetails: Bool
    var sessionIDs = ByteInterner()
    var cardIDs = ByteInterner()
    var dayIDs = ByteInterner()
    var topicIDs = ByteInterner()
    var generatorIDs = ByteInterner()
    var misconceptionIDs = ByteInterner()
    /// Keys of topic lists (the journal's JSON text of the list, or the topics joined) to list indices.
    var topicListKeys = ByteInterner()
    /// Each topic list as indices into `topics`.
    public internal(set) var topicLists: [[Int32]] = []

    /// Distinct card ids. (Values are distinct byte sequences; two canonically equivalent but
    /// differently encoded strings get two entries, which users of the log merge by `String`.)
    public var cards: [String] { cardIDs.values }
    /// Distinct calendar days (`YYYY-MM-DD`).
    public var days: [String] { dayIDs.values }
    /// Distinct topics.
    public var topics: [String] { topicIDs.values }
    /// Distinct generators.
    public var generators: [String] { generatorIDs.values }
    /// Distinct misconceptions.
    public var misconceptions: [String] { misconceptionIDs.values }

    /// The number of reviews.
    public var count: Int { rows.count }

    /// Distinct sessions (in a log with details).
    public var sessions: [String] { sessionIDs.values }

    /// An empty log; `details` keeps each review's answer, session and response time too.
    public init(details: Bool = false) { keepsDetails = details }

    /// The log of `records`, in their order.
    public init<State>(_ records: [ReviewRecord<State>], details: Bool = false) {
        keepsDetails = details
        rows.reserveCapacity(records.count)
        for record in records { append(record) }
    }

    /// The reviews as records, without scheduling states (`previous` and `next` are `nil`).
    /// Answers, sessions and response times are empty unless the log keeps details.
    public func records<State>(_: State.Type = State.self) -> [ReviewRecord<State>] {
        let cards = cards, days = days, topics = topics, generators = generators
        let misconceptions = misconceptions, sessions = sessions
        let lists = topicLists.map { $0.map { topics[Int($0)] } }
        return rows.indices.map { i in
            let r = rows[i]
            let detail = keepsDetails ? details[i] : nil
            return ReviewRecord(
                card: cards[Int(r.card)], time: Date(timeIntervalSinceReferenceDate: r.time), day: days[Int(r.day)],
                rating: r.rating, answer: detail?.answer ?? "", correct: r.correct,
                responseMilliseconds: detail?.responseMilliseconds, session: detail.map { sessions[Int($0.session)] } ?? "",
                mode: r.mode, topics: lists[Int(r.topics)],
                generator: r.generator < 0 ? nil : generators[Int(r.generator)],
                misconception: r.misconception < 0 ? nil : misconceptions[Int(r.misconception)])
        }
    }

    /// Appends `record` (its scheduling states, answer and session are not kept).
    public mutating func append<State>(_ record: ReviewRecord<State>) {
        rows.append(
            Row(
                card: cardIDs.id(record.card), day: dayIDs.id(record.day), topics: topicListID(record.topics),
                generator: record.generator.map { generatorIDs.id($0) } ?? -1,
                misconception: record.misconception.map { misconceptionIDs.id($0) } ?? -1,
                rating: record.rating, correct: record.correct, mode: record.mode,
                time: record.time.timeIntervalSinceReferenceDate))
        if keepsDetails {
            details.append(
                Detail(
                    answer: record.answer, session: sessionIDs.id(record.session),
                    responseMilliseconds: record.responseMilliseconds))
        }
    }

    /// Keeps the rows for which `keep` is true.
    mutating func filterRows(_ keep: (Int) -> Bool) {
        var kept: [Row] = [], keptDetails: [Detail] = []
        kept.reserveCapacity(rows.count)
        for (i, row) in rows.enumerated() where keep(i) {
            kept.append(row)
            if keepsDetails { keptDetails.append(details[i]) }
        }
        rows = kept
        details = keptDetails
    }

    /// The index of a list of topics given as strings (lists read through `JournalScanner` are
    /// keyed by their JSON text instead; both kinds of key can stand for the same list).
    mutating func topicListID(_ topics: [String]) -> Int32 {
        // A 0x01 byte starts the key, so it never equals JSON text (which starts with `[`).
        var key: [UInt8] = [1]
        for t in topics {
            key.append(contentsOf: t.utf8)
            key.append(0)
        }
        return key.withUnsafeBufferPointer { bytes in
            if let known = topicListKeys.find(bytes) { return known }
            return newTopicList(key: bytes, topics)
        }
    }

    /// Records a new topic list under `key`.
    mutating func newTopicList(key: UnsafeBufferPointer<UInt8>, _ topics: [String]) -> Int32 {
        let id = topicListKeys.insert(key)
        assert(Int(id) == topicLists.count)
        topicLists.append(topics.map { topicIDs.id($0) })
        return id
    }
}

/// Gives each distinct byte sequence a small integer id, in order of first appearance. Lookups
/// hash the bytes with a cheap word-at-a-time hash into an open-addressing table, and first try
/// the previous answer, since the journal often repeats a value on consecutive lines. A `String`
/// is made once per distinct value.
struct ByteInterner: Sendable {
    /// The values, by id.
    private(set) var values: [String] = []
    /// All values' bytes back to back; value `i` is `bytes[starts[i]..<starts[i + 1]]`.
    private var bytes: [UInt8] = []
    private var starts: [Int] = [0]
    /// `id + 1` of the value in each slot; 0 marks an empty slot.
    private var slots = [Int32](repeating: 0, count: 64)
    private var last: Int32 = -1

    var count: Int { values.count }

    /// The id of `b`, adding it when new.
    mutating func id(_ b: UnsafeBufferPointer<UInt8>) -> Int32 {
        find(b) ?? insert(b)
    }

    /// The id of `string`'s UTF-8 bytes, adding them when new.
    mutating func id(_ string: String) -> Int32 {
        var string = string
        return string.withUTF8 { id($0) }
    }

    /// The id of `b`, or `nil` when it has none yet.
    mutating func find(_ b: UnsafeBufferPointer<UInt8>) -> Int32? {
        if last >= 0 && equal(Int(last), b) { return last }
        let mask = slots.count - 1
        var slot = Self.hash(b) & mask
        while true {
            let s = slots[slot]
            if s == 0 { return nil }
            if equal(Int(s - 1), b) {
                last = s - 1
                return last
            }
            slot = (slot + 1) & mask
        }
    }

    /// Adds `b`, which must not have an id yet, and returns its id.
    mutating func insert(_ b: UnsafeBufferPointer<UInt8>) -> Int32 {
        let id = Int32(values.count)
        values.append(String(decoding: b, as: UTF8.self))
        bytes.append(contentsOf: b)
        starts.append(bytes.count)
        if values.count * 2 > slots.count {
            slots = [Int32](repeating: 0, count: slots.count * 2)
            for v in 0..<values.count { place(Int32(v)) }
        } else {
            place(id)
        }
        last = id
        return id
    }

    private mutating func place(_ id: Int32) {
        let mask = slots.count - 1
        let h = bytes.withUnsafeBufferPointer { all in
            Self.hash(UnsafeBufferPointer(rebasing: all[starts[Int(id)]..<starts[Int(id) + 1]]))
        }
        var slot = h & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = id + 1
    }

    private func equal(_ id: Int, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = starts[id], n = starts[id + 1] - start
        guard n == b.count else { return false }
        if n == 0 { return true }
        return bytes.withUnsafeBufferPointer { memcmp($0.baseAddress! + start, b.baseAddress!, n) == 0 }
    }

    @inline(__always)
    private static func hash(_ b: UnsafeBufferPointer<UInt8>) -> Int {
        Int(truncatingIfNeeded: WordHash.hash(UnsafeRawBufferPointer(b)))
    }
}
