import Foundation
import Testing

/// Whether the real Anki library (PyPI `anki`) imports here.
let ankiAvailable: Bool = {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", "import anki.collection"]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { return false }
    process.waitUntilExit()
    return process.terminationStatus == 0
}()

func python(_ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3"] + arguments
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}

@Suite struct AnkiExport {
    static let script = Sapro.repoRoot.appendingPathComponent("Tests/EndToEndTests/Fixtures/anki/import_twice.py").path

    @Test(.enabled(if: ankiAvailable, "the anki package (pip install anki==26.9.3) is not installed"))
    func theRealAnkiImportsTheExportAndASecondExportOnlyUpdates() throws {
        let dir = Sapro.temporaryDirectory()
        let first = dir.appendingPathComponent("one.apkg").path, second = dir.appendingPathComponent("two.apkg").path
        let made = try Sapro.run(["export", "anki", "--out", first, "--generated", "2"], dataDir: dir)
        #expect(made.status == 0, "\(made.stderr)")
        let count = try #require(
            made.stdout.split(separator: " ").firstIndex(of: "notes").map { Int(made.stdout.split(separator: " ")[$0 - 1])! })
        #expect(try Sapro.run(["export", "anki", "--out", second, "--generated", "2"], dataDir: dir).status == 0)
        let result = try #require(
            try JSONSerialization.jsonObject(with: Data(try python([Self.script, first, second]).utf8)) as? [String: Any])
        let one = try #require(result["first"] as? [String: Int]), two = try #require(result["second"] as? [String: Int])
        #expect(one["new"] == count)
        #expect(two["new"] == 0, "a second export adds no note")
        // Updated when the second export is newer than the first (a second later or more), left alone when not.
        #expect(two["updated"] == count || two["updated"] == 0)
        #expect(two["conflicting"] == 0)
        #expect(result["notes"] as? Int == count && result["cards"] as? Int == count)
        let types = try #require(result["notetypes"] as? [String]).filter { $0.hasPrefix("sapro") }
        #expect(types == ["sapro choice", "sapro ordering", "sapro recall"], "no duplicate note types")

        // The two packages hold the same notes and cards (only the export time differs).
        let same = try python([
            "-c",
            """
            import sqlite3, sys, zipfile, tempfile, os
            def rows(p):
                d = tempfile.mkdtemp(); zipfile.ZipFile(p).extractall(d)
                c = sqlite3.connect(os.path.join(d, 'collection.anki21'))
                return (c.execute('select id, guid, mid, tags, flds, sfld from notes order by id').fetchall(),
                        c.execute('select id, nid, did, ord, type, queue, due from cards order by id').fetchall())
            print(rows(sys.argv[1]) == rows(sys.argv[2]))
            """, first, second,
        ])
        #expect(same.trimmingCharacters(in: .whitespacesAndNewlines) == "True")
    }

    @Test func anExistingFileIsKeptUnlessForcedAndOnlyApkgIsWritten() throws {
        let dir = Sapro.temporaryDirectory()
        let path = dir.appendingPathComponent("deck.apkg")
        try Data("mine".utf8).write(to: path)
        let refused = try Sapro.run(["export", "anki", "--out", path.path, "--generated", "0"], dataDir: dir)
        #expect(refused.status != 0 && refused.stderr.contains("already exists"))
        #expect(try String(contentsOf: path, encoding: .utf8) == "mine")
        let forced = try Sapro.run(["export", "anki", "--out", path.path, "--generated", "0", "--force"], dataDir: dir)
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try Data(contentsOf: path).prefix(2) == Data("PK".utf8))
        let colpkg = try Sapro.run(["export", "anki", "--out", dir.appendingPathComponent("x.colpkg").path], dataDir: dir)
        #expect(colpkg.status != 0 && colpkg.stderr.contains(".colpkg would replace"))
        // An unwritable folder: a clear error and no partial file.
        let locked = dir.appendingPathComponent("locked")
        try FileManager.default.createDirectory(at: locked, withIntermediateDirectories: true)
        chmod(locked.path, 0o500)
        defer { chmod(locked.path, 0o700) }
        let failed = try Sapro.run(
            ["export", "anki", "--out", locked.appendingPathComponent("d.apkg").path, "--generated", "0"], dataDir: dir)
        if getuid() != 0 {
            #expect(failed.status != 0 && failed.stderr.contains("cannot write"))
            #expect(try FileManager.default.contentsOfDirectory(atPath: locked.path).isEmpty)
        }
    }
}
