import Foundation
import Testing
@testable import SaproCore

/// `QuizJSONWriter` must give exactly the bytes `JSONEncoder` gives (`encodedJSONText()`).
@Suite struct QuizJSONWriterTests {
    /// Strings with every kind of escape, `/`, non-ASCII text, and empty containers.
    static let awkward: [Question] = [
        Question(id: "gen:1", source: .generator(id: "gen", seed: UInt64.max),
                 prompt: "Quote \" backslash \\ slash / tab \t cr \r bs \u{8} ff \u{c} nul \u{0} us \u{1f} × − 🙂",
                 body: .numeric(answer: -3, unit: nil), explanation: [], topics: [],
                 params: [:], value: -3),
        Question(id: "gen:2", source: .generator(id: "gen", seed: 0),
                 prompt: "Params", body: .numeric(answer: 1, unit: "pods"), explanation: ["a", "", "b\nc"], topics: ["t"],
                 params: [
                     "b": .array([]), "a": .object([:]), "Z": .null, "_": .bool(true), "aa": .bool(false),
                     "nested": .object(["y": .array([.int(1), .string("x"), .object(["k": .null])]), "x": .int(-7)]),
                     "é": .string("ü"),
                 ]),
        Question(id: "card:x", source: .card(id: "card:x"), prompt: "Recall", body: .recall(answer: "yes"),
                 explanation: ["One"], topics: ["a", "b"], erratum: "Fixed / \"here\""),
        Question(id: "bank:o", source: .bank(file: "Quizzes/x.json", id: "bank:o"), prompt: "Order",
                 body: .ordering(items: ["one", "two"], order: [1, 0]), explanation: ["Why"], topics: ["a"]),
        Question(id: "bank:m", source: .bank(file: "f", id: "bank:m"), prompt: "Many",
                 body: .multipleChoice(choices: [
                     Choice(text: "A"), Choice(text: "B", misconception: Misconception(id: "m1", summary: "S1")),
                     Choice(text: "C"), Choice(text: "D", misconception: Misconception(id: "m2", summary: "S/2")),
                 ], correct: [0, 2]),
                 explanation: ["x"], topics: ["a"]),
    ]

    @Test func awkwardQuestionsMatchTheEncoder() throws {
        let quiz = Quiz(seed: 42, questions: Self.awkward)
        #expect(try quiz.jsonText() == quiz.encodedJSONText())
        let empty = Quiz(seed: 0, questions: [])
        #expect(try empty.jsonText() == empty.encodedJSONText())
    }

    @Test func generatedQuizMatchesTheEncoder() throws {
        let quiz = try QuizBuilder(catalog: Reference.catalog, cards: QuizTests.cards, bank: QuizTests.bank)
            .build(count: 400, seed: 7)
        #expect(try quiz.jsonText() == quiz.encodedJSONText())
    }

    @Test func doublesFallBackToTheEncoder() throws {
        var question = Self.awkward[1]
        question.params = ["ratio": .double(0.5)]
        let quiz = Quiz(seed: 1, questions: [question])
        #expect(!QuizJSONWriter.canWrite(quiz))
        #expect(try quiz.jsonText() == quiz.encodedJSONText())
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
