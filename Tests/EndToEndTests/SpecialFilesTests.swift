import Foundation
import Testing

/// Paths in the data directory that are not what they must be get a message naming the path and
/// what it is, and nothing is lost.
@Suite struct SpecialFilesInTheDataDirectory {
    static func withHistory() throws -> URL {
        let dir = Sapro.temporaryDirectory().appendingPathComponent("data")
        _ = try Sapro.run(["quiz", "1", "--seed", "\(UndoAcrossProcesses.seed)"], input: "a\n", dataDir: dir)
        return dir
    }

    @Test func aSnapshotThatIsADirectoryIsNamed() throws {
        let dir = try Self.withHistory()
        try FileManager.default.createDirectory(
            at: dir.appendingPathComponent("snapshot.json"), withIntermediateDirectories: true)
        let result = try Sapro.run(["stats"], dataDir: dir)
        #expect(result.status == 1)
        #expect(result.stderr.contains("snapshot.json is a directory, not a file; move it aside"), "\(result.stderr)")
    }

    @Test func aDataDirectoryThatIsASymlinkLoopIsNamed() throws {
        let base = Sapro.temporaryDirectory()
        let one = base.appendingPathComponent("one"), two = base.appendingPathComponent("two")
        try FileManager.default.createSymbolicLink(atPath: one.path, withDestinationPath: two.path)
        try FileManager.default.createSymbolicLink(atPath: two.path, withDestinationPath: one.path)
        let result = try Sapro.run(["stats"], dataDir: one)
        #expect(result.status == 1)
        #expect(result.stderr.contains("is a loop of symbolic links, not a directory"), "\(result.stderr)")
    }

    @Test func aSettingsFileThatIsAFIFOIsNamedAndTheDefaultsUsed() throws {
        let dir = try Self.withHistory()
        #expect(mkfifo(dir.appendingPathComponent("settings.json").path, 0o644) == 0)
        let result = try Sapro.run(["stats"], dataDir: dir, timeout: 20)
        #expect(result.status == 0)
        #expect(
            result.stderr.contains("settings.json: cannot be read (it is a named pipe (FIFO), not a file)"), "\(result.stderr)")
    }

    @Test func backupsAndExamsThatAreFilesAreSaidAndNothingIsLost() throws {
        let dir = try Self.withHistory()
        try Data("x".utf8).write(to: dir.appendingPathComponent("backups"))
        try Data("x".utf8).write(to: dir.appendingPathComponent("exams"))
        let quiz = try Sapro.run([], input: "quiz 1 --seed \(UndoAcrossProcesses.seed)\na\nquit\n", dataDir: dir)
        #expect(
            quiz.stderr.contains("backups is a file, not a directory; move it aside: until then snapshots are not backed up."))
        let history = try Sapro.run(["exam", "history"], dataDir: dir)
        #expect(history.stderr.contains("exams is a file, not a directory"), "\(history.stderr)")
        let exam = try Sapro.run(
            ["exam", "start", "container-networking-short", "--questions", "2"], input: "quit\n", dataDir: dir)
        #expect(exam.status == 1 && exam.stderr.contains("mock exams are kept there"), "\(exam.stderr)")
        let csv = try Sapro.run(["report", "--format", "csv"], dataDir: dir).stdout
        #expect(csv.split(separator: "\n").count == 3)
    }

    @Test func aDamagedOldestBackupIsKeptNotRotatedOut() throws {
        let dir = try Self.withHistory()
        // Each exit writes a snapshot and backs up the one before: five make three backups.
        for _ in 4...8 { _ = try Sapro.run([], input: "quiz 1 --seed \(UndoAcrossProcesses.seed)\na\nquit\n", dataDir: dir) }
        let oldest = dir.appendingPathComponent("backups/snapshot.json.3")
        #expect(FileManager.default.fileExists(atPath: oldest.path))
        try Data("{\"schemaVer".utf8).write(to: oldest)
        let next = try Sapro.run([], input: "quiz 1 --seed \(UndoAcrossProcesses.seed)\na\nquit\n", dataDir: dir)
        #expect(
            next.stderr.contains("snapshot.json.3 could not be read; it was kept as snapshot.json.unreadable"), "\(next.stderr)")
        let kept = dir.appendingPathComponent("backups/snapshot.json.unreadable")
        #expect(try Data(contentsOf: kept) == Data("{\"schemaVer".utf8))
    }
}
