import Foundation
import Testing

/// Studying for an exam date, through the commands a learner types.
@Suite struct StudyingForADate {
    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    static func day(_ offset: Int) -> String {
        ISO8601DateFormatter().string(from: Date().addingTimeInterval(Double(offset) * 86_400)).prefix(10).description
    }

    @Test func anExamDatePlansTheDaysPredictsThePassAndIsClearedWithNone() throws {
        let dir = Sapro.temporaryDirectory()
        let exam = Self.day(30)
        #expect(try Sapro.run(["set", "exam-date", exam], dataDir: dir).stdout == "exam-date = \(exam)\n")
        #expect(try Sapro.run(["set", "daily-minutes", "5"], dataDir: dir).status == 0)
        let bad = try Sapro.run(["set", "exam-date", "2027-02-30"], dataDir: dir)
        #expect(bad.status != 0 && bad.stderr.contains("a day like 2027-03-15"))
        #expect(try Sapro.run(["set", "exam-buffer-days", "0"], dataDir: dir).status != 0)

        // A new learner: everything is new, so the plan introduces it all before the buffer week.
        let stats = try Sapro.run(["stats"], dataDir: dir).stdout
        #expect(stats.contains("Exam \(exam): 30 days left") || stats.contains("Exam \(exam): 31 days left"), "\(stats)")
        #expect(stats.contains("new a day"))

        let report = try json(try Sapro.run(["report", "--format", "json"], dataDir: dir).stdout)
        let readiness = try #require(report["readiness"] as? [String: Any])
        let estimate = try #require(readiness["estimate"] as? [String: Any])
        let scenarios = try #require(estimate["scenarios"] as? [[String: Any]])
        #expect(scenarios.map { $0["name"] as? String } == ["stop studying now", "follow the plan"])
        // Nothing studied: a guess on every question, so passing is all but impossible now.
        #expect(try #require(scenarios[0]["passProbability"] as? Double) < 1e-6)
        #expect(
            try #require(scenarios[1]["expectedCorrect"] as? Double) > (try #require(scenarios[0]["expectedCorrect"] as? Double)))
        #expect(estimate["passCorrect"] as? Int == 47)
        let plan = try #require(readiness["plan"] as? [String: Any])
        #expect(plan["examDate"] as? String == exam)
        #expect(plan["feasible"] as? Bool == false, "all the material in three weeks of 5 minutes a day does not fit")
        #expect((plan["advice"] as? [String])?.first?.hasPrefix("The plan needs up to") == true)

        #expect(try Sapro.run(["set", "exam-date", "none"], dataDir: dir).stdout == "exam-date = none\n")
        let plain = try json(try Sapro.run(["report", "--format", "json"], dataDir: dir).stdout)
        let after = try #require(plain["readiness"] as? [String: Any])
        #expect(after["plan"] == nil)
        #expect(((after["estimate"] as? [String: Any])?["scenarios"] as? [Any])?.count == 1, "only today's estimate")
    }

    @Test func aMockExamFreezesItsPredictionsAndTheReportComparesThem() throws {
        let dir = Sapro.temporaryDirectory()
        for seed in 1...2 {
            let run = try Sapro.run(
                ["exam", "start", "container-networking-short", "--seed", "\(seed)"], input: "a\nsubmit\nyes\nquit\n",
                dataDir: dir)
            #expect(run.status == 0, "\(run.stderr)")
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("exams").path)
        #expect(files.count == 2)
        for name in files {
            let exam = try json(try String(contentsOf: dir.appendingPathComponent("exams/\(name)"), encoding: .utf8))
            let predictions = try #require(exam["predictions"] as? [[String: Double]])
            #expect(predictions.count == 20)
            // Nothing studied: mastery 0, success the guessing floor.
            #expect(predictions.allSatisfy { abs($0["success"]! - 0.25) < 1e-3 })
        }
        let report = try Sapro.run(["report"], dataDir: dir).stdout
        #expect(report.contains("Calibration on 2 mock exams (40 questions)"), "\(report)")
        #expect(report.contains("| predicted (mock exams) | questions | mean predicted | observed |"))
        let html = try Sapro.run(["report", "--format", "html"], dataDir: dir).stdout
        #expect(html.contains("aria-label=\"Reliability of readiness predictions on mock exams\""))
    }
}
