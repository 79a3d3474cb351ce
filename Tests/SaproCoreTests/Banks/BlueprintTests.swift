import Testing
@testable import SaproCore

@Suite struct BankBlueprintTests {
    /// Lines: 1 title, 3 questions, 4 minutes, 5 pass, 7 ## weights, 8–12 weights, 14 ## sources, 15–17 sources.
    static let good = """
        # Practice exam

        questions: 65
        minutes: 170
        pass: 750

        ## weights
        amazon-ecs-networking: 30%
        amazon-eks-networking: 35
        container-networking-decision-framework: 10%
        gateway-load-balancer-inspection-vpc-pattern: 10%
        operational-considerations: 15%

        ## sources
        bank: 50%
        generators: 35%
        cards: 15%
        """

    static func parse(_ text: String) throws -> Blueprint {
        try BlueprintParser(knownTopics: SubjectTopics.known).parse(QuizFile(name: "exam.blueprint", text: text)).get()
    }

    @Test func parsesCountsTimePassMarkWeightsAndSources() throws {
        let blueprint = try Self.parse(Self.good)
        #expect(blueprint.id == "exam")
        #expect(blueprint.title == "Practice exam")
        #expect(blueprint.questionCount == 65)
        #expect(blueprint.minutes == 170)
        #expect(blueprint.passMark == 750)
        #expect(
            blueprint.weights.map(\.topic) == [
                "amazon-ecs-networking", "amazon-eks-networking", "container-networking-decision-framework",
                "gateway-load-balancer-inspection-vpc-pattern", "operational-considerations",
            ])
        #expect(blueprint.weights.map(\.percent) == [30, 35, 10, 10, 15])
        #expect(blueprint.sources == [.bank: 50, .generators: 35, .cards: 15])
    }

    @Test func weightsCoverATopicAndItsDescendantsByPrefix() throws {
        let blueprint = try Self.parse(Self.good)
        #expect(blueprint.weight(for: "amazon-eks-networking/vpc-cni-plugin")?.topic == "amazon-eks-networking")
        #expect(blueprint.weight(for: "amazon-eks-networking")?.percent == 35)
        #expect(blueprint.weight(for: "overview") == nil)
        #expect(TopicWeight(topic: "amazon-ecs", percent: 1).covers("amazon-ecs-networking") == false)
    }

    @Test func apportionsQuestionsByLargestRemainderSoCountsAddUp() throws {
        let blueprint = try Self.parse(Self.good)
        // 19.5, 22.75, 6.5, 6.5, 9.75: the two .75s round up, then the first .5.
        #expect(blueprint.questionsPerTopic().map(\.count) == [20, 23, 6, 6, 10])
        // 32.5, 22.75, 9.75.
        #expect(blueprint.questionsPerSource() == [.bank: 32, .generators: 23, .cards: 10])
    }

    @Test(arguments: [(65, 1000), (0, 100), (47, 751), (46, 737)])
    func mapsCorrectAnswersLinearlyOntoTheScaledScore(_ correct: Int, _ score: Int) throws {
        let blueprint = try Self.parse(Self.good)
        #expect(blueprint.scaledScore(correct: correct, outOf: 65) == score)
        #expect(blueprint.passes(scaledScore: score) == (score >= 750))
    }

    struct ErrorCase: Sendable, CustomTestStringConvertible {
        var name: String
        var old: String
        var new: String
        var expected: [String]
        var testDescription: String { name }
    }

    static let errorCases: [ErrorCase] = [
        ErrorCase(
            name: "weights not summing to 100", old: "operational-considerations: 15%", new: "operational-considerations: 10%",
            expected: ["b.blueprint:7: topic weights add up to 95, not 100"]),
        ErrorCase(
            name: "unknown weight topic", old: "amazon-eks-networking: 35", new: "amazon-eks-networkin: 35",
            expected: [
                "b.blueprint:9: unknown topic 'amazon-eks-networkin' in weights; did you mean amazon-eks-networking, amazon-eks-networking/vpc-cni-plugin, amazon-eks-networking/eks-ingress-patterns?"
            ]),
        ErrorCase(
            name: "overlapping weights", old: "amazon-eks-networking: 35",
            new: "amazon-eks-networking: 25\namazon-eks-networking/vpc-cni-plugin: 10",
            expected: [
                "b.blueprint:10: topic 'amazon-eks-networking/vpc-cni-plugin' is inside 'amazon-eks-networking' (line 9); weight one or the other"
            ]),
        ErrorCase(
            name: "duplicate weight", old: "operational-considerations: 15%",
            new: "operational-considerations: 15%\noperational-considerations: 15%",
            expected: ["b.blueprint:13: topic 'operational-considerations' weighted twice; first on line 12"]),
        ErrorCase(
            name: "missing question count", old: "questions: 65\n", new: "",
            expected: ["b.blueprint: blueprint is missing 'questions:'"]),
        ErrorCase(
            name: "question count not a number", old: "questions: 65", new: "questions: many",
            expected: ["b.blueprint:3: 'questions' must be a positive whole number, found 'many'"]),
        ErrorCase(
            name: "pass mark out of range", old: "pass: 750", new: "pass: 75",
            expected: ["b.blueprint:5: pass mark 75 is outside the 100–1000 scaled-score range"]),
        ErrorCase(
            name: "unknown field", old: "minutes: 170", new: "minuets: 170",
            expected: [
                "b.blueprint:4: unknown field 'minuets'; did you mean minutes?",
                "b.blueprint: blueprint is missing 'minutes:'",
            ]),
        ErrorCase(
            name: "unknown source", old: "cards: 15%", new: "flashcards: 15%",
            expected: [
                "b.blueprint:14: source shares add up to 85, not 100",
                "b.blueprint:17: unknown question source 'flashcards'; did you mean cards?",
            ]),
        ErrorCase(
            name: "unknown source with no close name", old: "cards: 15%", new: "videos: 15%",
            expected: [
                "b.blueprint:14: source shares add up to 85, not 100",
                "b.blueprint:17: unknown question source 'videos'; did you mean bank, generators, cards?",
            ]),
        ErrorCase(
            name: "sources not summing to 100", old: "bank: 50%", new: "bank: 40%",
            expected: ["b.blueprint:14: source shares add up to 90, not 100"]),
        ErrorCase(
            name: "missing sources", old: "## sources\nbank: 50%\ngenerators: 35%\ncards: 15%", new: "",
            expected: ["b.blueprint: blueprint has no '## sources' section (bank, generators, cards)"]),
        ErrorCase(
            name: "unknown section", old: "## sources", new: "## sauces",
            expected: [
                "b.blueprint:14: unknown section 'sauces'; did you mean sources?",
                "b.blueprint: blueprint has no '## sources' section (bank, generators, cards)",
            ]),
        ErrorCase(
            name: "percent above 100", old: "bank: 50%", new: "bank: 150%",
            expected: [
                "b.blueprint:14: source shares add up to 50, not 100",
                "b.blueprint:15: 'bank' must be a positive whole number, found '150%'",
            ]),
        ErrorCase(
            name: "entry without a colon", old: "cards: 15%", new: "cards 15%",
            expected: [
                "b.blueprint:14: source shares add up to 85, not 100",
                "b.blueprint:17: expected 'name: percent', found 'cards 15%'",
            ]),
    ]

    @Test(arguments: errorCases)
    func reportsEachBlueprintProblemWithItsLine(_ errorCase: ErrorCase) {
        #expect(Self.good.contains(errorCase.old))
        #expect(blueprintProblems(Self.good.replacingOccurrences(of: errorCase.old, with: errorCase.new)) == errorCase.expected)
    }
}
