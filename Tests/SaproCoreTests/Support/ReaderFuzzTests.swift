import Foundation
import Testing
@testable import SaproCore

/// Every reader of a file the user can hand sapro, fed mutated copies of real files with a fixed
/// seed: each must return a value or an error, never trap, and what it accepts stays within the
/// limits the rest of the app relies on. (`bench/reliability` runs the same kinds of inputs longer.)
@Suite struct ReadersOfUserFilesUnderFuzzing {
    static let runs = 250

    /// A mutated copy of `text`: bytes changed, structural text inserted, spans dropped or repeated.
    static func mutate(_ text: [UInt8], _ random: inout SplitMix64) -> [UInt8] {
        var bytes = text
        let pieces = Array(#"{}[],:"\ -0e.9x[x]- ##\n|`<>"#.utf8) + [0, 0xFF, 0xC3, 0x0A]
        for _ in 0..<(1 + Int(random.next() % 6)) {
            guard !bytes.isEmpty else { bytes = [0x7B]; continue }
            let at = Int(random.next() % UInt64(bytes.count))
            switch random.next() % 5 {
            case 0: bytes[at] = UInt8(truncatingIfNeeded: random.next())
            case 1: bytes.insert(pieces[Int(random.next() % UInt64(pieces.count))], at: at)
            case 2: bytes.removeSubrange(at..<min(bytes.count, at + Int(random.next() % 64)))
            case 3:
                // A span repeated many times: long lines, many options, deep nesting.
                let span = Array(bytes[at..<min(bytes.count, at + 1 + Int(random.next() % 40))])
                for _ in 0..<Int(random.next() % 300) { bytes.insert(contentsOf: span, at: at) }
            default: bytes.insert(contentsOf: bytes[at..<min(bytes.count, at + 200)], at: at)
            }
        }
        return bytes
    }

    static func fuzz(_ seed: UInt64, _ sample: String, _ read: (String) -> Void) {
        var random = SplitMix64(seed: seed)
        let bytes = Array(sample.utf8)
        for _ in 0..<runs { read(String(decoding: mutate(bytes, &random), as: UTF8.self)) }
    }

    @Test func quizFilesForQuizTake() throws {
        let quiz = try QuizBuilder(catalog: Repo.catalog, cards: [], bank: QuizTests.bank).build(count: 6, seed: 3)
        var accepted = 0, refused = 0
        Self.fuzz(1, quiz.jsonText()) { text in
            let read: Quiz
            do throws(QuizError) {
                read = try Quiz(json: text)
            } catch {
                // Refused with a message of its own kind, not a trap.
                if case .badQuizFile = error { refused += 1 }
                return
            }
            accepted += 1
            for question in read.questions {
                #expect(question.body.optionLines.count <= QuestionLimits.choices)
                #expect(question.prompt.count <= QuestionLimits.text)
            }
        }
        // A quiz with 300 choices is refused with a message, not a trap.
        var exported = try JSONSerialization.jsonObject(with: Data(quiz.jsonText().utf8)) as! [String: Any]
        var questions = exported["questions"] as! [[String: Any]]
        questions[0]["kind"] = "single-choice"
        questions[0]["choices"] = (0..<300).map { "option \($0)" }
        questions[0]["answer"] = "a"
        exported["questions"] = questions
        let text = String(decoding: try JSONSerialization.data(withJSONObject: exported), as: UTF8.self)
        #expect(throws: QuizError.badQuizFile(reason: "300 choices; at most 26 (a to z)", question: 1)) { try Quiz(json: text) }
        #expect(accepted + refused == Self.runs)
        #expect(refused > 0)
    }

    @Test func banksAndBlueprints() throws {
        let known = Set(Repo.shipped.library.topicIDs)
        for name in try FileManager.default.contentsOfDirectory(atPath: Repo.quizzes.path).sorted()
        where name.hasSuffix(".md") || name.hasSuffix(".blueprint") {
            let sample = try Repo.text(Repo.quizzes.appendingPathComponent(name))
            Self.fuzz(StableHash.fnv1a(name), sample) { text in
                let catalog = QuizLoader.check([QuizFile(name: name, text: text)], knownTopics: known)
                for question in catalog.questions { #expect(question.body.optionLines.count <= QuestionLimits.choices) }
                for problem in catalog.problems { #expect(!problem.description.isEmpty) }
            }
        }
    }

    @Test func documentsAndErrata() throws {
        let document = try Repo.text(Repo.content.appendingPathComponent("container-networking-deep-dive.md"))
        // The whole document is long: fuzz a few slices of it, each a document of its own.
        let lines = document.split(separator: "\n", omittingEmptySubsequences: false)
        for start in stride(from: 0, to: lines.count, by: max(lines.count / 4, 1)) {
            let slice = lines[start..<min(lines.count, start + 120)].joined(separator: "\n")
            var random = SplitMix64(seed: UInt64(start))
            for _ in 0..<(Self.runs / 8) {
                let text = String(decoding: Self.mutate(Array(slice.utf8), &random), as: UTF8.self)
                let parsed = DocumentParser.parse(text, file: "fuzz.md", stem: "fuzz")
                #expect(parsed.topics.allSatisfy { !$0.id.isEmpty })
            }
        }
        let errata = try Repo.text(Repo.content.appendingPathComponent("container-networking-deep-dive.errata.md"))
        Self.fuzz(5, errata) { text in _ = ErrataParser.parse(text, file: "fuzz.errata.md") }
    }

    /// Found by the fuzz below when JSON key order varied: a hand-edited value outside what `set`
    /// allows is refused, not scheduled with.
    @Test func aSettingsFileWithAValueOutOfRangeIsNotUsed() throws {
        for (key, value) in [
            ("desiredRetention", "9"), ("newCardsPerDay", "-4"), ("maximumInterval", "0"), ("learningSteps", "[-60]"),
        ] {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sapro-range-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            try Data(#"{"schemaVersion":1,"\#(key)":\#(value)}"#.utf8).write(to: dir.appendingPathComponent("settings.json"))
            let (loaded, problem) = Settings.loadOrDefaults(from: dir)
            #expect(problem != nil, "\(key) \(value)")
            #expect(loaded == Settings())
        }
    }

    @Test func settingsExamFilesAndReplayLines() throws {
        // Sorted keys: the same sample, so the same mutations, on every run.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let settings = String(decoding: try encoder.encode(Settings()), as: UTF8.self)
        Self.fuzz(6, settings) { text in
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sapro-fuzz-\(UUID().uuidString)")
            try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try? Data(text.utf8).write(to: dir.appendingPathComponent("settings.json"))
            let (loaded, problem) = Settings.loadOrDefaults(from: dir)
            if problem == nil { #expect((0.70...0.99).contains(loaded.desiredRetention) && loaded.maximumInterval >= 1) }
            try? FileManager.default.removeItem(at: dir)
        }
        let quizzes = QuizLoader.load(directory: Repo.quizzes, knownTopics: Set(Repo.shipped.library.topicIDs))
        let blueprint = try #require(quizzes.blueprints.first)
        try #require(quizzes.questions.count >= 4, "the shipped banks do not load: \(quizzes.problems.prefix(3))")
        var session = ExamSession(
            id: "exam-x", blueprint: blueprint, questions: Array(quizzes.questions.prefix(4)), seed: 1,
            started: Date(timeIntervalSince1970: 1_800_000_000))
        _ = session.answer(0, "a")
        let exam = String(decoding: try ExamFiles.encoder.encode(session), as: UTF8.self)
        Self.fuzz(7, exam) { text in
            guard let read = try? ExamFiles.read(Data(text.utf8)) else { return }
            // An exam that reads resumes without trapping on its own arrays.
            var run = ExamRun(session: read)
            _ = run.handle("next", spent: 1)
            _ = run.handle("review", spent: 1)
        }
        // An exam file whose lists disagree with its questions is refused, not resumed.
        var broken = try JSONSerialization.jsonObject(with: Data(exam.utf8)) as! [String: Any]
        broken["answers"] = ["a"]
        #expect(throws: (any Error).self) { try ExamFiles.read(try JSONSerialization.data(withJSONObject: broken)) }
        let replay = #"{"card":"c1","time":"2024-03-01T15:46:00Z","rating":3}"#
        Self.fuzz(8, replay) { text in
            Array(text.utf8).withUnsafeBufferPointer { b in
                var scanner = FlatObjectScanner(bytes: b, position: 0, end: b.count, line: 1)
                _ = try? scanner.scanReview()
            }
        }
    }
}
