import Foundation
import Testing
@testable import SaproCore

private let start = Date(timeIntervalSince1970: 1_800_000_000)

private func choiceItem(_ id: String) -> StudyItem {
    StudyItem(
        question: Question(
            id: id, source: .bank(file: "t.md", id: id), prompt: "Pick the right one (\(id)).",
            body: .singleChoice(
                choices: [Choice(text: "right"), Choice(text: "wrong 1"), Choice(text: "wrong 2"), Choice(text: "wrong 3")],
                correct: 0),
            explanation: [], topics: ["t"]))
}

/// Settings as a learner would set them: steps of 1 and 10 minutes (sapro's defaults, as Anki's),
/// no fuzz, so intervals are exact.
private func scheduler() throws -> StudyScheduler {
    var settings = Settings()
    settings.fuzz = false
    return try StudyScheduler(settings: settings)
}

private func session(_ items: [StudyItem], seed: UInt64 = 7) throws -> DrillSession {
    DrillSession(
        id: "test", queue: items, scheduler: try scheduler(), catalog: Reference.catalog, seed: seed,
        fastAnswer: 15, slowAnswer: 60)
}

/// Answers `shown` as the tests' learner: right or wrong by option text, in `seconds`.
private func answer(_ shown: DrillSession.Presentation, right: Bool, seconds: Double = 20, hints: Int = 0) -> DrillAnswer {
    guard case .singleChoice(let choices, _) = shown.question.body else {
        let grade = shown.question.grade(right ? shown.question.body.expectedAnswer : "0")
        return .answered(grade, input: "", seconds: seconds, hints: hints)
    }
    let index = choices.firstIndex { ($0.text == "right") == right }!
    let letter = String(Question.letter(index))
    return .answered(shown.question.grade(letter), input: letter, seconds: seconds, hints: hints)
}

/// Runs one step of a drill against an in-memory store of card states.
private struct Learner {
    var cards: [String: StudyCard] = [:]
    var asked: [String] = []

    mutating func take(_ s: inout DrillSession, _ shown: DrillSession.Presentation, _ a: DrillAnswer, at time: Date) {
        var none: SplitMix64? = nil
        let previous = cards[shown.item.id]
        let review = s.review(
            of: shown, answer: a, at: time, day: "2027-01-15", today: "2027-01-15", previous: previous, fuzz: &none)
        cards[shown.item.id] = review.next
        s.recorded(review, of: shown, previous: previous, now: time)
        asked.append(shown.item.id)
    }
}

@Test func anAgainCardComesBackInTheSameDrillOnceItsStepIsDue() throws {
    var s = try session([choiceItem("a"), choiceItem("b")])
    var learner = Learner()
    guard case .ask(let first) = s.next(now: start, cards: learner.cards) else { Issue.record("no question"); return }
    learner.take(&s, first, answer(first, right: false), at: start)
    // The 1-minute step is not due yet: the queue goes on.
    guard case .ask(let second) = s.next(now: start + 5, cards: learner.cards) else { Issue.record("no second"); return }
    #expect(second.item.id == "b")
    learner.take(&s, second, answer(second, right: true), at: start + 5)
    // Only the learning step is left: the drill says when it is due (one minute after the answer).
    guard case .waiting(let until, let remaining) = s.next(now: start + 10, cards: learner.cards) else {
        Issue.record("expected to wait"); return
    }
    #expect(until == start + 60)
    // "b", right on its first answer, is on its 10-minute step: also part of the drill.
    #expect(remaining == 2)
    // Once due it is asked again, marked as a repeat, in the card's own place.
    guard case .ask(let again) = s.next(now: start + 61, cards: learner.cards) else { Issue.record("not asked again"); return }
    #expect(again.item.id == "a")
    #expect(again.isRepeat)
    #expect(again.position == 1)
    learner.take(&s, again, answer(again, right: true), at: start + 61)
    // Good on the first step moves it to the 10-minute step; "b"'s step, due first, comes first.
    guard case .waiting(let until2, let left) = s.next(now: start + 62, cards: learner.cards) else {
        Issue.record("expected the 10-minute step"); return
    }
    #expect(until2 == start + 5 + 600)
    #expect(left == 2)
    #expect(s.answered == 3)
}

@Test func aDueLearningStepGoesBeforeTheRestOfTheQueue() throws {
    var s = try session([choiceItem("a"), choiceItem("b"), choiceItem("c")])
    var learner = Learner()
    guard case .ask(let first) = s.next(now: start, cards: [:]) else { return }
    learner.take(&s, first, answer(first, right: false), at: start)
    guard case .ask(let next) = s.next(now: start + 120, cards: learner.cards) else { return }
    #expect(next.item.id == "a")
}

@Test func aCardAnsweredIntoReviewIsNotAskedAgain() throws {
    var s = try session([choiceItem("a")])
    var learner = Learner()
    guard case .ask(let first) = s.next(now: start, cards: [:]) else { return }
    // Easy on a new card is refused by the policy; with FSRS a Good on the first of two steps
    // stays in learning, so rate it right and slow-but-not-too-slow twice through the steps.
    learner.take(&s, first, answer(first, right: true), at: start)
    guard case .waiting = s.next(now: start, cards: learner.cards) else {
        Issue.record("the 10-minute step belongs to the drill"); return
    }
    let taken = s.takeEarly(cards: learner.cards)
    let early = try #require(taken)
    learner.take(&s, early, answer(early, right: true), at: start + 30)
    #expect(learner.cards["a"]?.state == .review)
    if case .finished = s.next(now: start + 31, cards: learner.cards) {} else { Issue.record("a review card came back") }
}

@Test func undoAsksTheUndoneCardAgainFirst() throws {
    var s = try session([choiceItem("a"), choiceItem("b")])
    var learner = Learner()
    guard case .ask(let first) = s.next(now: start, cards: [:]) else { return }
    learner.take(&s, first, answer(first, right: true), at: start)
    guard case .ask(let second) = s.next(now: start + 1, cards: learner.cards) else { return }
    let undoneReview = s.undone(now: start + 2)
    let undone = try #require(undoneReview)
    #expect(undone.card == "a")
    s.putBack(second)
    #expect(s.answered == 0)
    guard case .ask(let again) = s.next(now: start + 3, cards: [:]) else { return }
    #expect(again.item.id == "a")
    guard case .ask(let then) = s.next(now: start + 4, cards: [:]) else { return }
    #expect(then.item.id == "b")
    #expect(then.position == 2)
}

@Test func reratingReplacesTheLastReviewFromTheSameStateBefore() throws {
    var s = try session([choiceItem("a")])
    var learner = Learner()
    guard case .ask(let first) = s.next(now: start, cards: [:]) else { return }
    learner.take(&s, first, answer(first, right: false), at: start)
    var none: SplitMix64? = nil
    let pair = s.rerating(.good, fuzz: &none)
    let (original, replacement) = try #require(pair)
    #expect(original.rating == 1)
    #expect(replacement.rating == 3)
    #expect(replacement.next?.reps == 1)
    // Good on a new card, first of the 1m/10m steps: due in 10 minutes (py-fsrs 6.3.2 behaviour).
    #expect(replacement.next?.due == start + 600)
    s.rerated(replacement, now: start + 1)
    guard case .waiting(let until, _) = s.next(now: start + 2, cards: [:]) else { Issue.record("expected the step"); return }
    #expect(until == start + 600)
}

// MARK: Ratings

@Test func aHintCapsARightAnswerAtHard() {
    let fast = DrillAnswer.answered(.correct, input: "a", seconds: 2, hints: 1)
    #expect(RatingPolicy.rating(fast, cardState: .review, fast: 15, slow: 60) == .hard)
    let slow = DrillAnswer.answered(.correct, input: "a", seconds: 90, hints: 2)
    #expect(RatingPolicy.rating(slow, cardState: .review, fast: 15, slow: 60) == .hard)
}

@Test func speedAloneNeverMakesANewOrLearningCardEasy() {
    let fast = DrillAnswer.answered(.correct, input: "a", seconds: 2, hints: 0)
    #expect(RatingPolicy.rating(fast, cardState: nil, fast: 15, slow: 60) == .good)
    #expect(RatingPolicy.rating(fast, cardState: .learning, fast: 15, slow: 60) == .good)
    #expect(RatingPolicy.rating(fast, cardState: .relearning, fast: 15, slow: 60) == .good)
    #expect(RatingPolicy.rating(fast, cardState: .review, fast: 15, slow: 60) == .easy)
}

@Test func explainIsAgainAndSelfRatingsAreKept() {
    #expect(RatingPolicy.rating(.explained(seconds: 3), cardState: .review, fast: 15, slow: 60) == .again)
    let recalled = DrillAnswer.answered(.selfRated(.easy), input: "", seconds: 1, hints: 0)
    #expect(RatingPolicy.rating(recalled, cardState: nil, fast: 15, slow: 60) == .easy)
    let wrong = DrillAnswer.answered(
        .incorrect(IncorrectAnswer(expected: "a", given: .choice(1), misconceptions: [])),
        input: "b", seconds: 3, hints: 0)
    #expect(RatingPolicy.rating(wrong, cardState: .review, fast: 15, slow: 60) == .again)
}

// MARK: Shuffling

@Test func shuffledOptionsAreReproducibleFromTheSeedAndKeepTheKey() {
    let q = choiceItem("q")
    guard case .question(let question) = q.kind else { return }
    let a = question.shuffled(seed: 42), b = question.shuffled(seed: 42)
    #expect(a == b)
    // Across seeds every option reaches the first place, and the key always names "right".
    var firsts = Set<String>()
    for seed in 0..<200 as Range<UInt64> {
        let s = question.shuffled(seed: seed)
        guard case .singleChoice(let choices, let correct) = s.body else { continue }
        #expect(choices[correct].text == "right")
        #expect(Set(choices.map(\.text)) == ["right", "wrong 1", "wrong 2", "wrong 3"])
        firsts.insert(choices[0].text)
        #expect(s.grade(String(Question.letter(correct))).isCorrect == true)
    }
    #expect(firsts.count == 4)
}

@Test func shuffledMultipleChoiceAndOrderingKeepTheirAnswers() {
    let multiple = Question(
        id: "m", source: .card(id: "m"), prompt: "Choose TWO.",
        body: .multipleChoice(choices: ["r1", "w1", "r2", "w2", "w3"].map { Choice(text: $0) }, correct: [0, 2]),
        explanation: [], topics: [])
    let ordering = Question(
        id: "o", source: .card(id: "o"), prompt: "Order.",
        body: .ordering(items: ["second", "first", "third"], order: [1, 0, 2]), explanation: [], topics: [])
    for seed in 0..<50 as Range<UInt64> {
        if case .multipleChoice(let choices, let correct) = multiple.shuffled(seed: seed).body {
            #expect(Set(correct.map { choices[$0].text }) == ["r1", "r2"])
        }
        if case .ordering(let items, let order) = ordering.shuffled(seed: seed).body {
            #expect(order.map { items[$0] } == ["first", "second", "third"])
        }
    }
}

@Test func aDrillShowsTheSameOrderForTheSameSeedAndAnotherForAnother() throws {
    func firstOrder(_ seed: UInt64) throws -> [String] {
        var s = try session([choiceItem("a")], seed: seed)
        guard case .ask(let p) = s.next(now: start, cards: [:]), case .singleChoice(let c, _) = p.question.body else { return [] }
        return c.map(\.text)
    }
    #expect(try firstOrder(5) == firstOrder(5))
    let orders = try Set((1...12).map { try firstOrder(UInt64($0)) })
    #expect(orders.count > 1)
}

// MARK: Skills retried at what was missed

@Test func aMissedSkillIsAskedAgainOnTheSameKindOfScenarioWithNewNumbers() throws {
    let skill = StudyItem(generator: Generators.named("traffic-flow-order")!)
    var s = try session([skill], seed: 11)
    var learner = Learner()
    guard case .ask(let first) = s.next(now: start, cards: [:]) else { Issue.record("no question"); return }
    let flow = first.question.params["flow"]
    learner.take(
        &s, first,
        .answered(
            first.question.grade(
                "1 2 3 4 5 6 7 8".split(separator: " ").prefix(first.question.orderingCount).joined(separator: " ")),
            input: "", seconds: 20, hints: 0), at: start)
    let card = try #require(learner.cards[skill.id])
    // Every flow is shuffled so that 1 2 3 … is never the answer: this was a miss.
    #expect(card.retry == Generators.scenarioKind(of: first.question))
    // Later sessions draw the same flow again, until it is answered right.
    for seed in 100..<110 as Range<UInt64> {
        var later = try session([skill], seed: seed)
        guard case .ask(let p) = later.next(now: start + 86_400, cards: learner.cards) else { continue }
        #expect(p.question.params["flow"] == flow)
        #expect(p.isRetry)
    }
    // Answered right, the skill is free to draw any scenario again.
    var retry = try session([skill], seed: 200)
    guard case .ask(let p) = retry.next(now: start + 86_400, cards: learner.cards),
        case .ordering(let items, let order) = p.question.body
    else { return }
    _ = items
    learner.take(
        &retry, p,
        .answered(p.question.grade(order.map { String($0 + 1) }.joined(separator: " ")), input: "", seconds: 20, hints: 0),
        at: start + 86_400)
    #expect(learner.cards[skill.id]?.retry == nil)
}

@Test func aMissedMaxPodsQuestionKeepsItsVariantAndNetworkingMode() throws {
    let skill = StudyItem(generator: Generators.named("eks-max-pods")!)
    var s = try session([skill], seed: 3)
    var learner = Learner()
    guard case .ask(let first) = s.next(now: start, cards: [:]) else { return }
    learner.take(&s, first, .explained(seconds: 5), at: start)
    let kind = try #require(learner.cards[skill.id]?.retry)
    #expect(kind.contains(first.question.params["networking"].flatMap { if case .string(let v) = $0 { v } else { nil } } ?? "?"))
    var seen = Set<String>()
    for seed in 50..<70 as Range<UInt64> {
        var later = try session([skill], seed: seed)
        guard case .ask(let p) = later.next(now: start + 86_400, cards: learner.cards) else { continue }
        #expect(p.question.params["networking"] == first.question.params["networking"])
        #expect(p.question.params["variant"] == first.question.params["variant"])
        seen.insert(p.question.prompt)
    }
    // Fresh numbers, not the same question again.
    #expect(seen.count > 1)
}

@Test func aCardWithARetryKindSurvivesTheSnapshotAndTheJournal() throws {
    var none: SplitMix64? = nil
    var card = try scheduler().review(nil, rating: .again, at: start, fuzz: &none)
    card.retry = "smallest-type/custom-networking"
    let data = try JSONEncoder().encode(card)
    #expect(try JSONDecoder().decode(StudyCard.self, from: data) == card)
    let restored = LineFields.with(card.lineFields) { StudyCard(lineFields: $0) }
    #expect(restored == card)
    card.retry = nil
    #expect(LineFields.with(card.lineFields) { StudyCard(lineFields: $0) } == card)
}

extension Question {
    var orderingCount: Int { if case .ordering(let items, _) = body { items.count } else { 0 } }
}
