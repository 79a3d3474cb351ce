import Foundation
import Testing

/// Drives `sapro` in a pseudo-terminal, where it uses libedit: completion, Ctrl-C and Ctrl-D.
private final class PTYSession {
    let process = Process()
    let master: FileHandle
    private var output = Data()

    /// `locale`: LANG for the session (nil: LANG unset); LC_ALL and LC_CTYPE are always unset.
    init(dataDir: URL, arguments: [String] = [], locale: String?? = .none, extraEnvironment: [String: String] = [:]) throws {
        var masterFD: Int32 = 0, slaveFD: Int32 = 0
        var size = winsize(ws_row: 40, ws_col: 100, ws_xpixel: 0, ws_ypixel: 0)
        guard openpty(&masterFD, &slaveFD, nil, nil, &size) == 0 else { throw POSIXError(.EIO) }
        master = FileHandle(fileDescriptor: masterFD, closeOnDealloc: true)
        let slave = FileHandle(fileDescriptor: slaveFD, closeOnDealloc: true)
        // setsid --ctty makes the pty the controlling terminal, so Ctrl-C becomes SIGINT as for a user.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setsid")
        process.arguments = ["--ctty", Sapro.binary.path] + arguments
        var env = ProcessInfo.processInfo.environment
        env["SAPRO_HOME"] = dataDir.path
        env["TERM"] = "xterm"
        env["NO_COLOR"] = "1"
        if case .some(let lang) = locale {
            env["LC_ALL"] = nil
            env["LC_CTYPE"] = nil
            env["LANG"] = lang
        }
        for (k, v) in extraEnvironment { env[k] = v }
        process.environment = env
        process.standardInput = slave
        process.standardOutput = slave
        process.standardError = slave
        try process.run()
        _ = fcntl(masterFD, F_SETFL, fcntl(masterFD, F_GETFL) | O_NONBLOCK)
    }

    func send(_ text: String) {
        master.write(Data(text.utf8))
    }

    /// Presses a control key once libedit reads keys one at a time, as a learner does who sees
    /// the prompt first. libedit leaves the terminal canonical between lines and switches it just
    /// after it writes the prompt; a Ctrl-D typed in that moment is kept by the line discipline
    /// as end of line and reaches libedit as a NUL.
    func press(_ key: String, timeout: TimeInterval = 5) {
        let deadline = Date().addingTimeInterval(timeout)
        var settings = termios()
        // The master side reports the terminal's settings, which the REPL sets on its side.
        while Date() < deadline {
            if tcgetattr(master.fileDescriptor, &settings) == 0, settings.c_lflag & tcflag_t(ICANON) == 0 { break }
            usleep(1_000)
        }
        send(key)
    }

    /// Reads until `needle` appears in the output since the last call, or the timeout passes.
    @discardableResult
    func expect(_ needle: String, timeout: TimeInterval = 10) -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date() < deadline {
            let n = read(master.fileDescriptor, &buffer, buffer.count)
            if n > 0 { output.append(contentsOf: buffer[0..<n]) }
            let text = String(decoding: output, as: UTF8.self)
            if let range = text.range(of: needle) {
                // Keep what came after the match for the next expectation.
                output = Data(text[range.upperBound...].utf8)
                return String(text[..<range.upperBound])
            }
            if n <= 0 { usleep(20_000) }
        }
        return String(decoding: output, as: UTF8.self)
    }

    func waitForExit(timeout: TimeInterval = 10) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline {
            _ = expect("\u{0}", timeout: 0.05)
        }
        if process.isRunning {
            process.terminate()
            return nil
        }
        return process.terminationStatus
    }
}

@Test func inATerminalTabCompletesAndCtrlCDropsTheLineAndCtrlDLeaves() throws {
    let session = try PTYSession(dataDir: Sapro.temporaryDirectory())
    #expect(session.expect("]> ").contains("sapro [20 new]> "))
    // Completion of the command, then of a topic's last part: the completed line runs.
    session.send("rea\t")
    session.send("host-mo\t")
    session.send("--no-sub\t\r")
    let heading = "#### host Mode  [amazon-ecs-networking/network-modes/host-mode]"
    #expect(session.expect(heading).contains(heading))
    session.expect("> ")
    // Ctrl-C abandons the half-typed line: nothing of it runs.
    session.send("read bogus-topic-name")
    // Ctrl-C only once libedit has taken the keys (their echo), and the next line only at the
    // new prompt: a SIGINT that lands while libedit is busy rather than blocked in read() is
    // noticed when readline() returns, and drops whatever line that is.
    session.expect("bogus-topic-name")
    session.press("\u{03}")
    session.expect("> ")
    session.send("calc max-pods m5.lar\t\r")
    let output = session.expect("29 pods\r\n")
    #expect(output.contains("m5.large (secondary-ip), in a managed node group: 29 pods"))
    #expect(!output.contains("bogus"))
    #expect(!output.contains("error"))
    session.expect("> ")
    session.press("\u{04}")
    #expect(session.waitForExit() == 0)
}

// MARK: - Locales and data directories (issue: the REPL crashed when the prompt showed due and new)

/// A data directory in one of the states a returning learner meets.
private func dataDirectory(due: Bool, new: Bool) throws -> URL {
    let dir = Sapro.temporaryDirectory()
    if due {
        // A seeded history ending today: some of its cards are due now.
        _ = try Sapro.run(["dev", "simulate-history", "--cards", "20", "--reviews", "200", "--days", "10"], dataDir: dir)
    }
    if !new { _ = try Sapro.run(["set", "new-cards-per-day", "0"], dataDir: dir) }
    return dir
}

@Test func theREPLStartsAndRunsInEveryLocaleWhateverIsDueOrNew() throws {
    let states: [(due: Bool, new: Bool, prompt: String)] = [
        (false, false, "sapro> "), (true, false, " due]> "), (false, true, " new]> "), (true, true, " due, 20 new]> "),
    ]
    for state in states {
        let dir = try dataDirectory(due: state.due, new: state.new)
        for locale: String? in [nil, "C", "C.UTF-8", "en_US.UTF-8"] {
            let session = try PTYSession(dataDir: dir, locale: .some(locale))
            let start = session.expect("> ")
            #expect(start.contains(state.prompt), "LANG=\(locale ?? "unset") due=\(state.due) new=\(state.new): \(start)")
            // Text the C library has to decode, typed and echoed back through libedit.
            session.send("search 概要 ü\r")
            #expect(session.expect("No matches").contains("No matches"), "LANG=\(locale ?? "unset")")
            session.expect("> ")
            session.press("\u{04}")
            #expect(session.waitForExit() == 0, "LANG=\(locale ?? "unset") due=\(state.due) new=\(state.new)")
        }
    }
}

/// With a learner's notes, a start keeps a summary of the content; the next start shows its
/// prompt from it while the library loads, and the prompt is the same. A damaged summary or an
/// edited note only means one start that waits for the library.
@Test func withNotesTheSecondStartShowsTheSamePromptFromTheKeptSummary() throws {
    let dir = Sapro.temporaryDirectory()
    // With an exam date the prompt's new count is the plan's pace, which counts every card.
    let exam = ISO8601DateFormatter.string(
        from: Date().addingTimeInterval(30 * 86_400), timeZone: .current, formatOptions: [.withFullDate])
    _ = try Sapro.run(["set", "exam-date", exam], dataDir: dir)
    let notes = Sapro.temporaryDirectory()
    var note = "# Mine\n\n"
    for i in 1...300 { note += "Q: Which number follows \(i)?\nA: \(i + 1)\n\n" }
    try Data(note.utf8).write(to: notes.appendingPathComponent("mine.md"))
    let summary = dir.appendingPathComponent("cache/content.json")
    var starts = 0
    func start() throws -> String {
        starts += 1
        let session = try PTYSession(dataDir: dir, arguments: ["--content", notes.path])
        let prompt = session.expect("> ", timeout: 30)
        session.send("read mine\r")
        #expect(session.expect("Which number follows 300?", timeout: 30).contains("Which number follows 300?"), "start \(starts)")
        session.expect("> ", timeout: 30)
        // `quit`, not Ctrl-D: libedit prints the prompt a moment before it puts the terminal in
        // raw mode, and a Ctrl-D landing in that moment reaches it as a NUL (seen under load).
        session.send("quit\r")
        #expect(session.waitForExit(timeout: 30) == 0, "start \(starts)")
        guard let last = prompt.range(of: "sapro", options: .backwards) else { return prompt }
        return String(prompt[last.lowerBound...])
    }
    let first = try start()
    #expect(first.hasPrefix("sapro [") && first.hasSuffix(" new]> "), "\(first)")
    let kept = try String(contentsOf: summary, encoding: .utf8)
    #expect(kept.contains("card:mine#q-which-number-follows-300"))
    // A start that uses the summary leaves the file alone; one that loads first writes it anew
    // (through a new file renamed over it, so the inode tells the two apart).
    func inode() throws -> Int {
        try (FileManager.default.attributesOfItem(atPath: summary.path)[.systemFileNumber] as? Int) ?? -1
    }
    let written = try inode()
    #expect(try start() == first)
    #expect(try inode() == written, "the second start did not use the summary")
    #expect(try String(contentsOf: summary, encoding: .utf8) == kept)
    try Data(kept.prefix(100).utf8).write(to: summary)
    #expect(try start() == first)
    #expect(try inode() != written)
    #expect(try String(contentsOf: summary, encoding: .utf8) == kept)
    // 300 more cards: the plan's pace, and so the prompt, changes with them.
    for i in 301...600 { note += "Q: Which number follows \(i)?\nA: \(i + 1)\n\n" }
    try Data(note.utf8).write(to: notes.appendingPathComponent("mine.md"))
    let edited = try start()
    #expect(edited != first, "\(edited)")
    #expect(try String(contentsOf: summary, encoding: .utf8).contains("card:mine#q-which-number-follows-600"))
    #expect(try start() == edited)
}

@Test func aCardFallingDueWhileThePromptWaitsShowsInTheNextPrompt() throws {
    let dir = try dataDirectory(due: false, new: true)
    _ = try Sapro.run(["set", "learning-steps", "2s"], dataDir: dir)
    // Rate one recall card Again: due two seconds later.
    _ = try Sapro.run(["drill", "--limit", "1"], input: "\n1\n", dataDir: dir)
    for locale: String? in [nil, "C.UTF-8"] {
        let session = try PTYSession(dataDir: dir, locale: .some(locale))
        session.expect("> ")
        usleep(2_500_000)
        session.send("\r")
        #expect(session.expect("new]> ").contains("sapro [1 due, 19 new]> "), "LANG=\(locale ?? "unset")")
        session.press("\u{04}")
        #expect(session.waitForExit() == 0)
    }
}

@Test func inATerminalAnAgainCardComesBackInTheSameDrillAfterWaiting() throws {
    let dir = try dataDirectory(due: false, new: true)
    _ = try Sapro.run(["set", "learning-steps", "2s"], dataDir: dir)
    let session = try PTYSession(dataDir: dir, locale: .some(nil))
    session.expect("> ")
    session.send("drill --limit 1\r")
    session.expect("answer> ")
    session.send("\r")
    session.expect("easy: ")
    session.send("1\r")
    #expect(session.expect("[w] ").contains("Only learning steps are left (1 card); the next is due in 2 seconds."))
    session.send("w\r")
    let again = session.expect("answer> ")
    #expect(again.contains("[1/1] amazon-ecs-networking/network-modes/awsvpc-mode-recommended  (again: learning step)"))
    session.send("\r")
    session.expect("easy: ")
    session.send("3\r")
    #expect(session.expect("Drill finished").contains("Rated good (3)"))
    session.expect("> ")
    // Completion offers no hidden command: `help d` completes to `help drill`.
    session.send("help d\t\r")
    #expect(session.expect("USAGE: drill").contains("USAGE: drill"))
    session.expect("> ")
    session.press("\u{04}")
    #expect(session.waitForExit() == 0)
    // The command history holds the commands, not the answers typed inside questions.
    let history = try String(contentsOf: dir.appendingPathComponent("history"), encoding: .utf8)
    let entries = history.split(separator: "\n").dropFirst().map(String.init)
    #expect(entries.contains("drill\\040--limit\\0401") || entries.contains("drill --limit 1"), "\(entries)")
    #expect(!entries.contains("1") && !entries.contains("3") && !entries.contains("w"), "\(entries)")
}

@Test func inATerminalCtrlCLeavesAQuestionUngradedAndTwiceLeavesTheDrill() throws {
    let dir = Sapro.temporaryDirectory()
    let session = try PTYSession(dataDir: dir, locale: .some("C.UTF-8"))
    session.expect("> ")
    session.send("drill --limit 3\r")
    #expect(session.expect("answer> ").contains("[1/3]"))
    session.press("\u{03}")
    let next = session.expect("answer> ")
    #expect(next.contains("(Question left ungraded. Ctrl-C again to leave.)"))
    #expect(next.contains("[2/3]"))
    session.press("\u{03}")
    #expect(session.expect("Drill finished").contains("Drill finished"))
    #expect(session.expect("> ").contains("0 answered, 0 correct, 1 left ungraded."))
    session.press("\u{04}")
    #expect(session.waitForExit() == 0)
    // Nothing was recorded for the abandoned questions.
    let journal = (try? String(contentsOf: dir.appendingPathComponent("journal.jsonl"), encoding: .utf8)) ?? ""
    #expect(!journal.contains("\"type\":\"review\""))
}

/// Progress on notes that are not loaded now (left out of `--content`) stays in the files, but
/// the prompt, the drill and stats count only what a drill can ask.
@Test func cardsOfNotesNotLoadedAreKeptButNeitherDueNorCounted() throws {
    let dir = Sapro.temporaryDirectory()
    _ = try Sapro.run(["set", "learning-steps", "2s,10m"], dataDir: dir)
    _ = try Sapro.run(["set", "new-cards-per-day", "2"], dataDir: dir)
    let notes = Sapro.temporaryDirectory()
    try Data("# Mine\n\nQ: What is two plus two?\nA: four\n\nQ: What colour is a clear sky?\nA: blue\n".utf8)
        .write(to: notes.appendingPathComponent("mine.md"))
    // One note card rated Again (its next step two seconds later), one Good (ten minutes later).
    let drill = try Sapro.run(["drill", "mine", "--limit", "2", "--content", notes.path], input: "\n1\n\n3\n", dataDir: dir)
    #expect(drill.stdout.contains("Drill finished: 2 answered, 1 correct."), "\(drill.stdout)")
    usleep(2_500_000)
    // The last line of what came before the prompt: the prompt itself.
    func promptLine(_ session: PTYSession) -> String {
        String(session.expect("> ", timeout: 30).split(whereSeparator: \.isNewline).last ?? "")
    }

    // Without the notes nothing is due or due later, and both new cards of the day were used on them.
    let without = try PTYSession(dataDir: dir)
    let bare = promptLine(without)
    #expect(bare.hasSuffix("sapro> "), "\(bare)")
    without.send("stats\r")
    let stats = without.expect("Weakest topics")
    #expect(stats.contains("Memory: 0 cards studied"), "\(stats)")
    #expect(stats.contains("2 more studied cards are in content not loaded now; their progress is kept."), "\(stats)")
    #expect(!stats.contains("▇"), "\(stats)")
    without.expect("> ")
    without.send("drill\r")
    let nothing = without.expect("> ")
    #expect(nothing.contains("Nothing due and no new cards left today."), "\(nothing)")
    #expect(!nothing.contains("The next card is due"), "\(nothing)")
    without.press("\u{04}")
    #expect(without.waitForExit() == 0)

    // With them the Again card is due, whether the prompt comes after loading the notes (the first
    // start) or from the content summary (the second).
    for start in 1...2 {
        if start == 2 { #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("cache/content.json").path)) }
        let with = try PTYSession(dataDir: dir, arguments: ["--content", notes.path])
        let prompt = promptLine(with)
        #expect(prompt.hasSuffix("sapro [1 due]> "), "start \(start): \(prompt)")
        with.press("\u{04}")
        #expect(with.waitForExit() == 0)
    }
    // Inside the REPL the REPL's content stays, and a command's --content says it is ignored.
    let inside = try Sapro.run([], input: "stats --content \(notes.path)\nquit\n", dataDir: dir)
    #expect(inside.stderr.contains("--content is ignored"), "\(inside.stderr)")
    #expect(inside.stdout.contains("Memory: 0 cards studied"), "\(inside.stdout)")
    let oneShot = try Sapro.run(["stats", "--content", notes.path], dataDir: dir)
    #expect(oneShot.stdout.contains("Memory: 2 cards studied"), "\(oneShot.stdout)")
    #expect(!oneShot.stdout.contains("not loaded now"), "\(oneShot.stdout)")
    let journal = try String(contentsOf: dir.appendingPathComponent("journal.jsonl"), encoding: .utf8)
    #expect(journal.components(separatedBy: "\"type\":\"review\"").count - 1 == 2)
}
