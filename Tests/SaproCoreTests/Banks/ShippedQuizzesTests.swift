import Foundation
import Testing
@testable import SaproCore

/// Checks the repository's own `Quizzes/` directory.
@Suite struct BankShippedQuizzesTests {
    static let catalog = QuizLoader.load(directory: SubjectTopics.quizzesDirectory, knownTopics: SubjectTopics.known)

    @Test func shippedFilesHaveNoProblems() {
        #expect(Self.catalog.problems.map(\.description) == [])
    }

    @Test func shippedBanksHoldAtLeastFortyQuestions() {
        #expect(Self.catalog.questions.count >= 40)
    }

    @Test func everyShippedOptionHasAnExplanation() {
        for question in Self.catalog.questions {
            #expect(!question.explanation.isEmpty, "\(question.id) has no explanation")
            switch question.body {
            case let .singleChoice(choices, _), let .multipleChoice(choices, _):
                for choice in choices {
                    #expect(!(choice.explanation ?? "").isEmpty, "\(question.id): '\(choice.text)' has no explanation")
                }
            case .ordering, .numeric, .recall:
                break
            }
        }
    }

    @Test(arguments: SubjectTopics.leaves)
    func everyLeafTopicIsDrilledByAtLeastThreeQuestions(_ topic: String) {
        let count = Self.catalog.questions.filter { $0.topics.contains(topic) }.count
        #expect(count >= 3, "\(topic) has \(count) questions")
    }

    @Test func shippedBanksMixSingleMultipleAndOrderingQuestions() {
        let kinds = Dictionary(grouping: Self.catalog.questions, by: \.kind).mapValues(\.count)
        #expect((kinds[.singleChoice] ?? 0) >= 20)
        #expect((kinds[.multipleChoice] ?? 0) >= 8)
        #expect((kinds[.ordering] ?? 0) >= 2)
    }

    @Test func multipleChoicePromptsSayHowManyToChoose() {
        for question in Self.catalog.questions {
            guard case let .multipleChoice(_, correct) = question.body else { continue }
            #expect(question.prompt.contains("(Choose \(BankIssue.word(correct.count)).)"), "\(question.id)")
        }
    }

    @Test func shipsTheFullAndShortContainerNetworkingBlueprints() throws {
        let full = try #require(Self.catalog.blueprint("container-networking"))
        // SAP-C02: 65 scored and 10 unscored items, 180 minutes (AWS exam guide, FACTS.md).
        #expect((full.questionCount, full.unscored, full.minutes, full.passMark) == (65, 10, 180, 750))
        let short = try #require(Self.catalog.blueprint("container-networking-short"))
        #expect((short.questionCount, short.minutes, short.passMark) == (20, 48, 750))
        #expect(short.weights == full.weights)
        #expect(short.domains == full.domains)
        // Every weighted topic has bank questions to draw from.
        for weight in full.weights {
            #expect(Self.catalog.questions.contains { $0.topics.contains(where: weight.covers) }, "\(weight.topic)")
        }
    }

    @Test func readmeExampleBankParsesCleanly() throws {
        let readme = try String(contentsOf: SubjectTopics.quizzesDirectory.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.range(of: "## A complete example bank file"))
        let rest = readme[section.upperBound...]
        let open = try #require(rest.range(of: "```\n"))
        let close = try #require(rest[open.upperBound...].range(of: "\n```"))
        let example = String(rest[open.upperBound..<close.lowerBound])
        let questions = try BankParser(knownTopics: SubjectTopics.known).parse(QuizFile(name: "example.md", text: example)).get()
        #expect(questions.map(\.kind) == [.numeric, .multipleChoice, .ordering])
    }

    @Test func aMissingDirectoryIsOneProblem() {
        let missing = SubjectTopics.quizzesDirectory.appendingPathComponent("no-such-dir")
        let catalog = QuizLoader.load(directory: missing, knownTopics: SubjectTopics.known)
        #expect(catalog.problems.count == 1)
        #expect(catalog.problems.first?.file == "no-such-dir")
    }
}
