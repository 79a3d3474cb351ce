import Foundation
import Testing

@Test func anExamResumesAfterQuitAndScoresOnSubmit() throws {
    let dataDir = Sapro.temporaryDirectory()
    let first = try Sapro.run(
        ["exam", "container-networking-short", "--questions", "3", "--seed", "5"],
        input: "flag\nreview\nquit\n", dataDir: dataDir)
    #expect(first.status == 0)
    #expect(first.stdout.contains("3 questions"))
    #expect(first.stdout.contains("Flagged question 1."))
    #expect(first.stdout.contains("Flagged: 1"))
    #expect(first.stdout.contains("Unanswered: 1, 2, 3"))
    #expect(first.stdout.contains("type 'exam' to resume"))

    // The second run resumes the same exam, and unanswered questions are confirmed before submitting.
    let second = try Sapro.run(["exam"], input: "submit\nno\nsubmit\nyes\n", dataDir: dataDir)
    #expect(second.stdout.contains("Resuming exam"))
    #expect(second.stdout.contains("0 of 3 answered"))
    #expect(second.stdout.contains("Not submitted."))
    #expect(second.stdout.contains("Score 100 / 1000 — FAIL (pass mark 750); 0 of 3 scored correct, 3 unanswered."))
    #expect(second.stdout.contains("By topic:"))
    #expect(second.stdout.contains("Wrong or unanswered:"))

    let history = try Sapro.run(["exam", "history"], dataDir: dataDir)
    #expect(history.stdout.contains("100    fail    0/3      container-networking-short"))
}

@Test func anExamRefusesAnswersOfTheWrongShapeAndAnUnknownBlueprint() throws {
    let dataDir = Sapro.temporaryDirectory()
    let run = try Sapro.run(
        ["exam", "container-networking-short", "--questions", "2", "--seed", "9"],
        input: "zzz\ngoto 7\nquit\n", dataDir: dataDir)
    #expect(run.stdout.contains("Can't take that:"))
    #expect(run.stdout.contains("Usage: goto N, with N from 1 to 2."))
    let unknown = try Sapro.run(["exam", "container-netwrking"], dataDir: Sapro.temporaryDirectory())
    #expect(unknown.status != 0)
    #expect(unknown.stderr.contains("unknown blueprint 'container-netwrking'; did you mean container-networking"))
}

@Test func reportsComeOutInEveryFormatAndSayWhenThereIsNoHistory() throws {
    let empty = try Sapro.run(["report"], dataDir: Sapro.temporaryDirectory())
    #expect(empty.status == 0)
    #expect(empty.stdout.contains("No reviews yet"))
    let dataDir = Sapro.temporaryDirectory()
    _ = try Sapro.run(
        ["dev", "simulate-history", "--cards", "80", "--reviews", "2000", "--days", "60", "--seed", "2"], dataDir: dataDir)
    for format in ["md", "html", "csv", "json"] {
        let out = dataDir.appendingPathComponent("report.\(format)")
        let run = try Sapro.run(["report", "--format", format, "--out", out.path, "--data-dir", dataDir.path])
        #expect(run.status == 0, "\(format): \(run.stderr)")
        let text = try String(contentsOf: out, encoding: .utf8)
        switch format {
        case "md": #expect(text.hasPrefix("# sapro progress report"))
        case "html": #expect(text.hasPrefix("<!DOCTYPE html>") && text.contains("<svg"))
        case "csv": #expect(text.hasPrefix("time,day,card,mode,rating") && text.split(separator: "\n").count > 300)
        default: #expect(text.contains("\"schemaVersion\" : 1"))
        }
    }
    let bad = try Sapro.run(["report", "--format", "pdf"], dataDir: dataDir)
    #expect(bad.status != 0 && bad.stderr.contains("Please provide one of 'md', 'html', 'csv' or 'json'"))
}
