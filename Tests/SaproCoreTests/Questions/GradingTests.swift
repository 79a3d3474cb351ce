import Testing
@testable import SaproCore

@Suite struct GradingTests {
    static let numeric = QuestionBody.numeric(answer: 29, unit: "pods")
    static let big = QuestionBody.numeric(answer: 1019, unit: "addresses")
    static let single = QuestionBody.singleChoice(
        choices: [
            Choice(text: "20 pods"),
            Choice(text: "29 pods"),
            Choice(text: "30 pods", misconception: Misconception(id: "document-max-pods-formula", summary: "wrong formula")),
            Choice(text: "32 pods", misconception: Misconception(id: "counted-eni-primary-addresses", summary: "primaries")),
        ],
        correct: 1)
    static let multiple = QuestionBody.multipleChoice(
        choices: [
            Choice(text: "A"), Choice(text: "B", misconception: Misconception(id: "m-b", summary: "b")), Choice(text: "C"),
            Choice(text: "D"),
        ],
        correct: [0, 2])
    static let ordering = QuestionBody.ordering(items: ["w", "x", "y", "z"], order: [2, 0, 1, 3])

    enum Expect: Sendable, Equatable {
        case correct
        case incorrect
        case shape
    }

    struct Row: Sendable, CustomStringConvertible {
        var body: QuestionBody
        var input: String
        var expect: Expect
        var description: String { "\(body.kind.rawValue) '\(input)'" }
    }

    static let rows: [Row] = [
        // Numbers, with units, spaces and separators.
        Row(body: numeric, input: "29", expect: .correct),
        Row(body: numeric, input: " 29 pods", expect: .correct),
        Row(body: numeric, input: "29 pods per node", expect: .correct),
        Row(body: numeric, input: "+29", expect: .correct),
        Row(body: numeric, input: "30", expect: .incorrect),
        Row(body: numeric, input: "b", expect: .shape),
        Row(body: numeric, input: "", expect: .shape),
        Row(body: numeric, input: "29 30", expect: .shape),
        Row(body: numeric, input: "29b", expect: .shape),
        Row(body: numeric, input: "-29", expect: .shape),
        Row(body: big, input: "1,019", expect: .correct),
        Row(body: big, input: "1019 addresses", expect: .correct),
        // Single choice: one letter, any case, light decoration.
        Row(body: single, input: "b", expect: .correct),
        Row(body: single, input: "B", expect: .correct),
        Row(body: single, input: " (b) ", expect: .correct),
        Row(body: single, input: "b)", expect: .correct),
        Row(body: single, input: "c", expect: .incorrect),
        Row(body: single, input: "e", expect: .shape),
        Row(body: single, input: "2", expect: .shape),
        Row(body: single, input: "a, b", expect: .shape),
        Row(body: single, input: "ab", expect: .shape),
        Row(body: single, input: "", expect: .shape),
        // An option's own text (or its first word, when only one option starts with it) picks it.
        Row(body: single, input: "29", expect: .correct),
        Row(body: single, input: "29 PODS", expect: .correct),
        // Multiple choice: all or nothing, exact count, no repeats.
        Row(body: multiple, input: "a, c", expect: .correct),
        Row(body: multiple, input: "c a", expect: .correct),
        Row(body: multiple, input: "C,A", expect: .correct),
        Row(body: multiple, input: "ac", expect: .correct),
        Row(body: multiple, input: "a, b", expect: .incorrect),
        Row(body: multiple, input: "a", expect: .shape),
        Row(body: multiple, input: "a, b, c", expect: .shape),
        Row(body: multiple, input: "a, a", expect: .shape),
        Row(body: multiple, input: "a, z", expect: .shape),
        Row(body: multiple, input: "1, 3", expect: .shape),
        // Ordering: item numbers or letters, every item exactly once.
        Row(body: ordering, input: "3 1 2 4", expect: .correct),
        Row(body: ordering, input: "3,1,2,4", expect: .correct),
        Row(body: ordering, input: "3124", expect: .correct),
        Row(body: ordering, input: "c a b d", expect: .correct),
        Row(body: ordering, input: "C A B D", expect: .correct),
        Row(body: ordering, input: "3 > 1 > 2 > 4", expect: .correct),
        Row(body: ordering, input: "1 2 3 4", expect: .incorrect),
        Row(body: ordering, input: "a b c d", expect: .incorrect),
        Row(body: ordering, input: "3 1 2", expect: .shape),
        Row(body: ordering, input: "3 1 2 4 5", expect: .shape),
        Row(body: ordering, input: "3 1 1 4", expect: .shape),
        Row(body: ordering, input: "3 1 2 9", expect: .shape),
        Row(body: ordering, input: "c 1 b d", expect: .shape),
        Row(body: ordering, input: "c a b e", expect: .shape),
        Row(body: ordering, input: "", expect: .shape),
    ]

    @Test(arguments: rows)
    func grading(_ row: Row) {
        let grade = row.body.grade(row.input)
        switch (row.expect, grade) {
        case (.correct, .correct), (.incorrect, .incorrect), (.shape, .wrongShape):
            break
        default:
            Issue.record("\(row): got \(grade)")
        }
    }

    @Test(arguments: [
        (numeric, "29"), (single, "b"), (multiple, "a, c"), (ordering, "3 1 2 4"),
        (QuestionBody.recall(answer: "awsvpc"), "awsvpc"),
    ])
    func expectedAnswerIsWhatAUserTypes(body: QuestionBody, answer: String) {
        #expect(body.expectedAnswer == answer)
    }

    @Test func singleChoiceDistractorNamesItsMisconception() {
        let grade = Self.single.grade("c")
        #expect(grade.misconception?.id == "document-max-pods-formula")
        #expect(grade.isCorrect == false)
        #expect(grade.message.contains("document-max-pods-formula"))
        #expect(Self.single.grade("a").misconception == nil)
    }

    @Test func multipleChoiceNamesMisconceptionsOfWrongPicks() {
        #expect(Self.multiple.grade("a, b").misconception?.id == "m-b")
    }

    @Test(arguments: [
        (numeric, "b", "'b' is not a whole number; type a number such as 29"),
        (single, "e", "'e' is not one of the options (letters a to d)"),
        (single, "a b", "choose one option, not 2"),
        (multiple, "a", "give exactly 2 letters, not 1"),
        (multiple, "a, a", "'a' appears more than once"),
        (ordering, "3 1 2", "give exactly 4 items, not 3"),
        (ordering, "c 1 b d", "use either letters or item numbers, not both"),
        (ordering, "3 1 2 9", "'9' is not one of the options (letters a to d or numbers 1 to 4)"),
    ])
    func wrongShapeMessages(body: QuestionBody, input: String, message: String) {
        guard case let .wrongShape(error) = body.grade(input) else {
            Issue.record("expected a wrong shape for '\(input)'")
            return
        }
        #expect(error.localizedDescription == message)
    }

    @Test func recallIsSelfRated() {
        let recall = QuestionBody.recall(answer: "tasks = ENIs − 1")
        #expect(recall.grade("tasks = ENIs − 1") == .wrongShape(.needsSelfRating))
        #expect(recall.grade(rating: .good).isCorrect == true)
        #expect(recall.grade(rating: .again).isCorrect == false)
        #expect(SelfRating(parsing: " 3 ") == .good)
        #expect(SelfRating(parsing: "Easy") == .easy)
        #expect(SelfRating(parsing: "n") == .again)
        #expect(SelfRating(parsing: "maybe") == nil)
    }

    @Test func wrongShapeIsNotGraded() {
        #expect(Self.numeric.grade("b").isCorrect == nil)
    }
}
