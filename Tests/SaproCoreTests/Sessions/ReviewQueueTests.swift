import Foundation
import Testing
@testable import SaproCore

private func item(_ id: String, _ topic: String) -> StudyItem {
    StudyItem(
        question: Question(
            id: id, source: .card(id: id), prompt: id, body: .recall(answer: "x"),
            explanation: [], topics: [topic]))
}

private let now = Date(timeIntervalSince1970: 1_800_000_000)

@Test func dueCardsComeFirstLeastRetrievableFirst() {
    let items = [item("a", "t1"), item("b", "t1"), item("c", "t1"), item("n", "t1")]
    let due = ["a": now - 10, "b": now - 100, "c": now + 3600]
    let r = ["a": 0.8, "b": 0.5]
    let queue = ReviewQueue.build(items: items, due: due, retrievability: { r[$0]! }, now: now, newAllowance: 5)
    #expect(queue.map(\.id) == ["b", "a", "n"])
}

@Test func newCardsStopAtTheDailyAllowance() {
    let items = (0..<10).map { item("n\($0)", "t") }
    let queue = ReviewQueue.build(items: items, due: [:], retrievability: { _ in 1 }, now: now, newAllowance: 3)
    #expect(queue.map(\.id) == ["n0", "n1", "n2"])
    #expect(ReviewQueue.build(items: items, due: [:], retrievability: { _ in 1 }, now: now, newAllowance: -2).isEmpty)
}

@Test func newCardsAreIntroducedAcrossTopicsBeforeTheAllowanceCuts() {
    let items = [item("a1", "a"), item("a2", "a"), item("a3", "a"), item("b1", "b")]
    let queue = ReviewQueue.build(items: items, due: [:], retrievability: { _ in 1 }, now: now, newAllowance: 2)
    #expect(queue.map(\.id) == ["a1", "b1"])
}

@Test func topicsTakeTurns() {
    let items = [item("a1", "a"), item("a2", "a"), item("a3", "a"), item("b1", "b"), item("c1", "c"), item("b2", "b")]
    let queue = ReviewQueue.build(items: items, due: [:], retrievability: { _ in 1 }, now: now, newAllowance: 10)
    #expect(queue.map(\.id) == ["a1", "b1", "c1", "a2", "b2", "a3"])
}

@Test func aTopicFilterKeepsOnlyTheGivenTopics() {
    let items = [item("x", "eks"), item("y", "eks/vpc-cni"), item("z", "ecs"), item("w", "eksx")]
    let queue = ReviewQueue.build(
        items: items, due: [:], retrievability: { _ in 1 }, now: now, newAllowance: 10,
        topics: ["eks", "eks/vpc-cni"])
    #expect(Set(queue.map(\.id)) == ["x", "y"])
}

@Test(arguments: [(false, 2.0, 1), (true, 3.0, 4), (true, 30.0, 3), (true, 90.0, 2)])
func objectiveRatingsOfAReviewCardFollowCorrectnessAndTime(correct: Bool, seconds: Double, expected: Int) {
    let grade: Grade = correct ? .correct : .incorrect(IncorrectAnswer(expected: "a", given: .choice(1), misconceptions: []))
    let answer = DrillAnswer.answered(grade, input: "", seconds: seconds, hints: 0)
    #expect(RatingPolicy.rating(answer, cardState: .review, fast: 15, slow: 60).rawValue == expected)
}
