import Foundation
import Testing

/// `undo` takes back only what its own sapro saved: two processes on one data directory,
/// interleaving answers and undos, lose nothing the other saved.
@Suite struct UndoAcrossProcesses {
    /// A seed whose one-question practice quiz is single choice, so that `a` answers it: found
    /// from `quiz generate`, which draws the same first question, so the tests do not depend on
    /// what the content happens to hold.
    static let seed: Int = {
        for seed in 1...60 {
            guard let result = try? Sapro.run(["quiz", "generate", "--count", "1", "--seed", "\(seed)", "--format", "json"]),
                let object = try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
                let question = (object["questions"] as? [[String: Any]])?.first
            else { continue }
            if question["kind"] as? String == "single-choice" { return seed }
        }
        return 2
    }()

    /// The harness's reproduction: A opens the REPL and answers nothing; B answers a quiz
    /// question; then A types `undo`.
    @Test func anUndoInOneREPLLeavesAnotherProcesssAnswer() throws {
        let dir = Sapro.temporaryDirectory()
        let b = try Sapro.run(["quiz", "1", "--seed", "\(Self.seed)"], input: "a\nquit\n", dataDir: dir)
        #expect(b.stdout.contains("Saved."))
        let a = try Sapro.run([], input: "undo\nquit\n", dataDir: dir)
        #expect(a.stderr.contains("nothing of yours to undo"), "\(a.stderr)")
        #expect(a.stderr.contains("undo --session quiz-\(Self.seed)-"), "\(a.stderr)")
        let csv = try Sapro.run(["report", "--format", "csv"], dataDir: dir).stdout
        #expect(csv.split(separator: "\n").count == 2, "B's answer must still be there:\n\(csv)")
    }

    @Test func twoREPLsInterleavingAnswersAndUndosKeepEveryAnswerNotUndoneByItsOwnSession() throws {
        let dir = Sapro.temporaryDirectory()
        // (`quiz 1 --seed \(seed)` asks a single-choice question, so `a` is an answer.) The first REPL
        // answers, undoes its answer and answers again; the second then types `undo` before
        // answering once: it has saved nothing, so it must not take the first REPL's answer.
        for round in 1...3 {
            let first = try Sapro.run(
                [], input: "quiz 1 --seed \(Self.seed)\na\nundo\nquiz 1 --seed \(Self.seed)\na\nquit\n", dataDir: dir)
            #expect(first.stdout.contains("Undid your quiz answer 'a'"), "\(first.stdout)")
            let second = try Sapro.run([], input: "undo\nquiz 1 --seed \(Self.seed)\na\nquit\n", dataDir: dir)
            #expect(second.stderr.contains("nothing of yours to undo"), "\(second.stderr)")
            let rows = try Sapro.run(["report", "--format", "csv"], dataDir: dir).stdout.split(separator: "\n").count - 1
            #expect(rows == 2 * round)
        }
    }

    @Test func namingASessionUndoesItsNewestAnswerFromAnyProcess() throws {
        let dir = Sapro.temporaryDirectory()
        _ = try Sapro.run(["quiz", "1", "--seed", "\(Self.seed)"], input: "a\n", dataDir: dir)
        let refused = try Sapro.run(["undo"], dataDir: dir)
        #expect(refused.status == 1)
        let session = try #require(refused.stderr.firstMatch(of: #/--session (quiz-[^' ]+)/#)?.output.1)
        let named = try Sapro.run(["undo", "--session", String(session)], dataDir: dir)
        #expect(named.status == 0, "\(named.stderr)")
        #expect(named.stdout.contains("Undid your quiz answer 'a'"))
        #expect(try Sapro.run(["report", "--format", "csv"], dataDir: dir).stdout.split(separator: "\n").count == 1)
        let again = try Sapro.run(["undo", "--session", String(session)], dataDir: dir)
        #expect(
            again.status == 1 && again.stderr.contains("session '\(session)' has no answer that can still be undone"),
            "\(again.stderr)")
    }
}

/// The crash the independent harness found: `quiz take` on a question with more than 255 choices.
@Test func aQuizFileWithThreeHundredChoicesIsRefusedWithAMessage() throws {
    let dir = Sapro.temporaryDirectory()
    let choices = (0..<300).map { "\"option \($0)\"" }.joined(separator: ",")
    let file = dir.appendingPathComponent("wide.json")
    try Data(
        """
        {"seed": 1, "questions": [{"id": "q", "kind": "single-choice", "topic": "t", "topics": ["t"], "prompt": "Pick one",
        "choices": [\(choices)], "answer": "a", "explanation": ""}]}
        """.utf8
    ).write(to: file)
    let result = try Sapro.run(["quiz", "take", file.path], input: "a\n")
    #expect(result.status == 1, "\(result.stderr)")
    #expect(result.stderr.contains("question 1: 300 choices; at most 26 (a to z)"), "\(result.stderr)")
}
