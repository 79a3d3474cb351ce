import Foundation
import Testing
@testable import SaproCore

/// The summary of the content kept in the data directory, and the key that says which files it
/// sums up.
@Suite struct KeptContentSummary {
    static func folder(_ files: [String: String]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sapro-summary-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, text) in files { try Data(text.utf8).write(to: dir.appendingPathComponent(name)) }
        return dir
    }

    static func key(_ notes: URL, salt: String = "build 1") -> String {
        ContentLoader.key(
            salt: salt, digest: ContentLoader.digest(of: ContentLoader.sourceFiles(directories: [], notes: [notes]).files))
    }

    @Test func theKeyChangesWithAByteOfAFileAFileMoreOrAnotherBuildAndOnlyThen() throws {
        let notes = try Self.folder(["a.md": "# A\n\nQ: One?\nA: 1\n", "b.md": "# B\n"])
        let first = Self.key(notes)
        #expect(Self.key(notes) == first)
        try Data("# A\n\nQ: One?\nA: 2\n".utf8).write(to: notes.appendingPathComponent("a.md"))
        let edited = Self.key(notes)
        #expect(edited != first)
        try Data("# C\n".utf8).write(to: notes.appendingPathComponent("c.md"))
        #expect(Self.key(notes) != edited)
        #expect(Self.key(notes, salt: "build 2") != Self.key(notes))
        // Files `load` does not read (not Markdown, hidden) leave the key as it is.
        let before = Self.key(notes)
        try Data("x".utf8).write(to: notes.appendingPathComponent("picture.png"))
        try Data("# hidden\n".utf8).write(to: notes.appendingPathComponent(".draft.md"))
        #expect(Self.key(notes) == before)
    }

    /// A summary is saved under the digest of what `load` read and looked up under the digest
    /// of the files at the next start: the two must agree, file for file.
    @Test func theDigestOfALoadIsTheDigestOfItsFilesReadAgain() throws {
        let notes = try Self.folder(["a.md": "# A\n", "x.errata.md": "", "README.md": "# R\n", "n.txt": "no", ".h.md": "# H\n"])
        let loaded = ContentLoader.load(directories: [Repo.content], notes: [notes])
        let files = ContentLoader.sourceFiles(directories: [Repo.content], notes: [notes]).files
        #expect(loaded.digest == ContentLoader.digest(of: files))
        let lines = loaded.digest.split(separator: "\n")
        #expect(
            lines.filter { $0.hasPrefix("note ") }.map { $0.split(separator: " ")[1] } == [
                "\(notes.path)/a.md", "\(notes.path)/x.errata.md",
            ])
        #expect(lines.contains { $0.hasPrefix("doc ") && $0.contains(".csv ") })
        // The names problems are told with are part of it: another way of naming the folder
        // must not bring back warnings naming files the old way.
        let named = ContentLoader.load(directories: [], notes: [notes], displayName: { "mine/" + $0.lastPathComponent })
        #expect(named.digest != ContentLoader.load(directories: [], notes: [notes]).digest)
    }

    /// A named pipe, a device or a folder where the summary goes: nothing blocks, nothing is
    /// written through it, and it reads as no summary.
    @Test func somethingOtherThanAFileInTheSummarysPlaceIsLeftAlone() throws {
        let loaded = ContentLoader.load(directories: [], notes: [try Self.folder(["a.md": "# A\n"])])
        let summary = ContentSummary(key: "k", loaded: loaded, cardIDs: [])
        for kind in ["fifo", "device", "folder"] {
            let data = try Self.folder([:])
            let file = data.appendingPathComponent(ContentSummary.fileName)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            var reader: Int32 = -1
            defer { if reader >= 0 { close(reader) } }
            switch kind {
            case "fifo":
                #expect(mkfifo(file.path, 0o644) == 0)
                // A reader held open, so a save that wrongly wrote to the pipe fails this test
                // instead of blocking it.
                reader = open(file.path, O_RDONLY | O_NONBLOCK)
                #expect(reader >= 0)
            case "device": try FileManager.default.createSymbolicLink(atPath: file.path, withDestinationPath: "/dev/null")
            default: try FileManager.default.createDirectory(at: file, withIntermediateDirectories: true)
            }
            #expect(throws: ProgressError.self, "\(kind)") { try summary.save(to: data) }
            #expect(ContentSummary.read(from: data, key: "k") == nil, "\(kind)")
            #expect(FileKind.of(file.path) != .file && FileKind.of(file.path) != .missing, "\(kind) was replaced")
        }
    }

    @Test func aMissingFolderIsToldBetweenTheFoldersAroundIt() throws {
        let first = try Self.folder(["a.md": ""])
        let last = try Self.folder(["b.md": ""])
        let missing = first.appendingPathComponent("nothing-here")
        let loaded = ContentLoader.load(directories: [], notes: [first, missing, last], displayName: { $0.lastPathComponent })
        #expect(
            loaded.problems.map(\.description) == [
                "a.md:1: the document is empty", "nothing-here: no such content directory", "b.md:1: the document is empty",
            ])
    }

    @Test func aSummaryIsReadBackOnlyUnderItsKeyAndADamagedOneIsIgnored() throws {
        let data = try Self.folder([:])
        let notes = try Self.folder(["a.md": "# A\n\nQ: One?\nA: 1\n", "empty.md": ""])
        let loaded = ContentLoader.load(directories: [], notes: [notes], displayName: { $0.lastPathComponent })
        let summary = ContentSummary(key: "k1", loaded: loaded, cardIDs: ["card:a#q-one"])
        #expect(summary.topicIDs == ["a"])
        #expect(summary.problems.map(\.description) == ["empty.md:1: the document is empty"])
        #expect(ContentSummary.read(from: data, key: "k1") == nil)
        try summary.save(to: data)
        #expect(ContentSummary.read(from: data, key: "k1") == summary)
        #expect(ContentSummary.read(from: data, key: "k2") == nil)
        let file = data.appendingPathComponent(ContentSummary.fileName)
        let text = try String(contentsOf: file, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "\"schemaVersion\":1", with: "\"schemaVersion\":2").utf8).write(to: file)
        #expect(ContentSummary.read(from: data, key: "k1") == nil)
        try Data(text.prefix(text.count / 2).utf8).write(to: file)
        #expect(ContentSummary.read(from: data, key: "k1") == nil)
        try FileManager.default.removeItem(at: file)
        try FileManager.default.createDirectory(at: file, withIntermediateDirectories: true)
        #expect(ContentSummary.read(from: data, key: "k1") == nil)
    }
}
