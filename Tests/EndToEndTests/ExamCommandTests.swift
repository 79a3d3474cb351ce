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

/// `quiz generate --blueprint B --seed S` is exactly the form `exam B --seed S` presents.
@Test func aGeneratedFormIsTheExamsForm() throws {
    let form = try Sapro.run(["quiz", "generate", "--blueprint", "container-networking", "--seed", "21", "--format", "json"])
    #expect(form.status == 0, "\(form.stderr)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(form.stdout.utf8)) as? [String: Any])
    let items = try #require(object["questions"] as? [[String: Any]])
    #expect(items.count == 75)
    #expect(items.filter { $0["scored"] as? Bool == true }.count == 65)
    #expect(
        items.allSatisfy { ["single-choice", "multiple-choice"].contains($0["kind"] as? String ?? "") && $0["domain"] is String })
    let dataDir = Sapro.temporaryDirectory()
    let exam = try Sapro.run(["exam", "container-networking", "--seed", "21"], input: "quit\n", dataDir: dataDir)
    #expect(exam.stdout.contains("75 questions (10 of them unscored, not identified), 180 minutes"), "\(exam.stdout.prefix(300))")
    let examsDir = dataDir.appendingPathComponent("exams")
    let file = try #require(try FileManager.default.contentsOfDirectory(atPath: examsDir.path).first)
    let saved = try #require(
        try JSONSerialization.jsonObject(with: Data(contentsOf: examsDir.appendingPathComponent(file))) as? [String: Any])
    let savedIDs = (saved["questions"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    #expect(savedIDs == items.compactMap { $0["id"] as? String })
    let unscored = Set((saved["unscoredItems"] as? [Int]) ?? [])
    #expect(unscored == Set(items.indices.filter { items[$0]["scored"] as? Bool == false }))
}

/// Review mode explains each answer at once; section mode keeps one domain at the blueprint's pace;
/// `exam review N` walks a submitted exam.
@Test func reviewAndSectionModesAndWalkingAPastExam() throws {
    let dataDir = Sapro.temporaryDirectory()
    let review = try Sapro.run(
        ["exam", "container-networking", "--mode", "review", "--questions", "2", "--seed", "4"],
        input: "a\na,b\na\na,b\nsubmit\nyes\n",
        dataDir: dataDir)
    #expect(review.status == 0, "\(review.stderr)")
    #expect(review.stdout.contains("untimed review mode"))
    #expect(review.stdout.contains("review mode, untimed"))
    #expect(review.stdout.contains("Why:") || review.stdout.contains("Source"))
    #expect(review.stdout.contains("By domain"))
    let section = try Sapro.run(
        ["exam", "container-networking", "--domain", "migration-modernization", "--questions", "5", "--seed", "4"],
        input: "quit\n", dataDir: dataDir)
    #expect(section.status == 0, "\(section.stderr)")
    // 5 of 75 items at 180 minutes is 12 minutes.
    #expect(section.stdout.contains("5 questions, 12 minutes"), "\(section.stdout.prefix(300))")
    // Two exams started in the same second with the same seed keep a file each.
    let files = try FileManager.default.contentsOfDirectory(atPath: dataDir.appendingPathComponent("exams").path)
    #expect(files.count == 2, "\(files)")
    let walk = try Sapro.run(["exam", "review", "1"], dataDir: dataDir)
    #expect(walk.status == 0, "\(walk.stderr)")
    #expect(walk.stdout.contains("#1 "))
    #expect(walk.stdout.contains("#2 "))
    // Single-answer items took "a", choose-two items "a,b" (the other is refused as the wrong shape).
    #expect(walk.stdout.contains("(your answer: a"))
    #expect(!walk.stdout.contains("unanswered (your answer"))
    let missing = try Sapro.run(["exam", "review", "9"], dataDir: dataDir)
    #expect(missing.status == 1)
    #expect(missing.stderr.contains("exam 9 does not exist: 'exam history' numbers them 1 to 1"))
    let bad = try Sapro.run(["exam", "--domain", "migration"], dataDir: dataDir)
    #expect(bad.status != 0)
}

/// `exam --topic` takes a topic's last part, as `quiz --topic` and `read` do.
@Test func aTopicSectionTakesTheTopicsLastPart() throws {
    let dataDir = Sapro.temporaryDirectory()
    let run = try Sapro.run(
        ["exam", "container-networking", "--topic", "vpc-cni-plugin", "--questions", "3", "--seed", "2"], input: "quit\n",
        dataDir: dataDir)
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("3 questions"), "\(run.stdout.prefix(300))")
    let examsDir = dataDir.appendingPathComponent("exams")
    let file = try #require(try FileManager.default.contentsOfDirectory(atPath: examsDir.path).first)
    let saved = try #require(
        try JSONSerialization.jsonObject(with: Data(contentsOf: examsDir.appendingPathComponent(file))) as? [String: Any])
    let topics = (saved["questions"] as? [[String: Any]] ?? []).map { ($0["topics"] as? [String]) ?? [] }
    #expect(topics.count == 3)
    #expect(topics.allSatisfy { $0.contains("amazon-eks-networking/vpc-cni-plugin") })
}
