import Foundation
import SaproCore
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

    // ThreadSanitizer's runtime dies of SIGBUS at start under a small file-size limit (`sapro
    // --version` too), before any of sapro runs.
    @Test(.disabled(if: Sapro.underThreadSanitizer, "ThreadSanitizer's runtime cannot start under ulimit -f"))
    func aFullDiskGivesAnErrorAndLeavesNothingBehind() throws {
        // A file-size limit makes writes fail with EFBIG, as a full disk does.
        let dir = Sapro.temporaryDirectory()
        let small = dir.appendingPathComponent("small")
        try FileManager.default.createDirectory(at: small, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = [
            "-c", "ulimit -f 40; exec \"$0\" \"$@\"", Sapro.binary.path, "export", "anki", "--out",
            small.appendingPathComponent("d.apkg").path, "--data-dir", dir.path,
        ]
        var env = ProcessInfo.processInfo.environment
        env["SAPRO_SHARE"] = Sapro.repoRoot.path
        process.environment = env
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus != 0)
        #expect(message.contains("cannot write"), "\(message)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: small.path).isEmpty)
    }

    @Test(.enabled(if: ankiAvailable, "the anki package (pip install anki==26.9.3) is not installed"))
    func anEmptyDataDirectoryGivesAValidPackageWithTheCardsAndNoHistory() throws {
        let dir = Sapro.temporaryDirectory()
        let package = dir.appendingPathComponent("e.apkg").path
        let made = try Sapro.run(["export", "anki", "--out", package, "--generated", "1", "--with-progress"], dataDir: dir)
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout.contains(", 0 with progress and 0 reviews."))
        let kept = try #require(
            try JSONSerialization.jsonObject(with: Data(try python([AnkiExportWithProgress.script, package]).utf8))
                as? [String: Any])
        let cards = try #require(kept["cards"] as? [String: [String: Any]])
        #expect(cards.count > 200)
        #expect(cards.values.allSatisfy { $0["type"] as? Int == 0 })
        #expect((kept["revlog"] as? [String: [[Int]]])?.values.allSatisfy(\.isEmpty) == true)
    }
}

@Suite struct AnkiExportWithProgress {
    static let script = Sapro.repoRoot.appendingPathComponent("Tests/EndToEndTests/Fixtures/anki/import_with_progress.py").path

    /// The shipped questions with a few months of history, and (through `dev anki-export`, which
    /// makes a note of every card) 3,000 cards over four months from the app's own simulator.
    @Test(
        .enabled(if: ankiAvailable, "the anki package (pip install anki==26.9.3) is not installed"),
        arguments: [("export", 224, 90), ("dev", 3000, 120)])
    func anki26KeepsEveryCardsStateAndEveryReviewOfTheJournal(command: String, cards count: Int, days: Int) throws {
        let dir = Sapro.temporaryDirectory()
        let made = try Sapro.run(
            [
                "dev", "simulate-history", "--cards", "\(count)", "--reviews", "30000", "--days", "\(days)", "--new-per-day",
                "30", "--seed", "5",
            ],
            dataDir: dir)
        #expect(made.status == 0, "\(made.stderr)")
        let package = dir.appendingPathComponent("p.apkg").path
        let arguments =
            command == "export"
            ? ["export", "anki", "--out", package, "--generated", "0", "--with-progress"]
            : ["dev", "anki-export", "--out", package]
        let export = try Sapro.run(arguments, dataDir: dir, environment: ["TZ": "UTC"], timeout: 120)
        #expect(export.status == 0, "\(export.stderr)")
        if command == "export" { #expect(export.stdout.contains("Import any learning progress")) }
        let kept = try #require(
            try JSONSerialization.jsonObject(with: Data(try python([Self.script, package]).utf8)) as? [String: Any])
        let cards = try #require(kept["cards"] as? [String: [String: Any]])
        let revlog = try #require(kept["revlog"] as? [String: [[Int]]])

        // What sapro holds, read from the data directory itself.
        let store = try ProgressStore<StudyCard>(directory: dir)
        let log = try store.compactReviewLog(details: true)
        var expectedReviews: [String: [(ms: Int, ease: Int, time: Int)]] = [:]
        for (i, row) in log.rows.enumerated() where row.mode == .drill {
            let ms = Int((Date(timeIntervalSinceReferenceDate: row.time).timeIntervalSince1970 * 1000).rounded())
            expectedReviews["sapro:" + log.cards[Int(row.card)], default: []].append(
                (ms, row.rating, log.details[i].responseMilliseconds ?? 0))
        }
        let now = Date()
        var checked = 0, problems: [String] = []
        for (id, card) in store.cards where card.fsrs.state != .new {
            let guid = "sapro:" + id
            guard let anki = cards[guid] else { continue }  // not a shipped question (a simulated one)
            checked += 1
            let type = anki["type"] as? Int
            let want = ["learning": 1, "review": 2, "relearning": 3][card.fsrs.state.rawValue]
            if type != want { problems.append("\(id): type \(String(describing: type)) vs \(card.fsrs.state)") }
            if anki["reps"] as? Int != card.reps || anki["lapses"] as? Int != card.lapses {
                problems.append(
                    "\(id): reps/lapses \(anki["reps"] ?? "-")/\(anki["lapses"] ?? "-") vs \(card.reps)/\(card.lapses)")
            }
            if card.fsrs.state == .review, let inDays = anki["due_in_days"] as? Int {
                // To the day: Anki's days left against the days from today's 04:00 (UTC) boundary.
                let today = Date(
                    timeIntervalSince1970: ((now.timeIntervalSince1970 - 4 * 3600) / 86_400).rounded(.down) * 86_400 + 4 * 3600)
                let days = Int((card.fsrs.due.timeIntervalSince(today) / 86_400).rounded(.down))
                if inDays != days { problems.append("\(id): due in \(inDays) days vs \(days)") }
                let interval = max(1, Int((card.fsrs.due.timeIntervalSince(card.fsrs.lastReview!) / 86_400).rounded()))
                if anki["ivl"] as? Int != interval { problems.append("\(id): interval \(anki["ivl"] ?? "-") vs \(interval)") }
            }
            if card.fsrs.state != .review, let due = anki["due"] as? Int, due != Int(card.fsrs.due.timeIntervalSince1970) {
                problems.append("\(id): learning due \(due) vs \(Int(card.fsrs.due.timeIntervalSince1970))")
            }
            if let s = anki["stability"] as? Double, let memory = card.fsrs.memory {
                if abs(s - memory.stability) > max(1e-4, 2e-5 * memory.stability) {
                    problems.append("\(id): S \(s) vs \(memory.stability)")
                }
                if let d = anki["difficulty"] as? Double, abs(d - memory.difficulty) > 1e-3 {
                    problems.append("\(id): D \(d) vs \(memory.difficulty)")
                }
            } else {
                problems.append("\(id): no memory state kept")
            }
            let rows = revlog[guid] ?? []
            let wanted = expectedReviews[guid] ?? []
            if rows.count != wanted.count {
                problems.append("\(id): \(rows.count) revlog rows vs \(wanted.count) reviews")
            } else {
                for (row, review) in zip(rows, wanted)
                where row[1] != review.ease || abs(row[0] - review.ms) > 2 || row[2] != review.time {
                    problems.append("\(id): revlog \(row) vs \(review)")
                }
            }
        }
        #expect(checked > (command == "export" ? 100 : 2000), "cards with progress checked: \(checked)")
        if command == "dev" { #expect(cards.count == store.cards.count && cards.count == count) }
        #expect(problems.isEmpty, "\(problems.count) problems, first: \(problems.prefix(5))")
    }
}
