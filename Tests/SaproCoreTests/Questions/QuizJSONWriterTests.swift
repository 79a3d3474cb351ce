import Foundation
import Testing
@testable import SaproCore

/// `QuizJSONWriter` must give exactly the bytes `JSONEncoder` gives (`encodedJSONText()`).
@Suite struct QuizJSONWriterTests {
    /// Strings with every kind of escape, `/`, non-ASCII text, and empty containers.
    static let awkward: [Question] = [
        Question(
            id: "gen:1", source: .generator(id: "gen", seed: UInt64.max),
            prompt: "Quote \" backslash \\ slash / tab \t cr \r bs \u{8} ff \u{c} nul \u{0} us \u{1f} × − 🙂",
            body: .numeric(answer: -3, unit: nil), explanation: [], topics: [],
            params: [:], value: -3),
        Question(
            id: "gen:2", source: .generator(id: "gen", seed: 0),
            prompt: "Params", body: .numeric(answer: 1, unit: "pods"), explanation: ["a", "", "b\nc"], topics: ["t"],
            params: [
                "b": .array([]), "a": .object([:]), "Z": .null, "_": .bool(true), "aa": .bool(false),
                "nested": .object(["y": .array([.int(1), .string("x"), .object(["k": .null])]), "x": .int(-7)]),
                "é": .string("ü"),
            ]),
        Question(
            id: "card:x", source: .card(id: "card:x"), prompt: "Recall", body: .recall(answer: "yes"),
            explanation: ["One"], topics: ["a", "b"], erratum: "Fixed / \"here\""),
        Question(
            id: "bank:o", source: .bank(file: "Quizzes/x.json", id: "bank:o"), prompt: "Order",
            body: .ordering(items: ["one", "two"], order: [1, 0]), explanation: ["Why"], topics: ["a"]),
        Question(
            id: "bank:m", source: .bank(file: "f", id: "bank:m"), prompt: "Many",
            body: .multipleChoice(
                choices: [
                    Choice(text: "A"), Choice(text: "B", misconception: Misconception(id: "m1", summary: "S1")),
                    Choice(text: "C"), Choice(text: "D", misconception: Misconception(id: "m2", summary: "S/2")),
                ], correct: [0, 2]),
            explanation: ["x"], topics: ["a"], domain: .migrationModernization),
    ]

    @Test func awkwardQuestionsMatchTheEncoder() throws {
        let quiz = Quiz(seed: 42, questions: Self.awkward, unscored: [1, 3])
        #expect(try quiz.jsonText() == quiz.encodedJSONText())
        let empty = Quiz(seed: 0, questions: [])
        #expect(try empty.jsonText() == empty.encodedJSONText())
        let one = Quiz(seed: 9, questions: [Self.awkward[2]])
        #expect(try one.jsonText() == one.encodedJSONText())
    }

    /// The awkward questions hold every field of the exported format between them, so a field
    /// added to `ExportedQuestion` (or `ExportedQuiz`) is compared byte for byte as soon as it
    /// exists: the writer then fails the test above until it writes the field too.
    @Test func theAwkwardQuestionsUseEveryFieldOfTheFormat() throws {
        let text = try Quiz(seed: 42, questions: Self.awkward, unscored: [0]).encodedJSONText()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let sample = Quiz.ExportedQuestion(id: "", kind: "", topic: "", topics: [], prompt: "", answer: "", explanation: "")
        #expect(
            Set(object.keys) == Set(Mirror(reflecting: Quiz.ExportedQuiz(seed: 0, questions: [])).children.compactMap(\.label)))
        let questions = try #require(object["questions"] as? [[String: Any]])
        let written = Set(questions.flatMap(\.keys))
        #expect(written == Set(Mirror(reflecting: sample).children.compactMap(\.label)))
    }

    @Test func generatedQuizMatchesTheEncoder() throws {
        let quiz = try QuizBuilder(catalog: Reference.catalog, cards: QuizTests.cards, bank: QuizTests.bank)
            .build(count: 400, seed: 7)
        #expect(try quiz.jsonText() == quiz.encodedJSONText())
    }

    @Test(arguments: [0.5, 3.0, -0.0, 1e-7, 1.5e300, 0.1 + 0.2, -2.25e-5, 123456789.125])
    func doublesAreWrittenAsTheEncoderWritesThem(value: Double) throws {
        var question = Self.awkward[1]
        question.params = ["ratio": .double(value), "list": .array([.double(value), .int(2)])]
        let quiz = Quiz(seed: 1, questions: [question, Self.awkward[0]])
        #expect(try quiz.jsonText() == quiz.encodedJSONText())
    }

    @Test func aQuizWrittenInBatchesIsTheSameText() throws {
        let builder = QuizBuilder(catalog: Reference.catalog, cards: QuizTests.cards, bank: QuizTests.bank)
        let whole = try builder.build(count: 150, seed: 21)
        var writer = QuizJSONWriter(capacity: 16)
        var text: [UInt8] = []
        var batches = 0
        writer.begin()
        try builder.stream(count: 150, seed: 21, batchSize: 40) { batch in
            batches += 1
            for question in batch { writer.append(question) }
            text += writer.buffer
            writer.removeAll()
        }
        writer.end(seed: 21)
        text += writer.buffer
        #expect(batches == 4)
        #expect(String(decoding: text, as: UTF8.self) == whole.jsonText())

        // Questions encoded where they are made (on the generators' threads), written in order.
        var encoded = QuizJSONWriter(capacity: 16)
        encoded.begin()
        try builder.stream(count: 150, seed: 21, batchSize: 64, prepare: QuizJSONWriter.encode) { batch in
            for text in batch { encoded.append(encoded: text) }
            return true
        }
        encoded.end(seed: 21)
        #expect(String(decoding: encoded.buffer, as: UTF8.self) == whole.jsonText())
    }

    @Test func writingToAFileStreamsTheSameText() throws {
        let quiz = try QuizBuilder(catalog: Reference.catalog, cards: QuizTests.cards, bank: QuizTests.bank)
            .build(count: 300, seed: 3)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sapro-writer-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        for format in QuizFormat.allCases {
            try quiz.write(format, toFile: path)
            #expect(try String(contentsOfFile: path, encoding: .utf8) == quiz.render(format))
        }
    }
}

@Suite struct EscapeScanTests {
    static func needsEscape(_ word: UInt64) -> Bool {
        (0..<8).contains { lane in
            let byte = UInt8(truncatingIfNeeded: word >> (lane * 8))
            return byte < 0x20 || byte == 0x22 || byte == 0x5C
        }
    }

    @Test func everyByteInEveryLaneIsJudgedExactly() {
        let plain = UInt64(0x6161_6161_6161_6161)  // "aaaaaaaa"
        for byte in 0...255 {
            for lane in 0..<8 {
                let word = plain & ~(UInt64(0xFF) << (lane * 8)) | UInt64(byte) << (lane * 8)
                #expect(JSONText.mayNeedEscape(word) == Self.needsEscape(word), "byte \(byte) lane \(lane)")
            }
        }
    }

    @Test func randomWordsAreJudgedExactly() {
        var random = SplitMix64(seed: 99)
        var wrong: [UInt64] = []
        for _ in 0..<200_000 {
            // Bias towards the interesting bytes so mixed words are common.
            var word: UInt64 = 0
            for lane in 0..<8 {
                let pick = random.next() % 8
                let byte: UInt64 =
                    pick == 0 ? random.next() % 0x20 : pick == 1 ? 0x22 : pick == 2 ? 0x5C : 0x20 + random.next() % 0xE0
                word |= byte << (lane * 8)
            }
            if JSONText.mayNeedEscape(word) != Self.needsEscape(word) { wrong.append(word) }
        }
        #expect(wrong.isEmpty, "misjudged words: \(wrong.prefix(5).map { String($0, radix: 16) })")
    }
}
