import Foundation
import Testing
@testable import SaproCore

private let start = Date(timeIntervalSince1970: 1_709_307_960)  // 2024-03-01T15:46:00Z
private let day: TimeInterval = 86_400

extension Scheduling {
    @Suite struct SM2 {
        let scheduler = try! SM2Scheduler()

        /// A card that graduated with Good through both default steps, then had one on-time Good.
        func reviewCard(interval: Int = 10, ease: Double = 2.5) -> SM2Card {
            SM2Card(
                state: .review, step: nil, easeFactor: ease, interval: interval, lapses: 0,
                due: start + Double(interval) * day, lastReview: start)
        }

        @Test func newCardsWalkTheLearningStepsAndGraduateWithTheGraduatingInterval() {
            var card = scheduler.newCard(due: start)
            card = scheduler.review(card, rating: .good, at: start)
            #expect(card.state == .learning)
            #expect(card.step == 1)
            #expect(card.due == start + 600)
            card = scheduler.review(card, rating: .good, at: start + 600)
            #expect(card.state == .review)
            #expect(card.interval == 1)
            #expect(card.easeFactor == 2.5)
            #expect(card.due == start + 600 + day)
        }

        @Test func easyWhileLearningGraduatesWithTheEasyInterval() {
            let card = scheduler.review(scheduler.newCard(due: start), rating: .easy, at: start)
            #expect(card.state == .review)
            #expect(card.interval == 4)
        }

        @Test func againOnAnyLearningStepResetsToTheFirstStep() {
            var card = scheduler.review(scheduler.newCard(due: start), rating: .good, at: start)
            card = scheduler.review(card, rating: .again, at: start + 600)
            #expect(card.step == 0)
            #expect(card.due == start + 660)
        }

        @Test func hardOnTheFirstStepWaitsTheAverageOfTheFirstTwoSteps() {
            let card = scheduler.review(scheduler.newCard(due: start), rating: .hard, at: start)
            #expect(card.step == 0)
            #expect(card.due == start + 330)
        }

        @Test func hardOnASingleStepWaitsOneAndAHalfTimesItButAtMostADayMore() throws {
            let short = try SM2Scheduler(parameters: SM2Parameters(learningSteps: [600]))
            #expect(short.review(short.newCard(due: start), rating: .hard, at: start).due == start + 900)
            let long = try SM2Scheduler(parameters: SM2Parameters(learningSteps: [3 * 86_400]))
            #expect(long.review(long.newCard(due: start), rating: .hard, at: start).due == start + 4 * day)
        }

        @Test func goodOnTimeMultipliesTheIntervalByTheEase() {
            let card = scheduler.review(reviewCard(), rating: .good, at: start + 10 * day)
            #expect(card.interval == 25)
            #expect(card.easeFactor == 2.5)
            #expect(card.due == start + 35 * day)
        }

        @Test func hardMultipliesByOnePointTwoAndLowersEase() {
            let card = scheduler.review(reviewCard(), rating: .hard, at: start + 10 * day)
            #expect(card.interval == 12)
            #expect(card.easeFactor == 2.35)
        }

        @Test func easyAppliesTheEasyBonusAndRaisesEase() {
            let card = scheduler.review(reviewCard(), rating: .easy, at: start + 10 * day)
            #expect(card.interval == 33)  // 10 × 2.5 × 1.3 = 32.5, rounded away from zero
            #expect(card.easeFactor == 2.65)
        }

        @Test func lateReviewsCreditTheExtraDays() {
            // Four days late: Good credits half of them, Easy all of them.
            let good = scheduler.review(reviewCard(), rating: .good, at: start + 14 * day)
            #expect(good.interval == 30)  // (10 + 2) × 2.5
            let easy = scheduler.review(reviewCard(), rating: .easy, at: start + 14 * day)
            #expect(easy.interval == 46)  // (10 + 4) × 2.5 × 1.3 = 45.5
        }

        @Test func eachAnswerIsAtLeastADayLongerThanTheWeakerOne() {
            let card = reviewCard(interval: 1, ease: 1.3)
            let hard = scheduler.review(card, rating: .hard, at: start + day).interval
            let good = scheduler.review(card, rating: .good, at: start + day).interval
            let easy = scheduler.review(card, rating: .easy, at: start + day).interval
            #expect(hard >= 2)
            #expect(good >= hard + 1)
            #expect(easy >= good + 1)
        }

        @Test func easeNeverFallsBelowTheMinimum() {
            var card = reviewCard(ease: 1.35)
            card = scheduler.review(card, rating: .hard, at: start + 10 * day)
            #expect(card.easeFactor == 1.3)
            card.state = .review
            card = scheduler.review(card, rating: .again, at: card.due)
            #expect(card.easeFactor == 1.3)
        }

        @Test func againInReviewIsALapseThatRelearnsAndRestartsTheInterval() {
            var card = scheduler.review(reviewCard(interval: 40), rating: .again, at: start + 40 * day)
            #expect(card.state == .relearning)
            #expect(card.step == 0)
            #expect(card.lapses == 1)
            #expect(card.interval == 1)
            #expect(card.easeFactor == 2.3)
            #expect(card.due == start + 40 * day + 600)
            card = scheduler.review(card, rating: .good, at: card.due)
            #expect(card.state == .review)
            #expect(card.interval == 1)
            #expect(card.due == start + 41 * day + 600)
        }

        @Test func easyOutOfRelearningAddsADay() {
            var card = scheduler.review(reviewCard(interval: 40), rating: .again, at: start + 40 * day)
            card = scheduler.review(card, rating: .easy, at: card.due)
            #expect(card.state == .review)
            #expect(card.interval == 2)
        }

        @Test func withoutRelearningStepsALapseStaysInReview() throws {
            let none = try SM2Scheduler(parameters: SM2Parameters(relearningSteps: []))
            let card = none.review(reviewCard(interval: 40), rating: .again, at: start + 40 * day)
            #expect(card.state == .review)
            #expect(card.due == start + 41 * day)
        }

        @Test func aLapseMultiplierKeepsPartOfTheInterval() throws {
            let half = try SM2Scheduler(parameters: SM2Parameters(lapseMultiplier: 0.5))
            #expect(half.review(reviewCard(interval: 40), rating: .again, at: start + 40 * day).interval == 20)
        }

        @Test func earlyReviewsAreBasedOnTheDaysElapsed() {
            let card = scheduler.review(reviewCard(interval: 20), rating: .good, at: start + 5 * day)
            #expect(card.interval == 20)  // max(5 × 2.5, 20)
        }

        @Test func intervalsNeverExceedTheMaximum() throws {
            let capped = try SM2Scheduler(parameters: SM2Parameters(maximumInterval: 30))
            let card = capped.review(reviewCard(interval: 29), rating: .easy, at: start + 29 * day)
            #expect(card.interval == 30)
        }

        @Test func fuzzIsSeededAndOnlyMovesTheDueDate() {
            var a: SplitMix64? = SplitMix64(seed: 11)
            var b: SplitMix64? = SplitMix64(seed: 11)
            let x = scheduler.review(reviewCard(interval: 30), rating: .good, at: start + 30 * day, fuzz: &a)
            let y = scheduler.review(reviewCard(interval: 30), rating: .good, at: start + 30 * day, fuzz: &b)
            #expect(x == y)
            let range = IntervalFuzz.range(days: 75, maximum: 36500)!
            #expect(x.interval >= range.lowerBound && x.interval <= range.upperBound + 1)
        }

        @Test func invalidSettingsAreRefused() {
            #expect(throws: SchedulingError.invalidSM2Setting(name: "minimumEase", value: 0.5)) {
                try SM2Scheduler(parameters: SM2Parameters(minimumEase: 0.5))
            }
        }

        @Test func bothSchedulersAreChosenByKind() {
            #expect(SM2Scheduler.kind == .sm2)
            #expect(FSRSScheduler.kind == .fsrs6)
            #expect(SchedulerKind(rawValue: "fsrs6") == .fsrs6)
        }
    }
}
