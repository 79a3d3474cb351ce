import Foundation
import Testing
@testable import SaproCore

private func problems(_ bytes: [UInt8], name: String = "doc.md") throws -> [String] {
    let dir = try Repo.temporaryDirectory([name: bytes])
    defer { try? FileManager.default.removeItem(at: dir) }
    return ContentLoader.load(directories: [dir], displayName: { $0.lastPathComponent }).problems.map(\.description)
}

@Test func anEmptyDocumentIsReported() throws {
    #expect(try problems(Array(" \n\n".utf8)) == ["doc.md:1: the document is empty"])
}

@Test func aNonUTF8FileNamesTheLineOfTheBadByte() throws {
    let bytes = Array("# Title\n\nfine\ncaf".utf8) + [0xE9] + Array("\n".utf8)
    #expect(try problems(bytes) == ["doc.md:4: not valid UTF-8 (byte 0xE9 at offset 17); save the file as UTF-8"])
}

@Test func aTableWithRaggedRowsNamesEachBadRow() throws {
    let text = "# T\n\n| a | b | c |\n|---|---|---|\n| 1 | 2 | 3 |\n| 1 | 2 |\n| 1 | 2 | 3 | 4 |\n"
    #expect(
        try problems(Array(text.utf8)) == [
            "doc.md:6: table row has 2 cells, the header has 3",
            "doc.md:7: table row has 4 cells, the header has 3",
        ])
}

@Test func escapedPipesAndCodeSpansDoNotCountAsCells() throws {
    let text = "# T\n\n| a | b |\n|---|---|\n| x \\| y | `p|q` |\n"
    #expect(try problems(Array(text.utf8)) == [])
}

@Test func anUnterminatedCodeFenceNamesWhereItOpened() throws {
    let text = "# T\n\nIntro.\n\n```yaml\nkey: value\n\n## Not a heading\n"
    #expect(
        try problems(Array(text.utf8)) == [
            "doc.md:5: code fence '```' is never closed; everything after it is read as code"
        ])
}

@Test func aHeadinglessFileIsNoProblemAnyMore() throws {
    // Issue 13: a file without headings is one topic named after the file (see NotesInAnyDialect).
    #expect(try problems(Array("Just some text.\n\n- a bullet\n".utf8)).isEmpty)
}

@Test func duplicateTopicIDsAcrossDocumentsAreReported() throws {
    let dir = try Repo.temporaryDirectory([
        "a.md": Array("# A\n\n## Shared\n".utf8),
        "b.md": Array("# B\n\n## Shared\n".utf8),
    ])
    defer { try? FileManager.default.removeItem(at: dir) }
    let result = ContentLoader.load(directories: [dir], displayName: { $0.lastPathComponent })
    #expect(result.problems.map(\.description) == ["b.md:3: topic id 'shared' is already defined at a.md:3; rename this heading"])
}

@Test func anErratumThatQuotesNothingIsReported() throws {
    let dir = try Repo.temporaryDirectory([
        "a.md": Array("# A\n\nText.\n".utf8),
        "a.errata.md": Array("# Errata\n\n## wrong\n- **Quote:** not in the text\n- **Correction:** x\n".utf8),
    ])
    defer { try? FileManager.default.removeItem(at: dir) }
    let result = ContentLoader.load(directories: [dir], displayName: { $0.lastPathComponent })
    #expect(result.problems.map(\.description) == ["a.errata.md:3: erratum 'wrong' matches no statement in the documents"])
}

/// A second quote with a typo is reported even though the first matches.
@Test func everyQuoteOfAnErratumMustMatch() throws {
    let dir = try Repo.temporaryDirectory([
        "a.md": Array("# A\n\n- Tasks = ENIs\n".utf8),
        "a.errata.md": Array(
            "# Errata\n\n## two\n- **Quote:** Tasks = ENIs\n- **Quote:** Taks = ENIs\n- **Correction:** x\n".utf8),
    ])
    defer { try? FileManager.default.removeItem(at: dir) }
    let result = ContentLoader.load(directories: [dir], displayName: { $0.lastPathComponent })
    #expect(
        result.problems.map(\.description) == [
            "a.errata.md:3: erratum 'two': the quote 'Taks = ENIs' matches no statement in the documents"
        ])
}

@Test func randomBytesNeverCrashTheParser() {
    var rng = SystemRandomNumberGenerator()
    let alphabet = Array("# |-`~*\n\n├──└│->✅❌1.".utf8)
    for _ in 0..<300 {
        let bytes = (0..<Int.random(in: 0..<400, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
        let text = String(decoding: bytes, as: UTF8.self)
        _ = DocumentParser.parse(text, file: "fuzz.md", stem: "fuzz")
    }
}
