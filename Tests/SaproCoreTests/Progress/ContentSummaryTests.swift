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
        ContentLoader.fingerprint(of: ContentLoader.sourceFiles(directories: [], notes: [notes]).files, salt: salt)
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

    @Test func theFilesTheKeyReadsAreTheFilesLoadReads() throws {
        let notes = try Self.folder(["a.md": "# A\n", "x.errata.md": "", "README.md": "# R\n", "n.txt": "no", ".h.md": "# H\n"])
        let listed = ContentLoader.sourceFiles(directories: [Repo.content], notes: [notes]).files
        let loaded = ContentLoader.load(directories: [Repo.content], notes: [notes])
        let documentFiles = Set(loaded.library.topics.map { URL(fileURLWithPath: $0.location.file).lastPathComponent })
        #expect(documentFiles.isSubset(of: Set(listed.map(\.url.lastPathComponent))))
        #expect(listed.filter(\.scoped).map(\.url.lastPathComponent) == ["a.md", "x.errata.md"])
        #expect(listed.contains { !$0.scoped && $0.url.pathExtension == "csv" })
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
