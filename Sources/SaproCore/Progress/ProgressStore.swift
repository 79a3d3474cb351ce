import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `close(2)`, named apart from the store's own `close()`.
private func closeDescriptor(_ fd: Int32) { _ = close(fd) }

/// The progress in a data directory: an append-only journal (`journal.jsonl`, one event a line,
/// fsynced before `record` returns) and a snapshot (`snapshot.json`) of card states and totals
/// that is rewritten atomically every few hundred events. Start-up reads the snapshot and only the
/// journal lines after it; an answer costs one appended line, however long the history.
/// Several processes may share a directory: every write happens under an exclusive `flock`, after
/// reading what the others appended.
public final class ProgressStore<State: Codable & Sendable & Equatable> {
    public static var snapshotVersion: Int { 2 }
    public static var journalVersion: Int { 1 }

    public let directory: URL
    public private(set) var cards: [String: State] = [:]
    public private(set) var aggregates = Aggregates()
    public private(set) var lastSequence = 0
    /// Recent reviews that can still be undone, oldest first.
    public private(set) var undoable: [JournalEntry<State>] = []
    /// Mock exams, oldest first. (Drill and quiz sessions stay in the journal only, so the
    /// snapshot does not grow with every study day.)
    public private(set) var sessions: [SessionRecord] = []
    /// What opening the store repaired, in sentences for the user (say, a snapshot rebuilt from
    /// the journal); empty when nothing needed repair.
    public private(set) var notices: [String] = []

    /// The notices not yet taken, which are then cleared (for a caller that says each once).
    public func takeNotices() -> [String] {
        defer { notices = [] }
        return notices
    }
    private var rebuilt = false
    /// Events appended since the last snapshot; a snapshot is written when it reaches this many
    /// and the journal has grown by at least as many bytes as the last snapshot had, so the cost
    /// of snapshots per answer stays the same however many cards there are.
    public var snapshotInterval = 500
    private var snapshotBytes = 0
    private var bytesSinceSnapshot = 0

    private var journalOffset: UInt64 = 0
    private var journalLines = 0
    private var sinceSnapshot = 0
    private let lock: FileLock
    private let journalFD: Int32
    private static var undoDepth: Int { 50 }

    var journalURL: URL { directory.appendingPathComponent("journal.jsonl") }
    var snapshotURL: URL { directory.appendingPathComponent("snapshot.json") }
    var backupsURL: URL { directory.appendingPathComponent("backups") }

    struct Snapshot: Codable {
        var schemaVersion: Int
        var journalOffset: UInt64
        var journalLines: Int
        var lastSequence: Int
        var cards: SnapshotCards<State>
        var aggregates: Aggregates?
        var undoable: [JournalEntry<State>]?
        var sessions: [SessionRecord]?
        /// Checksums of the journal's first `journalOffset` bytes (absent in older snapshots).
        var journalDigest: JournalDigest?
    }

    struct Header: Codable {
        var format: String
        var schemaVersion: Int
    }

    static var encoder: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .custom { date, encoder in
            var c = encoder.singleValueContainer()
            try c.encode(ISOTime.format(date))
        }
        return e
    }

    static var decoder: JSONDecoder {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .custom { decoder in
            let c = try decoder.singleValueContainer()
            let text = try c.decode(String.self)
            guard let date = ISOTime.parse(text) else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "bad time '\(text)'")
            }
            return date
        }
        return d
    }

    /// Opens (creating if needed) the store in `directory`. Refuses, without touching anything,
    /// a snapshot or journal that does not parse or comes from a newer version.
    public init(directory: URL) throws(ProgressError) {
        self.directory = directory
        if let problem = FileKind.problem(directory: directory.path) { throw .unusable(problem) }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw .io(file: directory.path, operation: "create the data directory", errno: EACCES)
        }
        for name in ["journal.jsonl", "snapshot.json", "lock"] {
            if let problem = FileKind.problem(file: directory.appendingPathComponent(name).path) { throw .unusable(problem) }
        }
        if let problem = FileKind.problem(directory: directory.appendingPathComponent("backups").path) {
            notices.append(problem + ": until then snapshots are not backed up.")
        }
        lock = try FileLock(directory.appendingPathComponent("lock"))
        let path = directory.appendingPathComponent("journal.jsonl").path
        journalFD = open(path, O_RDWR | O_APPEND | O_CREAT, 0o644)
        guard journalFD >= 0 else { throw .io(file: path, operation: "open", errno: errno) }
        try lock.withLock { () throws(ProgressError) in
            try ensureHeader()
            try loadSnapshot()
            try catchUp(repairTornTail: true)
            // A rebuilt snapshot is written at once, so the next start does not read the whole journal.
            if rebuilt { try? writeSnapshot() }
        }
    }

    deinit { closeDescriptor(journalFD) }

    // MARK: The journal's checksums

    /// Hashes of the journal's complete blocks, checked (or made) already.
    private var digestBlocks: [UInt64] = []
    /// The check of the complete blocks the snapshot covers, running since the store opened:
    /// the offset of the first block that no longer matches, if any.
    private var verification: Background<UInt64?>?
    /// Why the journal may not be added to, once found.
    private var damage: ProgressError?

    /// Throws when the part of the journal the snapshot covers has changed since it was written
    /// (waiting, the first time, for the check that started when the store opened). Every write
    /// and every full read goes through here, so the REPL and `report` agree on what is valid.
    public func checkJournal() throws(ProgressError) {
        if let damage { throw damage }
        guard let running = verification else { return }
        verification = nil
        if let offset = running.value {
            let found = damageReport(at: offset)
            damage = found
            throw found
        }
    }

    /// The error for a changed block at `offset`: the first line in it that is not a journal
    /// entry, else its first line.
    private func damageReport(at offset: UInt64) -> ProgressError {
        let blockEnd = offset + UInt64(JournalDigest.blockSize)
        var first: Int?, last: Int?, invalid: Int?
        _ = try? forEachJournalLine(from: 0) { (line, number, next) throws(ProgressError) in
            let start = next - UInt64(line.count) - 1
            guard number > 1, next > offset, start < blockEnd else { return }
            if first == nil { first = number }
            last = number
            if invalid == nil, (try? Self.decoder.decode(JournalEntry<State>.self, from: Data(line))) == nil { invalid = number }
        }
        let lines = (first ?? 1)...(max(last ?? 1, first ?? 1))
        return .journalChanged(file: journalURL.path, lines: lines, invalidLine: invalid)
    }

    // MARK: Writing

    /// Appends a review and returns its sequence number once it is on disk.
    /// The journal does not keep `previous` (it is the card's state before, known when the line is
    /// applied); the undo history keeps it in memory and in the snapshot.
    @discardableResult
    public func record(_ review: ReviewRecord<State>) throws(ProgressError) -> Int {
        var stored = review
        stored.previous = nil
        let seq = try append { seq in JournalEntry(seq: seq, type: .review, review: stored) }
        recordedHere.insert(seq)
        return seq
    }

    /// The reviews this store (this process) appended: what a plain `undoLast` may take back.
    private var recordedHere: Set<Int> = []

    /// Appends a session or exam record (a later record with the same id replaces an earlier one).
    @discardableResult
    public func record(session: SessionRecord) throws(ProgressError) -> Int {
        try append { seq in JournalEntry(seq: seq, type: .session, session: session) }
    }

    /// Appends several reviews and then a session record in one write and one fsync: after a
    /// crash either all of them are in the journal or none (a cut-off write is a torn tail,
    /// moved aside on the next start). For an exam's answers, recorded when it is submitted.
    public func record(reviews: [ReviewRecord<State>], session: SessionRecord) throws(ProgressError) {
        try checkJournal()
        try lock.withLock { () throws(ProgressError) in
            try catchUp(repairTornTail: true)
            var entries: [JournalEntry<State>] = []
            var seq = lastSequence
            for review in reviews {
                var stored = review
                stored.previous = nil
                seq += 1
                entries.append(JournalEntry(seq: seq, type: .review, review: stored))
            }
            seq += 1
            entries.append(JournalEntry(seq: seq, type: .session, session: session))
            var buffer = Data()
            for entry in entries {
                do { buffer.append(try Self.encoder.encode(entry)) } catch {
                    throw .corrupt(file: "journal entry", line: nil, reason: "cannot encode: \(error)")
                }
                buffer.append(0x0A)
            }
            try write(buffer)
            journalOffset += UInt64(buffer.count)
            journalLines += entries.count
            for entry in entries { apply(entry) }
            for entry in entries where entry.type == .review { recordedHere.insert(entry.seq) }
            sinceSnapshot += entries.count
            if sinceSnapshot >= snapshotInterval { try? writeSnapshot() }
        }
    }

    /// Appends many reviews and sessions at once, with one fsync at the end, then writes a
    /// snapshot: for importing histories, not for answers (those go through `record`).
    public func importHistory(reviews: [ReviewRecord<State>], sessions: [SessionRecord] = []) throws(ProgressError) {
        try lock.withLock { () throws(ProgressError) in
            try catchUp(repairTornTail: true)
            var buffer = Data()
            buffer.reserveCapacity(reviews.count * 400)
            let encoder = Self.encoder
            var entries: [JournalEntry<State>] = []
            entries.reserveCapacity(reviews.count + sessions.count)
            var seq = lastSequence
            for review in reviews {
                seq += 1
                entries.append(JournalEntry(seq: seq, type: .review, review: review))
            }
            for session in sessions {
                seq += 1
                entries.append(JournalEntry(seq: seq, type: .session, session: session))
            }
            for entry in entries {
                do { buffer.append(try encoder.encode(entry)) } catch {
                    throw .corrupt(file: "journal entry", line: nil, reason: "cannot encode: \(error)")
                }
                buffer.append(0x0A)
            }
            try write(buffer)
            journalOffset += UInt64(buffer.count)
            journalLines += entries.count
            for entry in entries { apply(entry) }
            try writeSnapshot()
        }
    }

    /// Undoes the latest review this store recorded (of `session`, when given): the card's
    /// previous state and the totals come back exactly; the log keeps both the review and its
    /// undo. Another process's answers are never taken back this way, only by naming their
    /// session with `anyProcess`.
    @discardableResult
    public func undoLast(session: String? = nil, anyProcess: Bool = false) throws(ProgressError) -> ReviewRecord<State> {
        var undone: ReviewRecord<State>?
        _ = try append { (seq: Int) throws(ProgressError) -> JournalEntry<State> in
            let inSession = { (entry: JournalEntry<State>) in session == nil || entry.review?.session == session }
            guard let entry = undoable.last(where: { inSession($0) && (anyProcess || recordedHere.contains($0.seq)) }),
                let review = entry.review
            else {
                if !anyProcess, let newest = undoable.last(where: inSession)?.review {
                    throw .nothingOfYoursToUndo(newestSession: newest.session)
                }
                throw .nothingToUndo
            }
            undone = review
            var stored = review
            stored.previous = nil
            return JournalEntry(seq: seq, type: .undo, review: stored, target: entry.seq)
        }
        return undone!
    }

    private func append(_ make: (Int) throws(ProgressError) -> JournalEntry<State>) throws(ProgressError) -> Int {
        try checkJournal()
        return try lock.withLock { () throws(ProgressError) -> Int in
            try catchUp(repairTornTail: true)
            let entry = try make(lastSequence + 1)
            var line: Data
            do {
                line = try Self.encoder.encode(entry)
            } catch {
                throw .corrupt(file: "journal entry", line: nil, reason: "cannot encode: \(error)")
            }
            line.append(0x0A)
            try write(line)
            journalOffset += UInt64(line.count)
            journalLines += 1
            apply(entry)
            sinceSnapshot += 1
            bytesSinceSnapshot += line.count
            if sinceSnapshot >= snapshotInterval && bytesSinceSnapshot >= snapshotBytes {
                try? writeSnapshot()  // the journal already holds the event; a failed snapshot loses nothing
            }
            return entry.seq
        }
    }

    private func write(_ data: Data) throws(ProgressError) {
        let before = lseek(journalFD, 0, SEEK_END)
        var failure = AtomicFile.writeAll(journalFD, data)
        if failure == 0 && fsync(journalFD) != 0 { failure = errno }
        if failure != 0 {
            // Leave no partial line behind: the journal ends where it ended before.
            if before >= 0 { _ = ftruncate(journalFD, before) }
            throw .io(file: journalURL.path, operation: "save your answer to", errno: failure)
        }
    }

    /// Writes the snapshot now (also done every `snapshotInterval` events and by `close`).
    public func compact() throws(ProgressError) {
        try lock.withLock { () throws(ProgressError) in
            try catchUp(repairTornTail: true)
            try writeSnapshot()
        }
    }

    private func writeSnapshot() throws(ProgressError) {
        // Never a snapshot (with checksums) over a journal that has changed under the last one.
        try checkJournal()
        let digest = JournalDigest.make(fd: journalFD, end: journalOffset, known: digestBlocks)
        if let digest { digestBlocks = digest.blocks }
        let snapshot = Snapshot(
            schemaVersion: Self.snapshotVersion, journalOffset: journalOffset,
            journalLines: journalLines, lastSequence: lastSequence, cards: SnapshotCards(cards),
            aggregates: aggregates, undoable: undoable, sessions: sessions, journalDigest: digest)
        let data: Data
        do {
            data = try Self.encoder.encode(snapshot)
        } catch {
            throw .corrupt(file: snapshotURL.path, line: nil, reason: "cannot encode: \(error)")
        }
        rotateBackups()
        try AtomicFile.write(data, to: snapshotURL)
        sinceSnapshot = 0
        bytesSinceSnapshot = 0
        snapshotBytes = data.count
    }

    /// Keeps the last three snapshots in `backups/`.
    private func rotateBackups() {
        let fm = FileManager.default
        guard fm.fileExists(atPath: snapshotURL.path), FileKind.problem(directory: backupsURL.path) == nil else { return }
        try? fm.createDirectory(at: backupsURL, withIntermediateDirectories: true)
        let name = { (n: Int) in self.backupsURL.appendingPathComponent("snapshot.json.\(n)") }
        // The oldest backup goes now: if it cannot be read, it is kept aside instead (a damaged
        // backup may still be all someone has), and said.
        if fm.fileExists(atPath: name(3).path) {
            let readable =
                fm.contents(atPath: name(3).path).flatMap { try? Self.decoder.decode(SchemaVersionProbe.self, from: $0) } != nil
            if !readable {
                var n = 1
                var keep = backupsURL.appendingPathComponent("snapshot.json.unreadable")
                while fm.fileExists(atPath: keep.path) {
                    n += 1
                    keep = backupsURL.appendingPathComponent("snapshot.json.unreadable-\(n)")
                }
                if (try? fm.moveItem(at: name(3), to: keep)) != nil {
                    notices.append(
                        "\(name(3).path) could not be read; it was kept as \(keep.lastPathComponent) instead of being replaced.")
                }
            }
        }
        try? fm.removeItem(at: name(3))
        for n in stride(from: 2, through: 1, by: -1) where fm.fileExists(atPath: name(n).path) {
            try? fm.moveItem(at: name(n), to: name(n + 1))
        }
        try? fm.copyItem(at: snapshotURL, to: name(1))
    }

    // MARK: Reading

    private func ensureHeader() throws(ProgressError) {
        let size = lseek(journalFD, 0, SEEK_END)
        if size == 0 {
            // A header goes only into a new store's journal: with a snapshot beside it, an empty
            // journal has lost its history, and the store is refused untouched.
            if let data = FileManager.default.contents(atPath: snapshotURL.path) {
                if let version = try? Self.decoder.decode(SchemaVersionProbe.self, from: data).schemaVersion,
                    version > Self.snapshotVersion
                {
                    throw .newerVersion(file: snapshotURL.path, found: version, supported: Self.snapshotVersion)
                }
                throw .corrupt(
                    file: journalURL.path, line: nil,
                    reason:
                        "the journal is empty but \(snapshotURL.lastPathComponent) records a history; put back the journal if you have a copy"
                )
            }
            var header = try! Self.encoder.encode(Header(format: "sapro-journal", schemaVersion: Self.journalVersion))
            header.append(0x0A)
            try write(header)
            return
        }
        let first = readLine(at: 0)
        guard let first, let header = try? Self.decoder.decode(Header.self, from: first),
            header.format == "sapro-journal"
        else { throw .corrupt(file: journalURL.path, line: 1, reason: "not a sapro journal header") }
        if header.schemaVersion > Self.journalVersion {
            throw .newerVersion(file: journalURL.path, found: header.schemaVersion, supported: Self.journalVersion)
        }
    }

    private func readLine(at offset: off_t) -> Data? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = pread(journalFD, &buffer, buffer.count, offset)
        guard n > 0, let end = buffer[0..<n].firstIndex(of: 0x0A) else { return nil }
        return Data(buffer[0..<end])
    }

    private func loadSnapshot() throws(ProgressError) {
        let fm = FileManager.default
        guard fm.fileExists(atPath: snapshotURL.path) else {
            // No snapshot yet (or a fresh directory): rebuild from the journal's beginning.
            let header = readLine(at: 0)
            journalOffset = UInt64((header?.count ?? 0) + 1)
            journalLines = 1
            return
        }
        guard let data = fm.contents(atPath: snapshotURL.path) else {
            throw .io(file: snapshotURL.path, operation: "read", errno: errno)
        }
        let version: Int
        let snapshot: Snapshot
        do {
            version = try Self.decoder.decode(SchemaVersionProbe.self, from: data).schemaVersion
        } catch {
            try rebuildFromJournal(
                setting: snapshotURL, aside: data.isEmpty ? "it is empty" : "it is not valid JSON or is truncated")
            return
        }
        if version > Self.snapshotVersion {
            throw .newerVersion(file: snapshotURL.path, found: version, supported: Self.snapshotVersion)
        }
        do {
            snapshot = try Self.decoder.decode(Snapshot.self, from: data)
        } catch {
            try rebuildFromJournal(setting: snapshotURL, aside: JSONErrorLocation.summary(of: error))
            return
        }
        let size = UInt64(max(lseek(journalFD, 0, SEEK_END), 0))
        guard snapshot.journalOffset <= size else {
            throw .journalShorter(file: journalURL.path, size: size, covered: snapshot.journalOffset)
        }
        if version >= 2, let digest = snapshot.journalDigest, digest.end == snapshot.journalOffset {
            // The newest block at once (cheap, and where an edit is likeliest); the rest on another
            // thread, finished before anything is added or the whole journal is read.
            if let offset = digest.firstMismatch(fd: journalFD, blocks: 0..<0) {
                damage = damageReport(at: offset)
            } else if !digest.blocks.isEmpty {
                // A descriptor of its own, closed when the check ends: the store may be gone by then
                // (a command that only reads exits without waiting for it).
                let fd = dup(journalFD)
                if fd >= 0 {
                    verification = Background {
                        defer { closeDescriptor(fd) }
                        return digest.firstMismatch(fd: fd, includingTail: false)
                    }
                }
            }
            digestBlocks = digest.blocks
        }
        if version < 2 {
            // Version 1 snapshots held card states only; rebuild the totals and history from the journal.
            let header = readLine(at: 0)
            journalOffset = UInt64((header?.count ?? 0) + 1)
            journalLines = 1
            return
        }
        cards = snapshot.cards.cards
        aggregates = snapshot.aggregates ?? Aggregates()
        undoable = snapshot.undoable ?? []
        sessions = (snapshot.sessions ?? []).filter { $0.mode == .exam }
        snapshotBytes = data.count
        lastSequence = snapshot.lastSequence
        journalOffset = snapshot.journalOffset
        journalLines = snapshot.journalLines
    }

    /// An unreadable snapshot holds nothing the journal does not (the journal is append-only and
    /// complete): it is renamed, kept for inspection, and everything is read from the journal.
    private func rebuildFromJournal(setting url: URL, aside reason: String) throws(ProgressError) {
        let fm = FileManager.default
        var n = 1
        var keep = directory.appendingPathComponent("snapshot.json.unreadable")
        while fm.fileExists(atPath: keep.path) {
            n += 1
            keep = directory.appendingPathComponent("snapshot.json.unreadable-\(n)")
        }
        if rename(url.path, keep.path) != 0 {
            throw .io(file: url.path, operation: "move aside the unreadable snapshot", errno: errno)
        }
        notices.append(
            "\(url.path) could not be read (\(reason)); it was kept as \(keep.lastPathComponent) and "
                + "your progress was rebuilt from the journal.")
        let header = readLine(at: 0)
        journalOffset = UInt64((header?.count ?? 0) + 1)
        journalLines = 1
        rebuilt = true
    }

    /// Applies journal lines written after `journalOffset` (by this process before a crash, or by
    /// another process). A torn final line — a write cut short — is moved aside and cut off.
    private func catchUp(repairTornTail: Bool) throws(ProgressError) {
        let firstLine = journalLines
        let read = try forEachJournalLine(from: journalOffset) { (line, lineNumber, next) throws(ProgressError) in
            apply(try decodeEntry(line, lineNumber: firstLine + lineNumber))
            // Kept up to date line by line: a later bad line leaves what was applied applied, once.
            journalOffset = next
            journalLines = firstLine + lineNumber
            sinceSnapshot += 1
            bytesSinceSnapshot += line.count + 1
        }
        journalLines = firstLine + read.lines
        journalOffset = read.complete
        if read.size > read.complete && repairTornTail {
            if let torn = readBytes(from: read.complete, count: Int(read.size - read.complete)) {
                try? torn.write(to: directory.appendingPathComponent("journal.torn-\(read.complete)"))
            }
            _ = ftruncate(journalFD, off_t(read.complete))
            fsync(journalFD)
        }
    }

    /// `count` bytes of the journal from `offset`.
    private func readBytes(from offset: UInt64, count: Int) -> Data? {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = bytes.withUnsafeMutableBytes {
                pread(journalFD, $0.baseAddress! + done, count - done, off_t(offset) + off_t(done))
            }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return nil }
            done += n
        }
        return Data(bytes)
    }

    /// The one way a journal line becomes a `JournalEntry`: its `Codable` definition.
    private func decodeEntry(_ line: UnsafeBufferPointer<UInt8>, lineNumber: Int) throws(ProgressError) -> JournalEntry<State> {
        do {
            return try Self.decoder.decode(JournalEntry<State>.self, from: Data(line))
        } catch {
            throw .corrupt(file: journalURL.path, line: lineNumber, reason: "not a journal entry")
        }
    }

    private func apply(_ entry: JournalEntry<State>) {
        lastSequence = max(lastSequence, entry.seq)
        switch entry.type {
        case .review:
            guard var review = entry.review else { return }
            review.previous = cards[review.card]
            if let next = review.next { cards[review.card] = next }
            aggregates.apply(review, sign: 1)
            var remembered = entry
            remembered.review = review
            undoable.append(remembered)
            if undoable.count > Self.undoDepth { undoable.removeFirst(undoable.count - Self.undoDepth) }
        case .undo:
            guard let review = entry.review else { return }
            // The state before the undone review comes from the undo history, which recorded it.
            let original = undoable.first { $0.seq == entry.target }?.review
            if review.changesSchedule, let original {
                cards[review.card] = original.previous
            }
            aggregates.apply(review, sign: -1)
            undoable.removeAll { $0.seq == entry.target }
        case .session:
            guard let session = entry.session, session.mode == .exam else { return }
            if let i = sessions.lastIndex(where: { $0.id == session.id }) {
                sessions[i] = session
            } else {
                sessions.append(session)
            }
        }
    }

    /// Every journal entry, oldest first (for exports; reads the whole log, states included).
    public func allEntries() throws(ProgressError) -> [JournalEntry<State>] {
        var entries: [JournalEntry<State>] = []
        try forEachJournalLine(from: 0) { (line, lineNumber, _) throws(ProgressError) in
            if lineNumber > 1 { entries.append(try decodeEntry(line, lineNumber: lineNumber)) }
        }
        try checkJournal()
        return entries
    }

    /// The reviews that still count (undone ones removed), oldest first, with their states.
    public func reviews() throws(ProgressError) -> [ReviewRecord<State>] {
        var undone: Set<Int> = []
        let entries = try allEntries()
        for entry in entries where entry.type == .undo { if let t = entry.target { undone.insert(t) } }
        return entries.compactMap { $0.type == .review && !undone.contains($0.seq) ? $0.review : nil }
    }

    /// The reviews that still count, oldest first, without their scheduling states (`previous`
    /// and `next` are `nil`): what CSV reports and exports read. Equals `reviews()` with the
    /// states removed (tested), about twenty times faster on a long history.
    public func reviewLog() throws(ProgressError) -> [ReviewRecord<State>] {
        try compactReviewLog(details: true).records()
    }

    /// Journal lines the last `compactReviewLog` had to leave to `JSONDecoder` because the fast
    /// reader could not read them. Zero for every journal the app writes (tested): a line read
    /// the slow way is the sign that the reader and the `Codable` definition have drifted.
    public private(set) var decoderFallbacks = 0

    /// The reviews that still count, oldest first, in the compact form reports read. Lines are
    /// read by `JournalScanner`; a line it cannot read goes to the decoder (and is counted in
    /// `decoderFallbacks`), so the result always equals decoding every line.
    public func compactReviewLog(details: Bool = false) throws(ProgressError) -> ReviewLog {
        var log = ReviewLog(details: details)
        var seqs: [Int] = []
        var undone: Set<Int> = []
        var fallbacks = 0
        let size = max(Int(lseek(journalFD, 0, SEEK_END)), 0)
        log.rows.reserveCapacity(size / 250)
        seqs.reserveCapacity(size / 250)
        try forEachJournalLine(from: 0) { (line, lineNumber, _) throws(ProgressError) in
            if lineNumber == 1 { return }
            if JournalScanner.scan(line, into: &log, seqs: &seqs, undone: &undone) { return }
            fallbacks += 1
            try decode(line, lineNumber: lineNumber, into: &log, seqs: &seqs, undone: &undone)
        }
        decoderFallbacks = fallbacks
        // Every line read is valid; the checksums say whether the covered ones are as written.
        try checkJournal()
        if !undone.isEmpty { log.filterRows { !undone.contains(seqs[$0]) } }
        return log
    }

    /// `compactReviewLog`'s way for lines the scanner leaves to the decoder. Kept out of the
    /// per-line closure, whose generic locals would otherwise cost a metadata lookup every line.
    @inline(never)
    private func decode(
        _ line: UnsafeBufferPointer<UInt8>, lineNumber: Int, into log: inout ReviewLog,
        seqs: inout [Int], undone: inout Set<Int>
    ) throws(ProgressError) {
        let entry = try decodeEntry(line, lineNumber: lineNumber)
        switch entry.type {
        case .review:
            if let review = entry.review {
                log.append(review)
                seqs.append(entry.seq)
            }
        case .undo: if let target = entry.target { undone.insert(target) }
        case .session: break
        }
    }

    /// Calls `visit` with each complete, non-empty journal line from byte `start`, its line
    /// number counted from there (from 1) and the offset just after it. The file is read in chunks, so it is never in memory at
    /// once; a line cut by a chunk's end is carried over to the next read. An unterminated last
    /// line (an append in progress or a crash) is not visited: `complete` is where it starts,
    /// `size` where the file ends, and `lines` the number of complete lines.
    @discardableResult
    private func forEachJournalLine(
        from start: UInt64,
        _ visit: (UnsafeBufferPointer<UInt8>, Int, UInt64) throws(ProgressError) -> Void
    ) throws(ProgressError) -> (complete: UInt64, size: UInt64, lines: Int) {
        let fd = journalFD
        let size = UInt64(max(lseek(fd, 0, SEEK_END), 0))
        guard size > start else { return (start, size, 0) }
        var lineNumber = 0
        var buffer = [UInt8](repeating: 0, count: Int(min(size - start, 1 << 22)))
        var carried = 0
        var offset = start
        var complete = start
        while offset < size {
            if carried == buffer.count { buffer += [UInt8](repeating: 0, count: buffer.count) }  // a very long line
            let want = min(buffer.count - carried, Int(size - offset))
            let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + carried, want, off_t(offset)) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw .io(file: journalURL.path, operation: "read", errno: errno) }
            if n == 0 { break }
            offset += UInt64(n)
            let filled = carried + n
            var lineStart = 0
            try buffer.withUnsafeBufferPointer { (all) throws(ProgressError) in
                let base = all.baseAddress!
                while lineStart < filled, let found = memchr(base + lineStart, 0x0A, filled - lineStart) {
                    let end = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                    lineNumber += 1
                    let line = lineStart..<end
                    complete += UInt64(end + 1 - lineStart)
                    lineStart = end + 1
                    if line.isEmpty { continue }
                    try visit(UnsafeBufferPointer(rebasing: all[line]), lineNumber, complete)
                }
            }
            carried = filled - lineStart
            if carried > 0 && lineStart > 0 {
                buffer.withUnsafeMutableBytes { raw in _ = memmove(raw.baseAddress!, raw.baseAddress! + lineStart, carried) }
            }
        }
        return (complete, size, lineNumber)
    }

    /// Writes a final snapshot.
    public func close() throws(ProgressError) {
        if sinceSnapshot > 0 { try compact() }
    }
}

/// Reads only a file's `schemaVersion`, to decide how to read the rest.
struct SchemaVersionProbe: Decodable {
    var schemaVersion: Int
}

/// A state that can be written as a few space-free text fields, which read back far faster than
/// nested JSON (start-up decodes every card).
public protocol LineCodable {
    /// The fields, none holding a space or a `|`.
    var lineFields: [String] { get }
    /// Reads the fields back; `nil` when they do not describe a state.
    init?(lineFields: LineFields)
}

/// The fields of one record, read in place from bytes: numbers are parsed without making a
/// string per field (start-up reads thousands of records).
public struct LineFields {
    /// A NUL follows the last field, so `strtod` always stops inside the buffer.
    private let base: UnsafePointer<UInt8>
    private let ranges: UnsafeBufferPointer<Range<Int>>

    init(base: UnsafePointer<UInt8>, ranges: UnsafeBufferPointer<Range<Int>>) {
        self.base = base
        self.ranges = ranges
    }

    /// Calls `body` with the fields of `texts` (for tests).
    static func with<T>(_ texts: [String], _ body: (LineFields) -> T) -> T {
        var bytes: [UInt8] = []
        var ranges: [Range<Int>] = []
        for text in texts {
            ranges.append(bytes.count..<(bytes.count + text.utf8.count))
            bytes += Array(text.utf8) + [UInt8(ascii: " ")]
        }
        bytes.append(0)
        return bytes.withUnsafeBufferPointer { b in
            ranges.withUnsafeBufferPointer { body(LineFields(base: b.baseAddress!, ranges: $0)) }
        }
    }

    /// How many fields there are.
    public var count: Int { ranges.count }

    private func bytes(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: base + ranges[index].lowerBound, count: ranges[index].count)
    }

    /// True when field `index` is empty (an absent value).
    public func isEmpty(_ index: Int) -> Bool { ranges[index].isEmpty }

    /// Field `index` as text.
    public func text(_ index: Int) -> String { String(decoding: bytes(index), as: UTF8.self) }

    /// True when field `index` is exactly `text`.
    public func equals(_ index: Int, _ text: StaticString) -> Bool {
        let field = bytes(index)
        return field.count == text.utf8CodeUnitCount
            && (field.isEmpty || memcmp(field.baseAddress!, text.utf8Start, field.count) == 0)
    }

    /// Field `index` as a whole decimal number (optional sign), or nil, as `Int(String)` reads it.
    public func int(_ index: Int) -> Int? {
        let field = bytes(index)
        guard let first = field.first else { return nil }
        let negative = first == UInt8(ascii: "-")
        let digits = first == UInt8(ascii: "-") || first == UInt8(ascii: "+") ? field.dropFirst() : field[...]
        guard !digits.isEmpty else { return nil }
        // Accumulated on the negative side, which reaches Int.min.
        var value = 0
        for byte in digits {
            guard byte &- UInt8(ascii: "0") < 10 else { return nil }
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times.subtractingReportingOverflow(Int(byte &- UInt8(ascii: "0")))
            guard !o1 && !o2 else { return nil }
            value = sum
        }
        if negative { return value }
        return value == .min ? nil : -value
    }

    // strtod follows the C locale's decimal point. sapro never changes LC_NUMERIC; if something
    // had, fields are read as Swift reads them.
    private static let decimalPointIsDot = localeconv().pointee.decimal_point.pointee == CChar(UInt8(ascii: "."))

    /// Field `index` as a double, read as `Double(String)` reads it (C locale `strtod`), or nil.
    public func double(_ index: Int) -> Double? {
        let range = ranges[index]
        guard !range.isEmpty, base[range.lowerBound] > 0x20 else { return nil }
        var end: UnsafeMutablePointer<CChar>?
        guard Self.decimalPointIsDot else { return Double(text(index)) }
        let value = (base + range.lowerBound).withMemoryRebound(to: CChar.self, capacity: range.count) { strtod($0, &end) }
        let stop = UnsafeRawPointer(base + range.upperBound)
        guard let end, UnsafeRawPointer(end) == stop else { return nil }
        return value
    }
}

/// The snapshot's card states: when the state type is `LineCodable`, one JSON string of
/// `id field field…` records separated by `|` (no JSON escapes to undo); an object of states otherwise.
struct SnapshotCards<State: Codable & Sendable & Equatable>: Codable {
    var cards: [String: State]

    init(_ cards: [String: State]) { self.cards = cards }

    static var marker: String { "sapro-cards-v1" }

    static func plain(_ text: String) -> Bool {
        !text.utf8.contains {
            $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "|") || $0 < 0x20 || $0 == UInt8(ascii: "\"")
                || $0 == UInt8(ascii: "\\")
        }
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        if State.self is LineCodable.Type, cards.keys.allSatisfy(Self.plain) {
            var text = Self.marker
            for id in cards.keys.sorted() {
                guard let fields = (cards[id] as? LineCodable)?.lineFields, fields.allSatisfy(Self.plain) else {
                    try container.encode(cards)
                    return
                }
                text += "|" + id + " " + fields.joined(separator: " ")
            }
            try container.encode(text)
        } else {
            try container.encode(cards)
        }
    }

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        guard let text = try? container.decode(String.self) else {
            cards = try container.decode([String: State].self)
            return
        }
        guard let type = State.self as? LineCodable.Type else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "card records for a state that has none")
        }
        // Split on bytes: both separators are ASCII, and this is start-up's hot loop.
        var bytes = Array(text.utf8)
        bytes.append(0)
        let markerLength = Self.marker.utf8.count
        guard bytes.count > markerLength, bytes.starts(with: Self.marker.utf8),
            bytes[markerLength] == UInt8(ascii: "|") || bytes[markerLength] == 0
        else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "unknown card table format")
        }
        var result: [String: State] = [:]
        result.reserveCapacity(bytes.count / 100)
        var ranges: [Range<Int>] = []
        var failure: String?
        bytes.withUnsafeBufferPointer { buffer in
            let base = buffer.baseAddress!
            let end = buffer.count - 1
            var position = markerLength
            while position < end && failure == nil {
                position += 1  // the `|`
                let recordStart = position
                ranges.removeAll(keepingCapacity: true)
                var fieldStart = position
                while position < end && base[position] != UInt8(ascii: "|") {
                    if base[position] == UInt8(ascii: " ") {
                        ranges.append(fieldStart..<position)
                        fieldStart = position + 1
                    }
                    position += 1
                }
                ranges.append(fieldStart..<position)
                if position == recordStart { continue }
                let state =
                    ranges.count >= 2
                    ? ranges.withUnsafeBufferPointer { all in
                        type.init(lineFields: LineFields(base: base, ranges: UnsafeBufferPointer(rebasing: all[1...])))
                    } : nil
                guard let state = state as? State else {
                    failure = String(decoding: buffer[recordStart..<min(position, recordStart + 80)], as: UTF8.self)
                    break
                }
                result[String(decoding: buffer[ranges[0]], as: UTF8.self)] = state
            }
        }
        if let failure {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "bad card record '\(failure)'")
        }
        cards = result
    }
}
