import Foundation
import Testing

// The REPL run as a user would pipe it: `sapro` with lines on stdin (no prompt is printed when
// stdin is not a terminal), a private data directory, and a second run to see what was kept.

/// A small document whose cards are known: one recall card (a definition), one yes/no card (a
/// fit item) and one numeric card (a table cell), in that order for `drill zeta-mode`.
private func zetaContent() throws -> URL {
    let dir = Sapro.temporaryDirectory()
    try Data(
        """
        # Notes

        ## Zeta Mode

        **What It Is:** Every task gets a private zeta interface.

        ### Fit

        - ✅ Workloads that need their own zeta address

        ### Limits

        **Zeta limits:**

        | Type | Max Zetas |
        |------|-----------|
        | z1.small | 7 |

        """.utf8
    ).write(to: dir.appendingPathComponent("notes.md"))
    return dir
}

/// The answers for the three zeta cards: reveal and rate the recall card good, pick a), type 7.
private let zetaAnswers = ["", "3", "a", "7"]

private func lines(_ lines: String...) -> String { lines.joined(separator: "\n") + "\n" }
private func lines(_ lines: [String]) -> String { lines.joined(separator: "\n") + "\n" }

private func count(_ needle: String, in text: String) -> Int {
    text.components(separatedBy: needle).count - 1
}

/// The journal's entries, one JSON object a line (the header line included).
private func journal(_ dataDir: URL) throws -> [[String: Any]] {
    let text = try String(contentsOf: dataDir.appendingPathComponent("journal.jsonl"), encoding: .utf8)
    return try text.split(separator: "\n").map {
        try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
}

/// The review records of the journal, in order.
private func reviews(_ dataDir: URL) throws -> [[String: Any]] {
    try journal(dataDir).filter { $0["type"] as? String == "review" }.compactMap { $0["review"] as? [String: Any] }
}

@Suite(.serialized) struct REPLTests {
    // MARK: - Drill

    @Test func aDrillGradesEachKindSavesEveryAnswerAndTheProgressIsThereOnTheNextRun() throws {
        let content = try zetaContent(), data = Sapro.temporaryDirectory()
        // The numeric card first gets a word: the wrong shape is asked again, not graded.
        let input = lines(["drill zeta-mode --limit 5", "", "3", "a", "seven", "7"])
        let first = try Sapro.run(["--content", content.path], input: input, dataDir: data)
        #expect(first.status == 0)
        #expect(first.stderr.isEmpty, "\(first.stderr)")
        #expect(first.stdout.hasPrefix("Drill: 3 questions on notes/zeta-mode.\n"))
        #expect(first.stdout.contains("[1/3] notes/zeta-mode\nWhat is Zeta Mode?"))
        #expect(first.stdout.contains("Answer:\n  Every task gets a private zeta interface.\nMarked as remembered (good)."))
        #expect(first.stdout.contains("[2/3] notes/zeta-mode/fit"))
        #expect(first.stdout.contains("[3/3] notes/zeta-mode/limits\nIn Zeta limits, what is the Max Zetas for z1.small?"))
        #expect(first.stdout.contains("'seven' is not a whole number; type a number such as 29. Try again (or 'skip')."))
        #expect(count("Correct.\n", in: first.stdout) == 2)
        #expect(count("\nSaved. Rated ", in: first.stdout) == 3)
        #expect(first.stdout.contains("Saved. Rated good (3); next review in 10 minutes."))
        #expect(first.stdout.hasSuffix("\nDrill finished: 3 answered, 3 correct.\n"))

        // A second sapro on the same data directory: the answers are there, nothing is new today.
        let second = try Sapro.run(["--content", content.path], input: lines("stats", "drill zeta-mode"), dataDir: data)
        #expect(second.status == 0)
        #expect(second.stderr.isEmpty, "\(second.stderr)")
        #expect(second.stdout.hasPrefix("Today: 3 answered, 3 correct. Streak: 1 day.\n"))
        #expect(second.stdout.contains("Memory: 3 cards studied"))
        #expect(
            second.stdout.contains(
                "Nothing due in notes/zeta-mode and no new cards left today. The next card is due in 10 minutes ("))
        #expect(second.stdout.contains("Meanwhile 'quiz' practises without changing the schedule."))

        let saved = try reviews(data)
        #expect(
            saved.map { $0["card"] as? String } == [
                "card:notes/zeta-mode#what-it-is",
                "card:notes/zeta-mode/fit#workloads-that-need-their-own-zeta",
                "card:notes/zeta-mode/limits#table-zeta-limits/z1-small/max-zetas",
            ])
        #expect(saved.map { $0["answer"] as? String } == ["", "a", "7"])
        #expect(saved.allSatisfy { $0["mode"] as? String == "drill" && $0["next"] != nil })
    }

    @Test func aDrillOnTheShippedContentSavesEveryAnswerWhateverKindsItAsks() throws {
        // 'explain' is a valid reply to any kind of question; it is saved as a miss.
        let data = Sapro.temporaryDirectory()
        let result = try Sapro.run(
            [], input: lines("drill --limit 4", "explain", "explain", "explain", "explain", "stats"),
            dataDir: data)
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("Drill: 4 questions.\n"))
        #expect(count("\nThe answer is", in: result.stdout) == 4)
        #expect(count("\nSaved. Rated again (1); next review in about a minute. ('rate N' changes it: ", in: result.stdout) == 4)
        #expect(
            result.stdout.contains("4 cards with a learning step due later (the next in about a minute); 'drill' asks them then.")
        )
        #expect(result.stdout.contains("\nDrill finished: 4 answered, 0 correct.\nToday: 4 answered, 0 correct."))
        #expect(try reviews(data).count == 4)
    }

    @Test func rateChangesThePreviousAnswersRatingAndARecallCardRatedAgainIsNotCorrect() throws {
        let content = try zetaContent(), data = Sapro.temporaryDirectory()
        let input = lines(["drill zeta-mode", "", "3", "rate 1", "a", "7", "stats"])
        let result = try Sapro.run(["--content", content.path], input: input, dataDir: data)
        #expect(result.status == 0)
        #expect(result.stdout.contains("Changed the last rating to again (1); next review in about a minute."))
        #expect(result.stdout.contains("Drill finished: 3 answered, 2 correct."))
        #expect(result.stdout.contains("Today: 3 answered, 2 correct."))
        let first = try #require(try reviews(data).last { $0["card"] as? String == "card:notes/zeta-mode#what-it-is" })
        #expect(first["rating"] as? Int == 1)
        #expect(first["correct"] as? Bool == false)
    }

    @Test func leavingInTheMiddleOfAQuestionSavesNothingOfItAndExitsCleanly() throws {
        let content = try zetaContent(), data = Sapro.temporaryDirectory()
        // Revealed, then end of input before the rating.
        let eof = try Sapro.run(["--content", content.path], input: lines("drill zeta-mode", ""), dataDir: data)
        #expect(eof.status == 0)
        #expect(eof.stdout.hasSuffix("Drill finished: 0 answered, 0 correct.\n"))
        // 'quit' inside a question ends the drill, not the REPL.
        let quit = try Sapro.run(["--content", content.path], input: lines("drill zeta-mode", "quit", "stats"), dataDir: data)
        #expect(quit.status == 0)
        #expect(quit.stdout.contains("Drill finished: 0 answered, 0 correct.\n"))
        #expect(quit.stdout.contains("Today: 0 answered, 0 correct."))
        #expect(try reviews(data).isEmpty)
    }

    // MARK: - Quiz

    /// The questions of a quiz run: each header line with the line after it.
    private func questionHeads(_ output: String) -> [String] {
        questionSections(output).map { $0.prefix(2).joined(separator: "\n") }
    }

    /// The question sections of a run's output, each from its `[i/N] topic` header on.
    private func questionSections(_ output: String) -> [[String]] {
        var sections: [[String]] = []
        for line in output.components(separatedBy: "\n") {
            if line.range(of: #"^\[\d+/\d+\] "#, options: .regularExpression) != nil { sections.append([]) }
            if !sections.isEmpty { sections[sections.count - 1].append(line) }
        }
        return sections
    }

    /// Right answers read from a run that answered every question with 'explain': a recall card is
    /// revealed and rated good, any other question gets what "The answer is …." showed.
    private func rightAnswers(fromExplained output: String) throws -> [String] {
        try questionSections(output).flatMap { section -> [String] in
            if section.contains("(think of the answer, then press Enter to reveal it)") { return ["", "3"] }
            let line = try #require(section.last { $0.hasPrefix("The answer is ") })
            return [String(line.dropFirst("The answer is ".count).dropLast())]
        }
    }

    @Test func aSeededQuizAsksTheSameQuestionsRecordsAttemptsAndLeavesTheScheduleAlone() throws {
        let explained = try Sapro.run([], input: lines("quiz 3 --seed 42", "explain", "explain", "explain"))
        #expect(explained.status == 0)
        #expect(explained.stdout.hasPrefix("Quiz of 3 (seed 42; 'quiz 3 --seed 42' repeats it).\n"))
        let heads = questionHeads(explained.stdout)
        #expect(heads.count == 3)

        let data = Sapro.temporaryDirectory()
        let answers = try rightAnswers(fromExplained: explained.stdout)
        let answered = try Sapro.run([], input: lines(["quiz 3 --seed 42"] + answers), dataDir: data)
        #expect(answered.status == 0)
        #expect(answered.stderr.isEmpty, "\(answered.stderr)")
        #expect(questionHeads(answered.stdout) == heads)
        #expect(answered.stdout.hasSuffix("\nQuiz score: 3/3 (100%). The schedule was not changed.\n"))

        // Attempts count in the statistics; no card has a schedule.
        let later = try Sapro.run(["stats"], dataDir: data)
        #expect(later.status == 0)
        #expect(later.stdout.hasPrefix("Today: 3 answered, 3 correct."))
        #expect(later.stdout.contains("Memory: 0 cards studied"))
        let saved = try reviews(data)
        #expect(saved.count == 3)
        #expect(saved.allSatisfy { $0["mode"] as? String == "quiz" && $0["next"] == nil && $0["previous"] == nil })
    }

    @Test func aQuizWithADifferentSeedAsksOtherQuestions() throws {
        let a = try Sapro.run([], input: lines("quiz 3 --seed 42", "skip", "skip", "skip"))
        let b = try Sapro.run([], input: lines("quiz 3 --seed 43", "skip", "skip", "skip"))
        #expect(questionHeads(a.stdout).count == 3)
        #expect(questionHeads(a.stdout) != questionHeads(b.stdout))
        // Skipped questions count as not correct, and the score says how many were skipped.
        #expect(a.stdout.hasSuffix("Quiz score: 0/3 (0%), 3 skipped. The schedule was not changed.\n"))
    }

    // MARK: - Undo

    @Test func undoTakesBackTheLastAnswerAndSaysSoWhenThereIsNothingLeft() throws {
        let content = try zetaContent(), data = Sapro.temporaryDirectory()
        let input = lines("undo", "drill zeta-mode --limit 1", "", "3", "stats", "undo", "stats", "undo")
        let result = try Sapro.run(["--content", content.path], input: input, dataDir: data)
        #expect(result.status == 1)  // a piped session with a failed command exits 1
        #expect(result.stdout.contains("Undid your drill answer '' to card:notes/zeta-mode#what-it-is (rated 3).\n"))
        let todays = result.stdout.components(separatedBy: "\n").filter { $0.hasPrefix("Today: ") }
        #expect(todays == ["Today: 1 answered, 1 correct. Streak: 1 day.", "Today: 0 answered, 0 correct. Streak: 0 days."])
        #expect(result.stderr == "error: nothing to undo\nerror: nothing to undo\n")

        // The undone card is new again on the next run.
        let again = try Sapro.run(["--content", content.path], input: lines("drill zeta-mode"), dataDir: data)
        #expect(again.stdout.hasPrefix("Drill: 3 questions on notes/zeta-mode.\n"))
    }

    @Test func undoOutsideTheREPLWithNothingToUndoFailsWithAMessage() throws {
        let result = try Sapro.run(["undo"])
        #expect(result.status == 1)
        #expect(result.stderr == "error: nothing to undo\n")
    }

    // MARK: - Settings

    @Test func aSettingOutOfRangeIsRefusedWithTheRangeAndAGoodOneIsKept() throws {
        let data = Sapro.temporaryDirectory()
        let first = try Sapro.run(
            [], input: lines("set desired-retention 7", "set desired-retention 0.85", "set retention 0.9"),
            dataDir: data)
        #expect(first.status == 1)  // a piped session with a failed command exits 1
        #expect(first.stdout == "desired-retention = 0.85\n")
        let errors = first.stderr.components(separatedBy: "\n")
        #expect(errors.first == "error: '7' is not a valid value for desired-retention: a number from 0.70 to 0.99")
        #expect(
            errors.contains {
                $0.hasPrefix("error: '0.9' is not a valid value for retention: unknown setting; known: desired-retention,")
            })

        let second = try Sapro.run([], input: lines("settings"), dataDir: data)
        #expect(second.status == 0)
        #expect(second.stdout.hasPrefix("desired-retention   0.85\nnew-cards-per-day   20\n"))
        // The same from the command line.
        let oneShot = try Sapro.run(["settings"], dataDir: data)
        #expect(oneShot.status == 0, "\(oneShot.stderr)")
        #expect(oneShot.stdout == second.stdout)
    }

    // MARK: - Odd input

    @Test func oddInputGetsClearMessagesAndNeverStopsTheREPL() throws {
        let data = Sapro.temporaryDirectory()
        var input = Data()
        func line(_ text: String) { input.append(Data((text + "\n").utf8)) }
        line(String(repeating: "x", count: 100_000))
        line("calc max-pods " + String(repeating: "q", count: 10_000))
        line("search " + String(repeating: "m ", count: 50_000))
        input.append(Data("\u{1B}[31mstats\u{1B}[0m\n".utf8))  // escape sequences around a command: dropped
        input.append(Data("\u{1B}]0;title\u{07}\u{1B}OPtopicz\n".utf8))  // OSC and SS3 sequences: dropped
        input.append(Data([0x73, 0x74, 0x00, 0x61, 0x74, 0x73, 0x07, 0x0A]))  // st\0ats\a: control bytes dropped
        input.append(Data("read ".utf8) + Data([0xFF, 0xFE, 0xC3, 0x28, 0x0A]))  // invalid UTF-8
        line("drill --limit 99999999999999999999")
        line("drill --limit 0")
        line("quiz -5")
        line("quiz 0")
        line("quiz 99999999999999999999")
        line("calc subnet 10.0.0.0/99")
        line("stast")
        line("read \"host-mode")
        line("search 'awsvpc")
        line("help nosuch")
        line("set new-cards-per-day 99999999999999999999999")
        line("   ")
        line("quit")
        let result = try Sapro.run([], bytes: input, dataDir: data, timeout: 30)
        #expect(result.status == 1)  // a piped session with a failed command exits 1
        let err = result.stderr
        #expect(count("error: the line is too long (", in: err) == 3)
        #expect(err.contains("error: the line is too long (100000 characters; at most 2000); nothing was run"))
        #expect(err.contains("error: unknown command 'topicz'; did you mean 'topics'?"))
        #expect(err.contains("error: unknown topic '"))
        #expect(err.contains("error: The value '99999999999999999999' is invalid for '--limit <limit>'"))
        #expect(err.contains("error: --limit must be from 1 to 1000"))
        #expect(err.contains("'-5'"))
        #expect(err.contains("error: the question count must be from 1 to 500"))
        #expect(err.contains("error: The value '99999999999999999999' is invalid for '<count>'"))
        #expect(err.contains("error: '10.0.0.0/99' is not a usable CIDR block: the prefix length must be 0 to 32"))
        #expect(err.contains("error: unknown command 'stast'; did you mean 'stats'?"))
        #expect(err.contains("error: unterminated \" quote"))
        #expect(err.contains("error: unterminated ' quote"))
        #expect(err.contains("error: no command 'nosuch'; type 'help' for the list"))
        #expect(err.contains("is not a valid value for new-cards-per-day: a whole number from 0 to 1000"))
        #expect(!err.contains("Fatal error") && !err.contains("Can't read a value"))
        // Both 'stats' lines ran, without their escape sequences and control bytes; no escape byte
        // reached the output.
        #expect(count("Today: 0 answered", in: result.stdout) == 2)
        #expect(!result.stdout.contains("\u{1B}") && !err.contains("\u{1B}"))

        // The data directory still loads.
        let after = try Sapro.run(["stats"], dataDir: data)
        #expect(after.status == 0)
        #expect(after.stdout.hasPrefix("Today: 0 answered, 0 correct."))
    }

    @Test func oddAnswersInsideAQuestionAreAskedAgain() throws {
        let content = try zetaContent(), data = Sapro.temporaryDirectory()
        var input = Data("drill zeta-mode\n".utf8)
        input.append(Data((String(repeating: "y", count: 100_000) + "\n").utf8))  // any line reveals a recall card
        input.append(Data([0xFF, 0xC3, 0x0A]))  // not a rating
        input.append(Data("3\n".utf8))
        input.append(Data("\u{1B}[A\n".utf8))  // an arrow key: no answer, not 'a'
        input.append(Data("a\n".utf8))
        input.append(Data("99999999999999999999999\n".utf8))  // too big for a number
        input.append(Data("-7\n7\n".utf8))
        let result = try Sapro.run(["--content", content.path], bytes: input, dataDir: data, timeout: 30)
        #expect(result.status == 0)
        #expect(result.stdout.contains("Please rate 1 to 4 (again, hard, good, easy)."))
        #expect(result.stdout.contains("Can't grade that: no answer given. Try again (or 'skip')."))
        #expect(count("Try again (or 'skip').", in: result.stdout) == 3)
        #expect(result.stdout.hasSuffix("Drill finished: 3 answered, 3 correct.\n"))
        #expect(!result.stdout.contains("\u{1B}"))
        #expect(try reviews(data).map { $0["answer"] as? String } == [String(repeating: "y", count: 2000), "a", "7"])
    }

    // MARK: - Driven through pipes

    /// Reads `fd` until the output holds `needle` or `timeout` passes; returns what it read.
    private func read(_ fd: Int32, until needle: String, timeout: TimeInterval = 5) -> String {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline, !String(decoding: data, as: UTF8.self).contains(needle) {
            var ready = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&ready, 1, 50) > 0 else { continue }
            let n = Glibc.read(fd, &buffer, buffer.count)
            if n <= 0 { break }
            data.append(contentsOf: buffer[0..<n])
        }
        return String(decoding: data, as: UTF8.self)
    }

    @Test func throughPipesEachQuestionIsShownBeforeItsAnswerIsRead() throws {
        // A program driving sapro answers what it sees: stdin stays open throughout.
        let content = try zetaContent()
        let process = Process()
        process.executableURL = Sapro.binary
        process.arguments = ["--data-dir", Sapro.temporaryDirectory().path, "--content", content.path]
        process.environment = ProcessInfo.processInfo.environment.merging(["NO_COLOR": "1"]) { $1 }
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        let fd = stdout.fileHandleForReading.fileDescriptor
        func send(_ text: String) { try? stdin.fileHandleForWriting.write(contentsOf: Data(text.utf8)) }

        send("drill zeta-mode\n")
        #expect(read(fd, until: "press Enter to reveal it)").contains("What is Zeta Mode?"))
        send("\n3\n")
        let second = read(fd, until: "b) No, not a fit")
        #expect(second.contains("Saved. Rated good (3)"))
        #expect(second.contains("[2/3] notes/zeta-mode/fit"))
        send("a\n")
        #expect(read(fd, until: "(answer with a whole number)").contains("In Zeta limits, what is the Max Zetas for z1.small?"))
        send("7\n")
        #expect(read(fd, until: "Drill finished").contains("Correct."))
        try stdin.fileHandleForWriting.close()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    // MARK: - Help, leaving, data directory

    @Test func helpListsEveryCommandAndHelpDrillShowsItsOptions() throws {
        let result = try Sapro.run([], input: lines("help", "help drill"))
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        let listed = result.stdout.components(separatedBy: "\n").drop { !$0.hasPrefix("Commands") }.dropFirst()
            .prefix { $0.hasPrefix("  ") }.map { $0.split(separator: " ").first.map(String.init) ?? "" }
        #expect(
            listed == [
                "drill", "quiz", "exam", "stats", "report", "undo", "topics", "read", "search", "calc",
                "content", "flags", "settings", "set", "srs", "export", "help", "quit",
            ])
        #expect(result.stdout.contains("USAGE: drill [<topic>] [--limit <limit>]"))
        #expect(result.stdout.contains("--limit <limit>         Stop after N questions (learning steps asked again"))
        #expect(result.stdout.contains("skip, hint, explain, flag, rate N"))
        #expect(result.stdout.contains("undo (take back the last answer, in drills)"))
    }

    @Test func endOfInputLeavesWithStatusZero() throws {
        let empty = try Sapro.run([])
        #expect(empty.status == 0)
        #expect(empty.stdout.isEmpty && empty.stderr.isEmpty)
        // A last line without a newline still runs.
        let unterminated = try Sapro.run([], input: "calc subnet 10.0.0.0/24")
        #expect(unterminated.status == 0)
        #expect(unterminated.stdout.hasPrefix("10.0.0.0/24: 251 usable addresses"))
    }

    @Test func theDataDirOptionWorksOnSaproAndOnASubcommand() throws {
        let content = try zetaContent(), data = Sapro.temporaryDirectory(), home = Sapro.temporaryDirectory()
        // $SAPRO_HOME points elsewhere: --data-dir wins.
        let repl = try Sapro.run(
            ["--data-dir", data.path, "--content", content.path],
            input: lines(["drill zeta-mode --limit 1"] + zetaAnswers.prefix(2)), dataDir: home)
        #expect(repl.status == 0)
        #expect(repl.stdout.contains("Drill finished: 1 answered, 1 correct."))
        #expect(FileManager.default.fileExists(atPath: data.appendingPathComponent("journal.jsonl").path))
        #expect(!FileManager.default.fileExists(atPath: home.appendingPathComponent("journal.jsonl").path))

        let stats = try Sapro.run(["stats", "--data-dir", data.path], dataDir: home)
        #expect(stats.status == 0, "\(stats.stderr)")
        #expect(stats.stdout.hasPrefix("Today: 1 answered, 1 correct."))
        let elsewhere = try Sapro.run(["stats"], dataDir: home)
        #expect(elsewhere.stdout.hasPrefix("Today: 0 answered, 0 correct."))

        // A one-shot drill reads its answers from the pipe too.
        let drill = try Sapro.run(
            ["drill", "zeta-mode", "--data-dir", data.path, "--content", content.path],
            input: lines(Array(zetaAnswers.suffix(2))), dataDir: home)
        #expect(drill.status == 0)
        #expect(drill.stdout.hasPrefix("Drill: 2 questions on notes/zeta-mode.\n"))
        #expect(drill.stdout.hasSuffix("Drill finished: 2 answered, 2 correct.\n"))
        #expect(try reviews(data).count == 3)
    }
}
