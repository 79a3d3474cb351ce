import Foundation
import Testing
@testable import SaproCore

private let quizzes = QuizLoader.load(directory: Repo.quizzes, knownTopics: Set(Repo.shipped.library.topicIDs))
/// The topic-weighted build of blueprints without domains, on the shipped topics and the old mix of sources.
private let blueprint: Blueprint = {
    var plan = quizzes.blueprint("container-networking")!
    plan.domains = [:]
    plan.unscored = 0
    plan.sources = [.bank: 50, .generators: 35, .cards: 15]
    return plan
}()
private let cards = ContentCards.make(from: Repo.shipped.library)

private func build(seed: UInt64, count: Int? = nil) -> [Question] {
    ExamBuilder.build(
        blueprint: blueprint, questionCount: count, bank: quizzes.questions, cards: cards,
        generators: Generators.all, catalog: Repo.catalog, seed: seed)
}

@Test func anExamFollowsTheBlueprintsTopicWeights() {
    let questions = build(seed: 7)
    #expect(questions.count == 65)
    #expect(Set(questions.map(\.id)).count == 65, "no question twice")
    var perTopic: [String: Int] = [:]
    for q in questions { perTopic[blueprint.weight(for: q.topics[0])?.topic ?? "?", default: 0] += 1 }
    for (topic, count) in blueprint.questionsPerTopic() {
        #expect(perTopic[topic] == count, "\(topic)")
    }
}

@Test func anExamMixesBankGeneratedAndCardQuestions() {
    let questions = build(seed: 3)
    let sources = questions.map { q -> String in
        switch q.source {
        case .bank: "bank";
        case .generator: "generators";
        case .card: "cards"
        }
    }
    #expect(Set(sources) == ["bank", "generators", "cards"])
}

@Test func theSameSeedGivesTheSameExam() {
    #expect(build(seed: 11, count: 20) == build(seed: 11, count: 20))
    #expect(build(seed: 11, count: 20) != build(seed: 12, count: 20))
}

@Test func answersCanChangeAndWrongShapesAreRefused() throws {
    let q1 = Question(
        id: "q1", source: .card(id: "q1"), prompt: "n?", body: .numeric(answer: 29, unit: nil),
        explanation: [], topics: ["amazon-eks-networking/vpc-cni-plugin"])
    let q2 = Question(
        id: "q2", source: .card(id: "q2"), prompt: "c?",
        body: .singleChoice(choices: [Choice(text: "x"), Choice(text: "y")], correct: 1),
        explanation: [], topics: ["amazon-ecs-networking/ecs-service-discovery"])
    var exam = ExamSession(id: "e", blueprint: blueprint, questions: [q1, q2], seed: 1, started: Date(timeIntervalSince1970: 0))
    #expect(exam.answer(0, "b") != nil)
    #expect(exam.answers[0] == nil)
    #expect(exam.answer(0, "30") == nil)
    #expect(exam.answer(0, " 29 pods") == nil)
    #expect(exam.unanswered == [1])
    #expect(exam.answer(1, "a") == nil)
    let result = exam.result(blueprint: blueprint)
    #expect(result.correct == 1 && result.total == 2)
    #expect(result.scaledScore == 550)
    #expect(!result.passed)
    #expect(result.wrong == [1])
    #expect(result.topics["amazon-eks-networking"] == Tally(answered: 1, correct: 1))
}

@Test func theExamClockRunsOnlyWhileItIsOpen() {
    var exam = ExamSession(id: "e", blueprint: blueprint, minutes: 1, questions: [], seed: 1, started: Date())
    exam.spend(45, on: 0)
    #expect(exam.remaining == 15)
    exam.spend(20, on: 0)
    #expect(exam.isOver)
    exam.spend(-5, on: 0)
    #expect(exam.elapsed == 65)
}
