import Foundation
import Testing

@Suite(.serialized) struct HelpEverywhereTests {
    /// The help of `calc max-pods` starts with its own abstract.
    static let maxPodsHelp = "OVERVIEW: EKS max pods per node"

    @Test(arguments: ["help calc max-pods", "calc max-pods --help", "calc help max-pods"])
    func subcommandHelpInTheREPL(_ line: String) throws {
        let result = try Sapro.run([], input: line + "\n")
        #expect(result.status == 0, "\(line): \(result.stderr)")
        #expect(result.stdout.contains(Self.maxPodsHelp), "\(line)")
        #expect(result.stdout.contains("--custom-networking"), "\(line)")
        #expect(!result.stderr.contains("error"), "\(line): \(result.stderr)")
    }

    @Test(arguments: [["help", "calc", "max-pods"], ["calc", "max-pods", "--help"], ["calc", "help", "max-pods"]])
    func subcommandHelpFromTheShell(_ arguments: [String]) throws {
        let result = try Sapro.run(arguments)
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        #expect(result.stdout.contains(Self.maxPodsHelp), "\(arguments)")
    }

    @Test func quizHelpGenerateShowsTheGenerateOptions() throws {
        let result = try Sapro.run([], input: "quiz help generate\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("--format"))
        #expect(!result.stderr.contains("invalid for '<count>'"))
    }

    @Test func searchingForTheWordHelpIsASearch() throws {
        let result = try Sapro.run([], input: "search help\n")
        #expect(!result.stdout.contains("OVERVIEW"))
    }
}

@Suite(.serialized) struct DamagedFilesTests {
    @Test func aPipedSessionWithAFailedCommandExitsOne() throws {
        let bad = try Sapro.run([], input: "bogus\nstats\n")
        #expect(bad.status == 1)
        #expect(bad.stdout.contains("Today:"))  // the session went on
        let good = try Sapro.run([], input: "stats\n")
        #expect(good.status == 0)
    }

    @Test func aBadSettingsFileGivesDefaultsAWarningWithItsLineAndIsLeftAsItIs() throws {
        let data = Sapro.temporaryDirectory()
        let settings = data.appendingPathComponent("settings.json")
        let damaged = Data("{\"schemaVersion\": 1,\n  \"newCardsPerDay\": 30,\n  \"fuzz\": maybe\n}\n".utf8)
        try damaged.write(to: settings)
        let result = try Sapro.run([], input: "stats\nsettings\nset fuzz off\nquit\n", dataDir: data)
        #expect(result.stdout.contains("Today:"))
        #expect(
            result.stdout.contains("new-cards-per-day  20") || result.stdout.contains("new-cards-per-day 20")
                || result.stdout.contains("20"))
        // One warning, naming the file and the line, at start-up only.
        #expect(result.stderr.components(separatedBy: "warning: ").count - 1 == 1, "\(result.stderr)")
        #expect(result.stderr.contains("settings.json:3: cannot be read"))
        #expect(result.stderr.contains("using the default settings for this run"))
        // `set` refuses to replace it, and the file is byte for byte what it was.
        #expect(result.stderr.contains("sapro will not replace it"))
        #expect(result.status == 1)
        #expect(try Data(contentsOf: settings) == damaged)
    }

    @Test func anUnreadableSnapshotIsRebuiltFromTheJournalWithOneMessage() throws {
        let data = Sapro.temporaryDirectory()
        _ = try Sapro.run(["dev", "simulate-history", "--cards", "20", "--reviews", "120", "--days", "6"], dataDir: data)
        let before = try Sapro.run(["stats"], dataDir: data).stdout
        let snapshot = data.appendingPathComponent("snapshot.json")
        let original = try Data(contentsOf: snapshot)
        let truncated = original.prefix(original.count / 2)
        try truncated.write(to: snapshot)
        let result = try Sapro.run([], input: "stats\nstats\n", dataDir: data)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.components(separatedBy: "\n").filter { !$0.isEmpty }.count == 1, "\(result.stderr)")
        #expect(result.stderr.contains("kept as snapshot.json.unreadable and your progress was rebuilt from the journal"))
        #expect(!result.stderr.contains("backups"))
        #expect(try Data(contentsOf: data.appendingPathComponent("snapshot.json.unreadable")) == truncated)
        // The same progress as before the damage.
        let firstStats = result.stdout.components(separatedBy: "Today:").dropFirst().first.map { "Today:" + $0 } ?? ""
        #expect(before.hasPrefix(firstStats.components(separatedBy: "\n").first ?? "?"))
        #expect(result.stdout.contains(before.components(separatedBy: "\n")[2]))
    }

    @Test func aMissingContentDirectoryIsAnError() throws {
        let result = try Sapro.run(["--content", "/nonexistent/notes", "topics"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--content /nonexistent/notes: no such directory"))
        #expect(!result.stderr.contains(":0:"))
    }
}

@Suite(.serialized) struct SmallerFindingsTests {
    @Test func undoInsideAQuizQuestionIsACommandNotAnAnswer() throws {
        let data = Sapro.temporaryDirectory()
        let result = try Sapro.run([], input: "quiz 1 --seed 2\nundo\nskip\n", dataDir: data)
        #expect(
            result.stdout.contains(
                "Answers here are not scheduled; 'undo' at the sapro> prompt takes back the last saved answer."))
        #expect(!result.stdout.contains("Can't grade that"))
        #expect(result.stdout.contains("Quiz score: 0/1 (0%), 1 skipped."))
    }

    @Test func quizGenerateTakesATopicsLastPartAsQuizDoes() throws {
        let result = try Sapro.run([
            "quiz", "generate", "--count", "3", "--format", "json", "--seed", "1", "--topic", "host-mode",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("amazon-ecs-networking/network-modes/host-mode"))
    }

    @Test func theRepeatHintKeepsTheTopic() throws {
        let result = try Sapro.run([], input: "quiz 2 --topic host-mode --seed 5\nquit\n")
        #expect(result.stdout.contains("'quiz 2 --topic host-mode --seed 5' repeats it"))
    }

    @Test func oneIsSingular() throws {
        // t3.micro has 2 ENIs (FACTS.md: awsvpc tasks = ENIs − 1).
        let result = try Sapro.run(["calc", "ecs-tasks", "t3.micro"])
        #expect(result.stdout.hasPrefix("t3.micro (awsvpc): 1 task\n"))
        #expect(result.stdout.contains("2 − 1 = 1 task."))
        #expect(!result.stdout.contains("1 tasks"))
    }

    @Test func flagsListsWhatWasFlaggedAndClearEmptiesIt() throws {
        let data = Sapro.temporaryDirectory()
        let none = try Sapro.run(["flags"], dataDir: data)
        #expect(none.stdout.contains("No flagged questions."))
        _ = try Sapro.run([], input: "quiz 1 --seed 2\nflag\nskip\n", dataDir: data)
        let listed = try Sapro.run(["flags"], dataDir: data)
        #expect(listed.stdout.hasPrefix("Flagged (1):\n"))
        _ = try Sapro.run(["flags", "clear"], dataDir: data)
        #expect(try Sapro.run(["flags"], dataDir: data).stdout.contains("No flagged questions."))
    }
}
