import Foundation

/// A card's scheduling state under both algorithms. Every review updates both, so switching the
/// scheduler in settings keeps each card's history; the chosen one decides when it is due.
public struct StudyCard: Sendable, Codable, Equatable {
    public var fsrs: SchedulingCard
    public var sm2: SM2Card
    public var scheduler: SchedulerKind
    public var reps: Int
    public var lapses: Int
    /// The user's calendar day of the first review, for the daily allowance of new cards.
    public var introduced: String?

    /// When the card is next due under the scheduler chosen at its last review.
    public var due: Date { scheduler == .fsrs6 ? fsrs.due : sm2.due }
    public var lastReview: Date? { fsrs.lastReview }
    public var state: CardState { scheduler == .fsrs6 ? fsrs.state : sm2.state }
}

/// FSRS-6 and SM-2 configured from the user's settings: a pure function of (card, rating, time,
/// optional fuzz generator).
public struct StudyScheduler: Sendable {
    public let kind: SchedulerKind
    public let fsrs: FSRSScheduler
    public let sm2: SM2Scheduler

    public init(settings: Settings) throws(SchedulingError) {
        kind = settings.scheduler
        fsrs = try FSRSScheduler(parameters: FSRSParameters(
            desiredRetention: settings.desiredRetention, learningSteps: settings.learningSteps,
            relearningSteps: settings.relearningSteps, maximumInterval: settings.maximumInterval,
            enableFuzz: settings.fuzz))
        sm2 = try SM2Scheduler(parameters: SM2Parameters(
            learningSteps: settings.learningSteps, relearningSteps: settings.relearningSteps,
            maximumInterval: settings.maximumInterval, enableFuzz: settings.fuzz))
    }

    /// The card after a review rated `rating` at `time`. `card` is `nil` for a new card.
    public func review(_ card: StudyCard?, rating: Rating, at time: Date, fuzz: inout SplitMix64?) -> StudyCard {
        let f = card?.fsrs ?? fsrs.newCard(due: time)
        let s = card?.sm2 ?? sm2.newCard(due: time)
        let wasReview = card.map { $0.state == .review } ?? false
        return StudyCard(
            fsrs: fsrs.review(f, rating: rating, at: time, fuzz: &fuzz),
            sm2: sm2.review(s, rating: rating, at: time, fuzz: &fuzz),
            scheduler: kind,
            reps: (card?.reps ?? 0) + 1,
            lapses: (card?.lapses ?? 0) + (wasReview && rating == .again ? 1 : 0),
            introduced: card?.introduced)
    }

    /// The probability of recalling the card at `time` (FSRS's memory model, whichever scheduler plans).
    public func retrievability(_ card: StudyCard, at time: Date) -> Double {
        fsrs.retrievability(card.fsrs, at: time)
    }
}
