import Foundation
import Testing

/// A data directory written by the version of 2026-12-01 (a simulated history, a drill, a quiz,
/// an undo, a changed setting, one finished and one unfinished mock exam), committed as it was
/// written, with what that version printed for it. Today's version must read it unchanged.
@Suite struct AnOldDataDirectory {
    static let fixtures = Sapro.repoRoot.appendingPathComponent("Tests/EndToEndTests/Fixtures")

    /// A copy of the fixture, so the test never changes the committed files.
    func copy() throws -> URL {
        let dir = Sapro.temporaryDirectory().appendingPathComponent("data")
        try FileManager.default.copyItem(at: Self.fixtures.appendingPathComponent("datadir-2026-12-01"), to: dir)
        return dir
    }

    func expected(_ name: String) throws -> String {
        try String(contentsOf: Self.fixtures.appendingPathComponent("expected-2026-12-01/\(name)"), encoding: .utf8)
    }

    @Test func itsReviewsExamsAndSettingsReadAsTheOldVersionPrintedThem() throws {
        let dir = try copy()
        let csv = try Sapro.run(["report", "--format", "csv"], dataDir: dir)
        #expect(csv.status == 0, "\(csv.stderr)")
        #expect(csv.stdout == (try expected("report.csv")))
        // `exam history` now numbers its rows for `exam review N`; the rest is as the old version printed it.
        let history = try Sapro.run(["exam", "history"], dataDir: dir).stdout
        let unnumbered = history.split(separator: "\n", omittingEmptySubsequences: false).map { $0.dropFirst(4) }
            .joined(separator: "\n")
        #expect(unnumbered == (try expected("exam-history.txt")))
        #expect(history.hasPrefix("#   date"))
        // `settings` has lines more now: the FSRS parameters and the exam plan (defaults for an old directory).
        let settings = try Sapro.run(["settings"], dataDir: dir).stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(settings.contains { $0.hasPrefix("parameters") && $0.hasSuffix("default (FSRS-6)") })
        let added = ["parameters", "exam-date", "exam-buffer-days", "daily-minutes"]
        #expect(
            settings.filter { line in !added.contains { line.hasPrefix($0 + " ") } }.joined(separator: "\n")
                == (try expected("settings.txt")))
    }

    @Test func studyGoesOnWhereItStopped() throws {
        let dir = try copy()
        let before = try String(contentsOf: dir.appendingPathComponent("journal.jsonl"), encoding: .utf8)
        // The unfinished exam resumes (4 questions, 1 answered).
        let exam = try Sapro.run(["exam"], input: "quit\n", dataDir: dir)
        #expect(exam.stdout.contains("Resuming"), "\(exam.stdout.prefix(400))")
        #expect(exam.stdout.contains("Exam saved with"))
        // A new answer is appended after the old journal, which is left as it was.
        let quiz = try Sapro.run(["quiz", "1", "--seed", "\(UndoAcrossProcesses.seed)"], input: "a\n", dataDir: dir)
        #expect(quiz.status == 0, "\(quiz.stderr)")
        let after = try String(contentsOf: dir.appendingPathComponent("journal.jsonl"), encoding: .utf8)
        #expect(after.hasPrefix(before))
        // The answer and the quiz's session line.
        let added = after.dropFirst(before.count).split(separator: "\n")
        #expect(added.count == 2)
        #expect(added.first?.contains(#""type":"review""#) == true)
        #expect(added.last?.contains(#""type":"session""#) == true)
        let csv = try Sapro.run(["report", "--format", "csv"], dataDir: dir).stdout
        #expect(csv.hasPrefix(try expected("report.csv")))
        let stats = try Sapro.run(["stats"], dataDir: dir)
        #expect(stats.status == 0, "\(stats.stderr)")
    }
}
