import Foundation
import Testing
@testable import SaproCore

@Suite struct QuizTests {
    static let cards: [Question] = [
        Question(
            id: "card:awsvpc/eni-per-task", source: .card(id: "card:awsvpc/eni-per-task"),
            prompt: "In awsvpc mode, what does each task get?", body: .recall(answer: "Its own ENI"),
            explanation: ["Each task gets its own elastic network interface."],
            topics: ["amazon-ecs-networking/network-modes/awsvpc-mode-recommended"]),
        Question(
            id: "card:cloud-map/multivalue", source: .card(id: "card:cloud-map/multivalue"),
            prompt: "How many healthy records does a Cloud Map MULTIVALUE answer return at most?",
            body: .numeric(answer: 8, unit: "records"), explanation: ["Up to 8, chosen at random."],
            topics: ["amazon-ecs-networking/ecs-service-discovery"]),
    ]
    static let bank: [Question] = [
        Question(
            id: "bank:gwlb-1", source: .bank(file: "Quizzes/gwlb.json", id: "bank:gwlb-1"),
            prompt: "Which port does GENEVE use? Choose ONE.",
            body: .singleChoice(choices: [Choice(text: "UDP 4789"), Choice(text: "UDP 6081")], correct: 1),
            explanation: ["GWLB uses GENEVE on UDP 6081."], topics: ["gateway-load-balancer-inspection-vpc-pattern"]),
        Question(
            id: "bank:sd-1", source: .bank(file: "Quizzes/sd.json", id: "bank:sd-1"),
            prompt: "Which are Cloud Map routing policies? Choose TWO.",
            body: .multipleChoice(
                choices: [Choice(text: "MULTIVALUE"), Choice(text: "LATENCY"), Choice(text: "WEIGHTED")], correct: [0, 2]),
            explanation: ["MULTIVALUE and WEIGHTED."], topics: ["amazon-ecs-networking/ecs-service-discovery"]),
    ]

    var builder: QuizBuilder { QuizBuilder(catalog: Reference.catalog, cards: Self.cards, bank: Self.bank) }

    @Test func sameSeedGivesByteIdenticalJSON() throws {
        let a = try builder.build(count: 25, seed: 2024).render(.json)
        let b = try QuizBuilder(catalog: Reference.catalog, cards: Self.cards, bank: Self.bank).build(count: 25, seed: 2024)
            .render(.json)
        #expect(a == b)
        #expect(a.hasPrefix("{\n  \"questions\" : ["))
        #expect(a.contains("\"seed\" : 2024"))
    }

    @Test func differentSeedsGiveDifferentQuizzes() throws {
        let quizzes = try (1...5).map { try builder.build(count: 10, seed: UInt64($0)).questions.map(\.prompt) }
        #expect(Set(quizzes).count == 5)
    }

    @Test func mixesGeneratorsCardsAndBank() throws {
        let quiz = try builder.build(count: 30, seed: 11)
        #expect(quiz.questions.count == 30)
        let sources = Set(
            quiz.questions.map { question -> String in
                switch question.source {
                case .generator: "generator"
                case .card: "card"
                case .bank: "bank"
                }
            })
        #expect(sources == ["generator", "card", "bank"])
        #expect(Set(quiz.questions.map(\.id)).count == 30)
    }

    @Test func topicFilterIsAPrefixMatch() throws {
        let quiz = try builder.build(count: 12, seed: 5, topics: ["amazon-ecs-networking"])
        for question in quiz.questions {
            #expect(question.topics.contains { $0.hasPrefix("amazon-ecs-networking") }, "\(question.id)")
        }
        let discovery = try builder.build(count: 2, seed: 5, topics: ["amazon-ecs-networking/ecs-service-discovery"])
        #expect(Set(discovery.questions.map(\.id)) == ["card:cloud-map/multivalue", "bank:sd-1"])
    }

    @Test func generatorFilterLeavesOutCardsAndBank() throws {
        let quiz = try builder.build(count: 8, seed: 5, generatorIDs: ["port-mapping", "network-policy"])
        #expect(quiz.questions.allSatisfy { ["port-mapping", "network-policy"].contains($0.generatorID ?? "") })
    }

    @Test func errorsAreClear() {
        #expect(throws: QuizError.notEnoughQuestions(requested: 3, available: 2)) {
            try builder.build(count: 3, seed: 1, topics: ["amazon-ecs-networking/ecs-service-discovery"])
        }
        #expect(throws: QuizError.noMatchingQuestions(topics: ["nothing"], generators: [])) {
            try builder.build(count: 3, seed: 1, topics: ["nothing"])
        }
        #expect(throws: QuizError.badCount(0)) { try builder.build(count: 0, seed: 1) }
        do {
            _ = try builder.build(count: 1, seed: 1, generatorIDs: ["eks-max-pod"])
            Issue.record("expected an error")
        } catch {
            #expect(error.localizedDescription.contains("did you mean eks-max-pods"))
        }
    }

    static func jsonObject(_ text: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func jsonHasTheAgreedFields() throws {
        let quiz = try builder.build(count: 40, seed: 77)
        let object = try Self.jsonObject(try quiz.render(.json))
        #expect(object["seed"] as? Int == 77)
        let questions = try #require(object["questions"] as? [[String: Any]])
        #expect(questions.count == 40)
        for question in questions {
            for key in ["id", "kind", "topic", "prompt", "answer", "explanation"] {
                #expect(question[key] != nil, "missing \(key)")
            }
            #expect((question["generator"] != nil) != (question["source"] != nil))
            if question["generator"] != nil { #expect(question["params"] != nil) }
            if ["single-choice", "multiple-choice", "ordering"].contains(question["kind"] as? String) {
                #expect(question["choices"] != nil)
            }
        }
    }

    @Test func eksAndECSParamsAreExactlyAsAgreed() throws {
        let quiz = try builder.build(count: 30, seed: 3, generatorIDs: ["eks-max-pods", "ecs-awsvpc-tasks"])
        let questions = try #require(try Self.jsonObject(try quiz.render(.json))["questions"] as? [[String: Any]])
        var checked = 0
        for question in questions {
            let params = try #require(question["params"] as? [String: Any])
            if params["variant"] != nil { continue }
            if question["generator"] as? String == "eks-max-pods" {
                #expect(Set(params.keys) == ["instanceType", "networking", "node"])
                #expect(params["networking"] is String)
            } else {
                #expect(Set(params.keys) == ["instanceType", "trunking"])
                // A JSON boolean, not 0/1: re-decode through JSONValue, which tries Bool first.
                let data = try JSONSerialization.data(withJSONObject: params)
                let decoded = try JSONDecoder().decode([String: JSONValue].self, from: data)
                if case .bool? = decoded["trunking"] {} else { Issue.record("trunking is not a boolean") }
            }
            #expect(question["value"] is Int)
            checked += 1
        }
        #expect(checked > 10)
    }

    @Test func jsonRoundTripsThroughImport() throws {
        let quiz = try builder.build(count: 40, seed: 909)
        let text = try quiz.render(.json)
        let imported = try Quiz(json: text)
        #expect(try imported.render(.json) == text)
        #expect(imported.questions.map(\.body.expectedAnswer) == quiz.questions.map(\.body.expectedAnswer))
        for (original, copy) in zip(quiz.questions, imported.questions) {
            #expect(copy.grade(original.expectedAnswer).isCorrect != false)
            if case let .singleChoice(choices, _) = original.body {
                for (index, choice) in choices.enumerated() where choice.misconception != nil {
                    #expect(copy.grade(QuestionBody.letter(index)).misconception == choice.misconception)
                }
            }
        }
    }

    @Test func importRejectsBadFiles() {
        #expect(throws: QuizError.self) { try Quiz(json: "not json") }
        #expect(throws: QuizError.badQuizFile(reason: "answer 'x' is not a whole number", question: 1)) {
            try Quiz(
                json:
                    #"{"seed": 1, "questions": [{"id": "q", "kind": "numeric", "topic": "t", "topics": [], "prompt": "p", "answer": "x", "explanation": ""}]}"#
            )
        }
    }

    @Test func markdownHasQuestionsThenAnswerKey() throws {
        let quiz = try builder.build(count: 6, seed: 12)
        let md = try quiz.render(.md)
        let key = try #require(md.range(of: "## Answer key"))
        for (index, question) in quiz.questions.enumerated() {
            #expect(md[..<key.lowerBound].contains("## Question \(index + 1)"))
            #expect(md[key.upperBound...].contains("**\(index + 1).** `\(question.expectedAnswer)`"))
        }
    }

    @Test func giftEscapesSpecialCharacters() {
        #expect(Quiz.giftEscape("a~b=c#d{e}f:g\nh") == "a\\~b\\=c\\#d\\{e\\}f\\:g\\nh")
    }

    @Test func giftSharesTheLossAmongTheWrongOptionsOfAChooseTwo() throws {
        // Choose TWO of five: each right option +50%, each of the three wrong ones −33.33333%
        // (a value of Moodle's list), so ticking all five scores 0 and one slip leaves 16.7%.
        let q = Question(
            id: "m", source: .bank(file: "b.md", id: "m"), prompt: "Choose TWO.",
            body: .multipleChoice(choices: ["r1", "w1", "r2", "w2", "w3"].map { Choice(text: $0) }, correct: [0, 2]),
            explanation: [], topics: ["t"])
        let gift = try Quiz(seed: 1, questions: [q]).render(.gift)
        #expect(gift.contains("~%50%r1"))
        #expect(gift.contains("~%50%r2"))
        for wrong in ["w1", "w2", "w3"] { #expect(gift.contains("~%-33.33333%\(wrong)")) }
    }

    @Test func giftRendersEveryKind() throws {
        let quiz = Quiz(
            seed: 1,
            questions: Self.cards + Self.bank + [
                Question(
                    id: "o", source: .generator(id: "traffic-flow-order", seed: 4), prompt: "Order: {these}",
                    body: .ordering(items: ["x", "y"], order: [1, 0]), explanation: ["y then x"], topics: ["t"])
            ])
        let gift = try quiz.render(.gift)
        #expect(gift.contains("{#8####Up to 8, chosen at random.}"))
        #expect(gift.contains("=UDP 6081"))
        #expect(gift.contains("~UDP 4789"))
        #expect(gift.contains("~%50%MULTIVALUE"))
        // One wrong option of three: it takes back everything.
        #expect(gift.contains("~%-100%LATENCY"))
        #expect(gift.contains("Order\\: \\{these\\}"))
        #expect(gift.contains("{=2 1 =2,1 =2, 1####y then x}"))
        // Every question's text escapes its colons, so only title delimiters remain unescaped.
        for line in gift.split(separator: "\n") where line.hasPrefix("::") {
            #expect(line.components(separatedBy: "::").count == 3)
        }
    }
}

@Suite struct QuizTopicFilterTests {
    @Test func narrowTopicReachesGeneratorsThatSometimesDrillIt() throws {
        let quiz = try QuizBuilder(catalog: Reference.catalog)
            .build(count: 4, seed: 8, topics: ["amazon-ecs-networking/network-modes/host-mode"])
        #expect(quiz.questions.count == 4)
        #expect(quiz.questions.allSatisfy { $0.topics.contains("amazon-ecs-networking/network-modes/host-mode") })
    }
}

@Suite struct QuizRepeatTests {
    @Test func generatorsKeepTheirTurnsWhenOneRunsOutOfScenarios() throws {
        // traffic-flow-order has six flows; subnet-capacity thousands of scenarios.
        let quiz = try QuizBuilder(catalog: Reference.catalog)
            .build(count: 400, seed: 4, generatorIDs: ["traffic-flow-order", "subnet-capacity"])
        let flows = quiz.questions.filter { $0.generatorID == "traffic-flow-order" }
        #expect(flows.count == 200)
        #expect(Set(flows.map(\.prompt)).count == 6)
        let subnets = quiz.questions.filter { $0.generatorID == "subnet-capacity" }
        #expect(Set(subnets.map(\.prompt)).count == subnets.count)
    }

    @Test func streamingGivesTheSameQuestionsAsBuilding() throws {
        let builder = QuizBuilder(catalog: Reference.catalog, cards: QuizTests.cards, bank: QuizTests.bank)
        var streamed: [Question] = []
        var sizes: [Int] = []
        try builder.stream(count: 70, seed: 12, batchSize: 32) { batch in
            sizes.append(batch.count)
            streamed += batch
        }
        #expect(sizes == [32, 32, 6])
        #expect(streamed == (try builder.build(count: 70, seed: 12)).questions)

        // A consumer whose output failed stops the build after that batch.
        var calls = 0
        try builder.stream(count: 10_000, seed: 12, batchSize: 32, prepare: { $0.id }) { _ in
            calls += 1
            return calls < 2
        }
        #expect(calls == 2)
    }
}
