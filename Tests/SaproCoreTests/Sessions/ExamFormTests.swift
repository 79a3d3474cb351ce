import Foundation
import Testing
@testable import SaproCore

/// Mock exams shaped like SAP-C02 (AWS's exam guide, summarised in FACTS.md): 75 items of which 65
/// are scored, 180 minutes, single answer of 4 or choose N of 5+, domains at 26/29/25/20 %.
@Suite struct ExamFormTests {
    static let quizzes = QuizLoader.load(directory: Repo.quizzes, knownTopics: Set(Repo.shipped.library.topicIDs))
    static let full = quizzes.blueprint("container-networking")!
    static let short = quizzes.blueprint("container-networking-short")!

    static func form(_ plan: Blueprint = full, seed: UInt64, domain: ExamDomain? = nil) -> ExamForm {
        ExamBuilder.form(
            blueprint: plan, bank: quizzes.questions, cards: ContentCards.make(from: Repo.shipped.library),
            generators: Generators.all, catalog: Repo.catalog, seed: seed, domain: domain)
    }

    @Test func theBlueprintsAreShapedLikeTheExamGuide() {
        #expect((Self.full.questionCount, Self.full.unscored, Self.full.minutes, Self.full.passMark) == (65, 10, 180, 750))
        #expect(
            Self.full.domains == [
                .organizationalComplexity: 26, .newSolutions: 29, .continuousImprovement: 25, .migrationModernization: 20,
            ])
        // The real pace: 180 minutes for 75 items is 2.4 minutes an item.
        #expect(Double(Self.short.minutes) == 2.4 * Double(Self.short.questionCount))
    }

    @Test(arguments: [1, 2, 3, 42] as [UInt64])
    func aDrawnFormHas75ExamShapedItemsIn65ScoredAndDomainsWithinOneOfTheWeights(seed: UInt64) {
        let form = Self.form(seed: seed)
        #expect(form.questions.count == 75)
        #expect(form.unscored.count == 10)
        #expect(Set(form.questions.map(\.id)).count == 75, "no item twice")
        for question in form.questions {
            #expect(ExamBuilder.isExamShaped(question), "\(question.id) is \(question.kind)")
            #expect(question.kind == .singleChoice || question.kind == .multipleChoice)
            #expect(question.domain != nil, "\(question.id)")
        }
        var perDomain: [ExamDomain: Int] = [:]
        for q in form.questions { perDomain[q.domain!, default: 0] += 1 }
        for domain in ExamDomain.allCases {
            let target = 75.0 * Double(domain.weight) / 100
            #expect(
                abs(Double(perDomain[domain] ?? 0) - target) <= 1, "\(domain): \(perDomain[domain] ?? 0) of 75, target \(target)")
        }
        // Unscored items come from the same pool: nothing tells them apart.
        #expect(form.unscored.allSatisfy { form.questions.indices.contains($0) })
    }

    @Test func theClockIs10800SecondsAndTheSameSeedGivesTheSameForm() {
        let form = Self.form(seed: 5)
        let session = ExamSession(
            id: "e", blueprint: Self.full, questions: form.questions, seed: 5, started: Date(timeIntervalSince1970: 0))
        #expect(session.timeLimit == 10_800)
        #expect(Self.form(seed: 5) == form)
        #expect(Self.form(seed: 6) != form)
    }

    /// Unscored items are answered like the others but count nowhere: all of them right and every
    /// scored one wrong is the lowest score.
    @Test func theScoreIgnoresUnscoredItems() {
        let form = Self.form(seed: 9)
        var session = ExamSession(
            id: "e", blueprint: Self.full, questions: form.questions, seed: 9, started: Date(timeIntervalSince1970: 0))
        session.unscoredItems = form.unscored
        for index in form.questions.indices {
            let question = form.questions[index]
            let key = question.expectedAnswer
            let wrong = Self.wrongAnswer(question)
            _ = session.answer(index, form.unscored.contains(index) ? key : wrong)
        }
        let result = session.result(blueprint: Self.full)
        #expect(result.total == 65)
        #expect(result.correct == 0)
        #expect(result.scaledScore == 100)
        #expect(result.domains.values.map(\.answered).reduce(0, +) == 65)
        // And the other way round: every scored item right is 1000, whatever the unscored ones.
        for index in form.questions.indices {
            _ = session.answer(
                index,
                form.unscored.contains(index) ? Self.wrongAnswer(form.questions[index]) : form.questions[index].expectedAnswer)
        }
        let best = session.result(blueprint: Self.full)
        #expect((best.correct, best.scaledScore, best.passed) == (65, 1000, true))
        for domain in ExamDomain.allCases { #expect(best.band(domain) == "meets competencies") }
    }

    static func wrongAnswer(_ question: Question) -> String {
        switch question.body {
        case let .singleChoice(_, correct): Question.letter(correct == 0 ? 1 : 0)
        case let .multipleChoice(choices, correct):
            choices.indices.filter { !correct.contains($0) }.prefix(correct.count).map(Question.letter).joined(separator: ",")
        default: "x"
        }
    }

    @Test func sectionModeKeepsOneDomain() {
        let form = Self.form(seed: 4, domain: .migrationModernization)
        #expect(!form.questions.isEmpty)
        #expect(form.unscored.isEmpty)
        #expect(form.questions.allSatisfy { $0.domain == .migrationModernization })
    }

    /// Review mode: untimed, and each answer's grade and explanation right after it.
    @Test func reviewModeExplainsEachAnswerAndHasNoClock() {
        let form = Self.form(seed: 2)
        var session = ExamSession(
            id: "e", blueprint: Self.full, questions: form.questions, seed: 2, started: Date(timeIntervalSince1970: 0))
        session.examMode = .review
        var run = ExamRun(session: session)
        #expect(run.header(0).contains("review mode, untimed"))
        let question = form.questions[run.current]
        let effects = run.handle(Self.wrongAnswer(question), spent: 20_000)
        #expect(effects.first == .save)
        guard case let .say(text)? = effects.dropFirst().first else {
            Issue.record("no feedback after the answer: \(effects)")
            return
        }
        #expect(text.contains("Not quite"))
        // The worked explanation follows, down to its source line.
        #expect(text.contains("Source"))
        #expect(text.contains(String((question.explanation.first ?? "?").prefix(25))))
        // 20,000 s is past the 180 minutes, but a review sitting has no clock.
        #expect(!effects.contains(.finish))
    }

    @Test func aTimedExamStillEndsWhenTimeIsUp() {
        let form = Self.form(seed: 2)
        let session = ExamSession(
            id: "e", blueprint: Self.full, questions: form.questions, seed: 2, started: Date(timeIntervalSince1970: 0))
        var run = ExamRun(session: session)
        #expect(run.handle("next", spent: 10_801).contains(.finish))
    }

    @Test func anOldExamFileWithoutUnscoredItemsOrModeStillReads() throws {
        let form = Self.form(seed: 2)
        let session = ExamSession(
            id: "e", blueprint: Self.full, questions: form.questions, seed: 2, started: Date(timeIntervalSince1970: 0))
        var object = try JSONSerialization.jsonObject(with: try ExamFiles.encoder.encode(session)) as! [String: Any]
        object.removeValue(forKey: "unscoredItems")
        object.removeValue(forKey: "examMode")
        let read = try ExamFiles.read(try JSONSerialization.data(withJSONObject: object))
        #expect(read.unscored.isEmpty && read.mode == .timed)
        // Unscored indices outside the questions are refused, not trusted.
        object["unscoredItems"] = [500]
        #expect(throws: (any Error).self) { try ExamFiles.read(try JSONSerialization.data(withJSONObject: object)) }
    }
}

/// The shipped banks pass the exam lint, and a fixture breaking each rule fails it.
@Suite struct BankExamLintTests {
    static let good = """
        ## lint-sample
        topic: amazon-ecs-networking/network-modes/awsvpc-mode-recommended
        source: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-networking-awsvpc.html
        domain: new-solutions
        kind: single

        A company runs a payment API on Amazon ECS with EC2 container instances in awsvpc mode. Each task must keep its own \
        security group, the team wants at least twelve tasks on each m5.large instance, and the change must not add new \
        infrastructure to operate. Which solution meets these requirements?

        - [x] Turn on the awsvpcTrunking account setting and replace the container instances.
          > Right: m5.large then runs up to 10 trunked tasks.
        - [ ] Switch the tasks to bridge mode with dynamic host ports.
          > Bridge tasks share the instance's security groups.
        - [ ] Add secondary ENIs to each instance by hand.
          > ECS manages the task ENIs; the limit stays max ENIs − 1.
        - [ ] Move the tasks to host mode.
          > Host mode gives no per-task security group.

        explanation:
        Trunking raises the awsvpc task limit per instance.
        """

    @Test func theSampleItselfPasses() {
        #expect(bankProblems(Self.good, strict: true) == [])
    }

    @Test(arguments: [
        ("domain: new-solutions\n", "", "t.md:1: no 'domain:' line"),
        ("domain: new-solutions", "domain: newsolutions", "t.md:4: unknown domain 'newsolutions'"),
        (
            "source: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-networking-awsvpc.html\n", "",
            "t.md:1: no 'source:' line"
        ),
        (
            "- [ ] Move the tasks to host mode.\n  > Host mode gives no per-task security group.\n", "",
            "single-answer question has 3 options"
        ),
        (
            "A company runs a payment API on Amazon ECS with EC2 container instances in awsvpc mode. Each task must keep its own security group, the team wants at least twelve tasks on each m5.large instance, and the change must not add new infrastructure to operate. Which",
            "Which", "the stem has"
        ),
        ("  > Host mode gives no per-task security group.\n", "", "has no explanation"),
    ])
    func eachRuleFailsOnAFixtureThatBreaksIt(old: String, new: String, expected: String) {
        #expect(Self.good.contains(old), "fixture lacks \(old)")
        let problems = bankProblems(Self.good.replacingOccurrences(of: old, with: new), strict: true)
        #expect(problems.contains { $0.contains(expected) }, "\(problems)")
    }

    @Test func aChooseNQuestionNeedsFiveOptions() {
        let multiple = Self.good.replacingOccurrences(of: "kind: single", with: "kind: multiple")
            .replacingOccurrences(
                of: "Which solution meets these requirements?", with: "Which steps meet these requirements? (Choose TWO.)"
            )
            .replacingOccurrences(of: "- [ ] Move the tasks to host mode.", with: "- [x] Move the tasks to host mode.")
        #expect(bankProblems(multiple, strict: true).contains { $0.contains("choose-N question has 4 options") })
    }

    @Test func theShippedBanksPassAndHoldTheExamsPool() {
        let quizzes = ExamFormTests.quizzes
        #expect(quizzes.problems.isEmpty, "\(quizzes.problems.prefix(5).map(\.description))")
        #expect(quizzes.questions.count >= 120)
        let scenarios = quizzes.questions.filter { q in
            (q.kind == .singleChoice || q.kind == .multipleChoice) && q.prompt.split(separator: " ").count >= 80
        }
        #expect(scenarios.count >= 60, "\(scenarios.count) full scenarios")
        let costOrOverhead = scenarios.filter {
            $0.prompt.contains("MOST cost-effective") || $0.prompt.contains("LEAST operational overhead")
        }
        #expect(
            costOrOverhead.count * 4 >= scenarios.count, "\(costOrOverhead.count) of \(scenarios.count) ask for cost or overhead")
        // Every domain in proportion to its weight: at least half its share of the bank.
        for domain in ExamDomain.allCases {
            let count = quizzes.questions.filter { $0.domain == domain }.count
            #expect(count * 100 >= quizzes.questions.count * domain.weight / 2, "\(domain): \(count)")
        }
    }
}
