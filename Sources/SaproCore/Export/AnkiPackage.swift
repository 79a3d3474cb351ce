import CSQLite
import Foundation
import ZIPFoundation

/// sapro's three note types in Anki, with ids that never change (so a second export updates
/// the first instead of adding note types).
public enum AnkiNoteType: String, Sendable, CaseIterable {
    case recall, choice, ordering

    public var id: Int64 {
        switch self {
        case .recall: 1_700_000_000_101
        case .choice: 1_700_000_000_102
        case .ordering: 1_700_000_000_103
        }
    }

    public var name: String { "sapro \(rawValue)" }

    public var fields: [String] {
        switch self {
        case .recall: ["Front", "Back", "Explanation", "Source", "Erratum"]
        case .choice: ["Question", "Options", "Answer", "Explanation", "Source", "Erratum"]
        case .ordering: ["Task", "Steps", "Order", "Explanation", "Source", "Erratum"]
        }
    }

    var front: String {
        switch self {
        case .recall: "{{Front}}"
        case .choice: "{{Question}}<br><br>{{Options}}"
        case .ordering: "{{Task}}<br><br>{{Steps}}"
        }
    }

    var back: String {
        let answer =
            switch self {
            case .recall: "{{Back}}"
            case .choice: "<b>{{Answer}}</b>"
            case .ordering: "<b>{{Order}}</b>"
            }
        return "{{FrontSide}}<hr id=answer>\(answer)<br><br>{{Explanation}}"
            + "{{#Erratum}}<br><br><i>Correction: {{Erratum}}</i>{{/Erratum}}<br><br><small>{{Source}}</small>"
    }
}

/// One note (and its one card) of an export.
public struct AnkiNote: Sendable, Equatable {
    /// Stable across exports: derived from sapro's card id.
    public var guid: String
    public var type: AnkiNoteType
    /// In the order of `type.fields`; HTML.
    public var fields: [String]
    public var tags: [String]
    /// The full deck name, parts joined by `::`.
    public var deck: String
    /// The card's progress, when exported with it; `nil`: a new card.
    public var schedule: AnkiSchedule?
    /// One row per review, oldest first.
    public var revlog: [AnkiReview] = []

    public init(guid: String, type: AnkiNoteType, fields: [String], tags: [String], deck: String) {
        self.guid = guid
        self.type = type
        self.fields = fields
        self.tags = tags
        self.deck = deck
    }
}

/// A card's scheduling as Anki stores it (`cards` columns and the FSRS memory in `data`).
public struct AnkiSchedule: Sendable, Equatable {
    /// 0 new, 1 learning, 2 review, 3 relearning.
    public var type: Int
    public var queue: Int
    /// Review cards: days since the collection's creation day; (re)learning: unix seconds.
    public var due: Int64
    public var interval: Int
    public var factor: Int
    public var reps: Int
    public var lapses: Int
    public var left: Int
    /// `{"s","d","dr","decay","lrt"}` as Anki's card data.
    public var data: String
}

/// One revlog row.
public struct AnkiReview: Sendable, Equatable {
    /// The review time in milliseconds (made unique by the writer).
    public var milliseconds: Int64
    public var ease: Int
    /// Days when the card went to review, minus seconds while (re)learning.
    public var interval: Int
    public var lastInterval: Int
    public var factor: Int
    /// Answer time in milliseconds.
    public var time: Int
    /// 0 learning, 1 review, 2 relearning: the state before the review.
    public var type: Int
}

/// Why an export could not be written.
public enum AnkiExportError: Error, Equatable, LocalizedError {
    case database(String)
    case archive(file: String, reason: String)
    case exists(file: String)
    case io(file: String, reason: String)

    public var errorDescription: String? {
        switch self {
        case .database(let reason): "cannot write the package's database: \(reason)"
        case .archive(let file, let reason): "cannot write \(file): \(reason)"
        case .exists(let file): "\(file) already exists; give another --out or add --force to replace it"
        case .io(let file, let reason): "cannot write \(file): \(reason)"
        }
    }
}

/// Writes `.apkg` packages in the schema Anki reads without zstd: a ZIP holding one SQLite file
/// `collection.anki21` (schema 11: note types, decks and options as JSON in the `col` row).
public enum AnkiPackage {
    /// Ids Anki gets from sapro are below this (2020-09-13), so none lies in the future.
    static let idBase: Int64 = 1_600_000_000_000

    /// A stable id in [idBase, idBase + 10¹¹) from `text` (FNV-1a).
    static func stableID(_ text: String, salt: String) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in (salt + "\u{1}" + text).utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return idBase + Int64(hash % 100_000_000_000)
    }

    /// The deck id of a deck name (fixed for a name; "Default" is 1).
    public static func deckID(_ name: String) -> Int64 { stableID(name, salt: "deck") }

    /// Writes `notes` to `url` (through a temporary file beside it, renamed at the end, so a
    /// failure leaves nothing behind). `now` is the export time; `dayStart` a past day boundary.
    public static func write(_ notes: [AnkiNote], to url: URL, now: Date, dayStart: Date) throws(AnkiExportError) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sapro-anki-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        } catch {
            throw .io(file: dir.path, reason: error.localizedDescription)
        }
        defer { try? FileManager.default.removeItem(at: dir) }
        let database = dir.appendingPathComponent("collection.anki21")
        OutputFile.track(database.path)
        defer { OutputFile.untrack(database.path) }
        try writeDatabase(notes, to: database, now: now, dayStart: dayStart)
        let partial = url.deletingLastPathComponent().appendingPathComponent(
            ".\(url.lastPathComponent).partial-\(UUID().uuidString)")
        OutputFile.track(partial.path)
        defer { OutputFile.untrack(partial.path) }
        do {
            let archive = try Archive(url: partial, accessMode: .create)
            try archive.addEntry(with: "collection.anki21", relativeTo: dir, compressionMethod: .deflate)
        } catch {
            try? FileManager.default.removeItem(at: partial)
            throw .archive(file: url.path, reason: "\(error)")
        }
        if rename(partial.path, url.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: partial)
            throw .io(file: url.path, reason: reason)
        }
    }

    static func writeDatabase(_ notes: [AnkiNote], to url: URL, now: Date, dayStart: Date) throws(AnkiExportError) {
        let db = try SQLite(path: url.path)
        try db.exec(schema)
        let nowMs = Int64(now.timeIntervalSince1970 * 1000)
        let nowS = Int64(now.timeIntervalSince1970)
        let decks = Array(Set(notes.map(\.deck))).sorted()
        try db.exec("BEGIN")
        try db.run(
            "INSERT INTO col VALUES(1, ?, ?, ?, 11, 0, 0, 0, ?, ?, ?, ?, '{}')",
            [
                .int(Int64(dayStart.timeIntervalSince1970)), .int(nowMs), .int(nowMs), .text(json(config())),
                .text(json(models(nowS))), .text(json(deckTable(decks, nowS))), .text(json(deckOptions())),
            ])
        var used = Set<Int64>()
        func unique(_ id: Int64) -> Int64 {
            var id = id
            while used.contains(id) { id += 1 }
            used.insert(id)
            return id
        }
        let insertNote = try db.prepare("INSERT INTO notes VALUES(?, ?, ?, ?, -1, ?, ?, ?, 0, 0, '')")
        let insertCard = try db.prepare("INSERT INTO cards VALUES(?, ?, ?, 0, ?, -1, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, ?)")
        let insertReview = try db.prepare("INSERT INTO revlog VALUES(?, ?, -1, ?, ?, ?, ?, ?, ?)")
        var revlogIDs = Set<Int64>()
        for (position, note) in notes.enumerated() {
            let noteID = unique(stableID(note.guid, salt: "note"))
            let cardID = unique(stableID(note.guid, salt: "card"))
            let tags = note.tags.isEmpty ? "" : " " + note.tags.joined(separator: " ") + " "
            try insertNote.run([
                .int(noteID), .text(note.guid), .int(note.type.id), .int(nowS), .text(tags),
                .text(note.fields.joined(separator: "\u{1f}")), .text(note.fields.first ?? ""),
            ])
            let s = note.schedule
            try insertCard.run([
                .int(cardID), .int(noteID), .int(deckID(note.deck)), .int(nowS), .int(Int64(s?.type ?? 0)),
                .int(Int64(s?.queue ?? 0)), .int(s?.due ?? Int64(position + 1)), .int(Int64(s?.interval ?? 0)),
                .int(Int64(s?.factor ?? 0)), .int(Int64(s?.reps ?? 0)), .int(Int64(s?.lapses ?? 0)), .int(Int64(s?.left ?? 0)),
                .text(s?.data ?? ""),
            ])
            for review in note.revlog {
                // The revlog id is the review time; two reviews in one millisecond (or a clash with
                // another card's) move to the next free one, never past the export time.
                var id = min(review.milliseconds, nowMs)
                while revlogIDs.contains(id) { id += 1 }
                revlogIDs.insert(id)
                try insertReview.run([
                    .int(id), .int(cardID), .int(Int64(review.ease)), .int(Int64(review.interval)),
                    .int(Int64(review.lastInterval)), .int(Int64(review.factor)), .int(Int64(review.time)),
                    .int(Int64(review.type)),
                ])
            }
        }
        try db.exec("COMMIT")
    }

    static let schema = """
        CREATE TABLE col (id integer PRIMARY KEY, crt integer NOT NULL, mod integer NOT NULL, scm integer NOT NULL,
          ver integer NOT NULL, dty integer NOT NULL, usn integer NOT NULL, ls integer NOT NULL, conf text NOT NULL,
          models text NOT NULL, decks text NOT NULL, dconf text NOT NULL, tags text NOT NULL);
        CREATE TABLE notes (id integer PRIMARY KEY, guid text NOT NULL, mid integer NOT NULL, mod integer NOT NULL,
          usn integer NOT NULL, tags text NOT NULL, flds text NOT NULL, sfld integer NOT NULL, csum integer NOT NULL,
          flags integer NOT NULL, data text NOT NULL);
        CREATE TABLE cards (id integer PRIMARY KEY, nid integer NOT NULL, did integer NOT NULL, ord integer NOT NULL,
          mod integer NOT NULL, usn integer NOT NULL, type integer NOT NULL, queue integer NOT NULL, due integer NOT NULL,
          ivl integer NOT NULL, factor integer NOT NULL, reps integer NOT NULL, lapses integer NOT NULL,
          left integer NOT NULL, odue integer NOT NULL, odid integer NOT NULL, flags integer NOT NULL, data text NOT NULL);
        CREATE TABLE revlog (id integer PRIMARY KEY, cid integer NOT NULL, usn integer NOT NULL, ease integer NOT NULL,
          ivl integer NOT NULL, lastIvl integer NOT NULL, factor integer NOT NULL, time integer NOT NULL,
          type integer NOT NULL);
        CREATE TABLE graves (usn integer NOT NULL, oid integer NOT NULL, type integer NOT NULL);
        """

    static func json(_ object: Any) -> String {
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    static func config() -> [String: Any] {
        [
            "schedVer": 2, "rollover": 4, "creationOffset": 0, "activeDecks": [1], "curDeck": 1, "nextPos": 1,
            "sortType": "noteFld", "sortBackwards": false, "addToCur": true, "collapseTime": 1200,
            "dueCounts": true, "estTimes": true, "newSpread": 0, "timeLim": 0,
        ]
    }

    static func models(_ now: Int64) -> [String: Any] {
        var out: [String: Any] = [:]
        for type in AnkiNoteType.allCases {
            out[String(type.id)] =
                [
                    "id": type.id, "name": type.name, "type": 0, "mod": now, "usn": -1, "sortf": 0, "did": 1, "tags": [],
                    "vers": [], "css": ".card { font-family: sans-serif; font-size: 18px; text-align: left; }",
                    "latexPre": "\\documentclass[12pt]{article}\n\\begin{document}\n", "latexPost": "\\end{document}",
                    "req": [[0, "any", [0]]],
                    "flds": type.fields.enumerated().map { i, name in
                        [
                            "name": name, "ord": i, "sticky": false, "rtl": false, "font": "Arial", "size": 20,
                            "media": [],
                        ] as [String: Any]
                    },
                    "tmpls": [
                        [
                            "name": "Card 1", "ord": 0, "qfmt": type.front, "afmt": type.back, "bqfmt": "", "bafmt": "",
                            "did": NSNull(),
                        ] as [String: Any]
                    ],
                ] as [String: Any]
        }
        return out
    }

    static func deck(_ id: Int64, _ name: String, _ now: Int64) -> [String: Any] {
        [
            "id": id, "name": name, "conf": 1, "desc": "", "dyn": 0, "collapsed": false, "extendNew": 10,
            "extendRev": 50, "mod": now, "usn": -1, "newToday": [0, 0], "revToday": [0, 0], "lrnToday": [0, 0],
            "timeToday": [0, 0],
        ]
    }

    static func deckTable(_ names: [String], _ now: Int64) -> [String: Any] {
        // Every parent of a subdeck is a deck too.
        var all = Set<String>()
        for name in names {
            let parts = name.components(separatedBy: "::")
            for k in 1...parts.count { all.insert(parts[0..<k].joined(separator: "::")) }
        }
        var out: [String: Any] = ["1": deck(1, "Default", now)]
        for name in all.sorted() { out[String(deckID(name))] = deck(deckID(name), name, now) }
        return out
    }

    static func deckOptions() -> [String: Any] {
        [
            "1": [
                "id": 1, "name": "Default", "mod": 0, "usn": 0, "maxTaken": 60, "autoplay": true, "timer": 0,
                "replayq": true, "dyn": false,
                "new": [
                    "bury": false, "delays": [1, 10], "initialFactor": 2500, "ints": [1, 4, 0], "order": 1,
                    "perDay": 20,
                ] as [String: Any],
                "lapse": ["delays": [10], "leechAction": 1, "leechFails": 8, "minInt": 1, "mult": 0] as [String: Any],
                "rev": [
                    "bury": false, "ease4": 1.3, "ivlFct": 1, "maxIvl": 36500, "perDay": 200, "hardFactor": 1.2,
                ] as [String: Any],
            ] as [String: Any]
        ]
    }
}

/// The little of SQLite the exporter needs.
final class SQLite {
    enum Value { case int(Int64), text(String), double(Double) }

    private var handle: OpaquePointer?

    init(path: String) throws(AnkiExportError) {
        guard sqlite3_open(path, &handle) == SQLITE_OK else {
            throw .database("cannot open \(path): \(String(cString: sqlite3_errmsg(handle)))")
        }
    }

    deinit { sqlite3_close(handle) }

    func exec(_ sql: String) throws(AnkiExportError) {
        guard sqlite3_exec(handle, sql, nil, nil, nil) == SQLITE_OK else {
            throw .database(String(cString: sqlite3_errmsg(handle)))
        }
    }

    func run(_ sql: String, _ values: [Value]) throws(AnkiExportError) {
        try prepare(sql).run(values)
    }

    func prepare(_ sql: String) throws(AnkiExportError) -> Statement {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw .database(String(cString: sqlite3_errmsg(handle)))
        }
        return Statement(statement, db: self)
    }

    var lastError: String { String(cString: sqlite3_errmsg(handle)) }

    final class Statement {
        private let statement: OpaquePointer
        private let db: SQLite
        init(_ statement: OpaquePointer, db: SQLite) {
            self.statement = statement
            self.db = db
        }
        deinit { sqlite3_finalize(statement) }

        func run(_ values: [Value]) throws(AnkiExportError) {
            sqlite3_reset(statement)
            // SQLITE_TRANSIENT: SQLite copies the text before bind returns.
            let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
            for (i, value) in values.enumerated() {
                let index = Int32(i + 1)
                switch value {
                case .int(let v): sqlite3_bind_int64(statement, index, v)
                case .double(let v): sqlite3_bind_double(statement, index, v)
                case .text(let v): sqlite3_bind_text(statement, index, v, -1, transient)
                }
            }
            guard sqlite3_step(statement) == SQLITE_DONE else { throw .database(db.lastError) }
        }
    }
}
