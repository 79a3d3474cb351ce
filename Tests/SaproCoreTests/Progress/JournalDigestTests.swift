import Foundation
import Testing
@testable import SaproCore

/// The snapshot keeps checksums of the journal it covers; a journal changed under it is refused
/// for writing and for full reads alike, naming the line.
@Suite struct AJournalChangedUnderItsSnapshot {
    static func review(_ i: Int) -> ReviewRecord<StudyCard> {
        ReviewRecord(
            card: "card-\(i % 97)", time: Date(timeIntervalSince1970: 1_800_000_000 + Double(i)), day: "2027-01-15",
            rating: 3, answer: "answer \(i) " + String(repeating: "x", count: 150), correct: true,
            responseMilliseconds: 1000, session: "s", mode: .quiz, topics: ["t"])
    }

    /// A directory whose journal holds `count` reviews and whose snapshot covers all of them.
    static func history(_ count: Int) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sapro-digest-\(UUID().uuidString)")
        let store = try ProgressStore<StudyCard>(directory: dir)
        store.snapshotInterval = 1_000_000
        for i in 0..<count { try store.record(review(i)) }
        try store.compact()
        return dir
    }

    /// Replaces the first occurrence of `old` on line `line` (1-based) of the journal.
    static func edit(_ dir: URL, line: Int, _ old: String, _ new: String) throws {
        let url = dir.appendingPathComponent("journal.jsonl")
        var lines = try String(contentsOf: url, encoding: .utf8).components(separatedBy: "\n")
        let range = try #require(lines[line - 1].range(of: old))
        lines[line - 1].replaceSubrange(range, with: new)
        try lines.joined(separator: "\n").write(to: url, atomically: false, encoding: .utf8)
    }

    @Test func aChangeInAnEarlyBlockIsFoundBeforeTheFirstWriteAndByReports() throws {
        // About 1.6 MiB of journal: line 10 is in the first block, checked on another thread.
        let dir = try Self.history(7_000)
        try Self.edit(dir, line: 10, "answer 8 ", "answer 9 ")  // still valid JSON, a different answer
        let store = try ProgressStore<StudyCard>(directory: dir)
        // The changed line is still valid JSON: the message names the changed block's lines.
        var thrown: ProgressError?
        do { try store.record(Self.review(1)) } catch { thrown = error }
        guard case let .journalChanged(_, lines, invalid)? = thrown else {
            Issue.record("not refused: \(String(describing: thrown))"); return
        }
        #expect(lines.contains(10) && lines.lowerBound == 2 && invalid == nil)
        #expect(throws: thrown!) { try store.compactReviewLog() }
        // Nothing was added.
        #expect(
            try String(contentsOf: dir.appendingPathComponent("journal.jsonl"), encoding: .utf8).split(separator: "\n").count
                == 7_001)
    }

    @Test func anInvalidLineInTheNewestBlockIsNamedAtOnce() throws {
        let dir = try Self.history(50)
        try Self.edit(dir, line: 31, "\"rating\":3", "\"rating\":3x")
        let store = try ProgressStore<StudyCard>(directory: dir)
        let file = dir.appendingPathComponent("journal.jsonl").path
        #expect(throws: ProgressError.journalChanged(file: file, lines: 2...51, invalidLine: 31)) {
            try store.record(Self.review(1))
        }
        #expect(throws: ProgressError.self) { try store.compactReviewLog() }
    }

    @Test func anUnchangedJournalPassesAndNewSnapshotsExtendTheChecksums() throws {
        let dir = try Self.history(7_000)
        let store = try ProgressStore<StudyCard>(directory: dir)
        try store.checkJournal()
        for i in 0..<3_000 { try store.record(Self.review(i)) }
        try store.compact()
        let reopened = try ProgressStore<StudyCard>(directory: dir)
        try reopened.checkJournal()
        #expect(try reopened.compactReviewLog().count == 10_000)
    }

    @Test func aTruncatedJournalIsBlamedOnTheJournal() throws {
        let dir = try Self.history(20)
        let url = dir.appendingPathComponent("journal.jsonl")
        let data = try Data(contentsOf: url)
        try data.prefix(data.count / 2).write(to: url)
        #expect(throws: ProgressError.journalShorter(file: url.path, size: UInt64(data.count / 2), covered: UInt64(data.count))) {
            _ = try ProgressStore<StudyCard>(directory: dir)
        }
        let message = ProgressError.journalShorter(file: url.path, size: 10, covered: 20).errorDescription ?? ""
        #expect(message.contains("journal.jsonl has 10 bytes") && !message.contains("backups"))
    }
}
