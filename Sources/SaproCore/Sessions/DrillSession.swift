import Foundation

/// How the learner met one shown question.
public enum DrillAnswer: Sendable {
    /// An answer, graded; `hints` is how many hints were shown first.
    case answered(Grade, input: String, seconds: Double, hints: Int)
    /// The learner asked for the worked answer instead of answering.
    case explained(seconds: Double)
}

/// Turns an answer into a rating (1 again … 4 easy), as a tutor would:
/// - wrong, or the answer asked for with `explain`: Again;
/// - a self-rated recall card: the learner's own rating;
/// - right: Easy when fast, Hard when slow, Good otherwise; but speed alone never makes a new
///   or learning card Easy (a fast first answer may be a guess), and any hint caps it at Hard.
public enum RatingPolicy {
    public static func rating(_ answer: DrillAnswer, cardState: CardState?, fast: Int, slow: Int) -> Rating {
        switch answer {
        case .explained:
            return .again
        case .answered(let grade, _, let seconds, let hints):
            if case .selfRated(let r) = grade { return Rating(rawValue: r.rawValue) ?? .again }
            guard grade.isCorrect == true else { return .again }
            var rating: Rating = seconds < Double(fast) ? .easy : seconds > Double(slow) ? .hard : .good
            let settled = cardState == .review
            if rating == .easy && !settled { rating = .good }
            if hints > 0 && rating.rawValue > Rating.hard.rawValue { rating = .hard }
            return rating
        }
    }
}

/// A spaced-repetition drill as a state machine, with no terminal, clock or randomness of its
/// own: the caller asks `next(now:cards:)` what to show, shows it, and hands back what the learner
/// did with `review(…)`, then `recorded(…)` once the review is saved.
///
/// As in Anki, a card whose learning or relearning step falls due during the drill comes back in
/// the same drill: a due step goes before the rest of the queue, and when only such cards are
/// left the drill says when the next is due (`.waiting`). Options are shuffled per presentation
/// from the drill's seed. A failed generator skill is asked again on the kind of scenario that was
/// failed (`StudyCard.retry`), with fresh numbers, until it is answered right.
public struct DrillSession: Sendable {
    /// One question as shown.
    public struct Presentation: Sendable {
        public var item: StudyItem
        /// The question, its options in the order shown.
        public var question: Question
        /// 1-based place in the drill's queue; repeats of a learning step keep the card's place.
        public var position: Int
        /// True when this is a learning step coming back within the drill.
        public var isRepeat: Bool
        /// For a skill: the kind of scenario asked, and whether it was asked because it was failed.
        public var scenarioKind: String?
        public var isRetry: Bool
    }

    /// What to do next.
    public enum Step: Sendable {
        case ask(Presentation)
        /// Only learning steps are left, the next due at `until`: wait, take it now, or stop.
        case waiting(until: Date, remaining: Int)
        case finished
    }

    public let id: String
    public let scheduler: StudyScheduler
    /// The questions of the queue (the limit applies to these; learning repeats come on top).
    public private(set) var queue: [StudyItem]
    /// Learning steps due within the drill: item and when it is due.
    public private(set) var pending: [(item: StudyItem, due: Date, position: Int)] = []
    public private(set) var answered = 0
    public private(set) var correct = 0
    public private(set) var abandoned = 0
    /// Items already taken from `queue` (for the `[n/total]` header).
    public private(set) var taken = 0
    public var total: Int { queue.count + taken }
    /// Learning steps due within this long count as part of the drill.
    public let horizon: TimeInterval
    private let catalog: GeneratorCatalog
    private let topicScope: Set<String>?
    private let fastAnswer: Int, slowAnswer: Int
    private var seeds: SplitMix64
    /// The reviews this drill saved, newest last, with the state before each (for `rate` and `undo`).
    public private(set) var saved: [(review: ReviewRecord<StudyCard>, previous: StudyCard?, position: Int, selfRated: Bool)] = []

    public init(
        id: String, queue: [StudyItem], scheduler: StudyScheduler, catalog: InstanceCatalog, seed: UInt64,
        topicScope: Set<String>? = nil, fastAnswer: Int, slowAnswer: Int, horizon: TimeInterval = 3600
    ) {
        self.id = id
        self.queue = queue
        self.scheduler = scheduler
        self.catalog = GeneratorCatalog(catalog)
        self.seeds = SplitMix64(seed: seed)
        self.topicScope = topicScope
        self.fastAnswer = fastAnswer
        self.slowAnswer = slowAnswer
        self.horizon = horizon
    }

    /// The next thing to show at `now`, given the cards' current states (which another process
    /// may have changed). A due learning step goes first; then the queue; then `.waiting`.
    public mutating func next(now: Date, cards: [String: StudyCard]) -> Step {
        while true {
            if let i = earliestPending(), pending[i].due <= now {
                let entry = pending.remove(at: i)
                if let p = present(entry.item, position: entry.position, isRepeat: true, card: cards[entry.item.id]) {
                    return .ask(p)
                }
                continue
            }
            if !queue.isEmpty {
                let item = queue.removeFirst()
                taken += 1
                if let p = present(item, position: taken, isRepeat: false, card: cards[item.id]) { return .ask(p) }
                continue
            }
            if let i = earliestPending() { return .waiting(until: pending[i].due, remaining: pending.count) }
            return .finished
        }
    }

    /// The next learning step now, even before it is due (the learner chose not to wait).
    public mutating func takeEarly(cards: [String: StudyCard]) -> Presentation? {
        while let i = earliestPending() {
            let entry = pending.remove(at: i)
            if let p = present(entry.item, position: entry.position, isRepeat: true, card: cards[entry.item.id]) { return p }
        }
        return nil
    }

    private func earliestPending() -> Int? {
        pending.indices.min { (pending[$0].due, pending[$0].position) < (pending[$1].due, pending[$1].position) }
    }

    private mutating func present(_ item: StudyItem, position: Int, isRepeat: Bool, card: StudyCard?) -> Presentation? {
        let question: Question
        var kind: String?
        var isRetry = false
        switch item.kind {
        case .question(let q):
            question = q
        case .skill(let generatorID):
            guard let generator = Generators.named(generatorID) else { return nil }
            let scope = topicScope
            let wanted = card?.retry
            guard
                let q = Generators.instance(
                    of: generator, kind: wanted, catalog: catalog, seeds: &seeds,
                    accept: { q in scope.map { s in q.topics.contains { s.contains($0) } } ?? true })
            else { return nil }
            question = q
            kind = Generators.scenarioKind(of: q)
            isRetry = wanted != nil && kind == wanted
        }
        shownItems[item.id] = item
        return Presentation(
            item: item, question: question.shuffled(seed: seeds.next()), position: position,
            isRepeat: isRepeat, scenarioKind: kind, isRetry: isRetry)
    }

    /// The review to save for `answer` to `shown` at `time`; `previous` is the card's state now.
    /// `fuzz` draws the scheduler's interval fuzz (nil: none).
    public func review(
        of shown: Presentation, answer: DrillAnswer, at time: Date, day: String, today: String,
        previous: StudyCard?, fuzz: inout SplitMix64?
    ) -> ReviewRecord<StudyCard> {
        let rating = RatingPolicy.rating(answer, cardState: previous?.state, fast: fastAnswer, slow: slowAnswer)
        var next = scheduler.review(previous, rating: rating, at: time, fuzz: &fuzz)
        next.introduced = previous?.introduced ?? today
        let input: String, seconds: Double, grade: Grade?
        switch answer {
        case .answered(let g, let i, let s, _): (grade, input, seconds) = (g, i, s)
        case .explained(let s): (grade, input, seconds) = (nil, "(explained)", s)
        }
        let isCorrect: Bool? = grade.map { $0.isCorrect } ?? false
        if shown.scenarioKind != nil {
            // A skill keeps the failed kind of scenario until it is answered right.
            next.retry = isCorrect == false || rating == .again ? shown.scenarioKind : nil
        }
        return ReviewRecord(
            card: shown.item.id, time: time, day: day, rating: rating.rawValue, answer: input, correct: isCorrect,
            responseMilliseconds: Int((seconds * 1000).rounded()), session: id, mode: .drill, topics: shown.question.topics,
            generator: shown.question.generatorID, misconception: grade?.misconception?.id, previous: previous, next: next)
    }

    /// Notes a saved review: counts it, and brings the card back within the drill when its next
    /// learning step is due inside the horizon.
    public mutating func recorded(_ review: ReviewRecord<StudyCard>, of shown: Presentation, previous: StudyCard?, now: Date) {
        answered += 1
        if review.correct == true || (review.correct == nil && review.rating > 1) { correct += 1 }
        let selfRated: Bool = {
            if case .recall = shown.question.body { return review.answer != "(explained)" } else { return false }
        }()
        saved.append((review, previous, shown.position, selfRated))
        requeue(shown.item, after: review, position: shown.position, now: now)
    }

    private mutating func requeue(_ item: StudyItem, after review: ReviewRecord<StudyCard>, position: Int, now: Date) {
        pending.removeAll { $0.item.id == item.id }
        guard let next = review.next, next.state == .learning || next.state == .relearning,
            next.due.timeIntervalSince(now) <= horizon
        else { return }
        pending.append((item, next.due, position))
    }

    /// A question left unanswered (Ctrl-C): not graded, not asked again in this drill.
    public mutating func abandon(_ shown: Presentation) {
        abandoned += 1
    }

    /// The last saved review of this drill changed to `rating`: the replacement to save after
    /// undoing the original (the caller does both, then calls `rerated`).
    public func rerating(_ rating: Rating, fuzz: inout SplitMix64?) -> (
        original: ReviewRecord<StudyCard>, replacement: ReviewRecord<StudyCard>
    )? {
        guard let last = saved.last else { return nil }
        var changed = last.review
        changed.rating = rating.rawValue
        // A self-rated recall card's rating is its verdict; an objective answer stays right or wrong.
        if last.selfRated { changed.correct = rating != .again }
        let retry = last.review.next?.retry
        var next = scheduler.review(last.previous, rating: rating, at: last.review.time, fuzz: &fuzz)
        next.introduced = last.previous?.introduced ?? last.review.day
        next.retry = retry.flatMap { _ in rating == .again || changed.correct == false ? retry : nil }
        changed.next = next
        return (last.review, changed)
    }

    /// Records that the last review was replaced by `replacement` (after `rerating`).
    public mutating func rerated(_ replacement: ReviewRecord<StudyCard>, now: Date) {
        guard let last = saved.popLast() else { return }
        let wasCorrect = last.review.correct == true || (last.review.correct == nil && last.review.rating > 1)
        let isCorrect = replacement.correct == true || (replacement.correct == nil && replacement.rating > 1)
        correct += (isCorrect ? 1 : 0) - (wasCorrect ? 1 : 0)
        saved.append((replacement, last.previous, last.position, last.selfRated))
        if let item = studyItem(for: replacement) { requeue(item, after: replacement, position: last.position, now: now) }
    }

    /// Records that the last review of this drill was undone: its card is asked again next.
    public mutating func undone(now: Date) -> ReviewRecord<StudyCard>? {
        guard let last = saved.popLast() else { return nil }
        answered -= 1
        if last.review.correct == true || (last.review.correct == nil && last.review.rating > 1) { correct -= 1 }
        if let item = studyItem(for: last.review) {
            pending.removeAll { $0.item.id == item.id }
            // Asked again at once: due now, ahead of everything else.
            pending.append((item, .distantPast, last.position))
        }
        return last.review
    }

    /// Puts a shown question back to be asked first (after an undo took its turn).
    public mutating func putBack(_ shown: Presentation) {
        if shown.isRepeat {
            // Just after the undone answer's card, which is asked again first.
            pending.append((shown.item, Date.distantPast.addingTimeInterval(1), shown.position))
        } else {
            queue.insert(shown.item, at: 0)
            taken -= 1
        }
    }

    private func studyItem(for review: ReviewRecord<StudyCard>) -> StudyItem? {
        shownItems[review.card]
    }

    /// Every item shown in this drill, by id.
    private var shownItems: [String: StudyItem] = [:]
}

/// The drill's steps that save: each changes the session and the progress store together, so
/// what the session counts is what the journal holds.
extension DrillSession {
    /// Grades and schedules `answer` to `shown` at `time`, records it in `store` and notes it;
    /// the review saved and the card's state before it. Nothing is noted when saving fails.
    public mutating func answer(
        _ shown: Presentation, with answer: DrillAnswer, at time: Date, day: String, today: String,
        in store: ProgressStore<StudyCard>, fuzz: inout SplitMix64?
    ) throws(ProgressError) -> (review: ReviewRecord<StudyCard>, previous: StudyCard?) {
        let previous = store.cards[shown.item.id]
        let review = review(of: shown, answer: answer, at: time, day: day, today: today, previous: previous, fuzz: &fuzz)
        try store.record(review)
        recorded(review, of: shown, previous: previous, now: time)
        return (review, previous)
    }

    /// Changes the rating of this drill's last answer: its review is taken back in `store` and
    /// the re-rated one recorded (if that fails, the original is put back). `nil` when nothing
    /// has been answered in this drill.
    public mutating func rerate(
        _ rating: Rating, in store: ProgressStore<StudyCard>, now: Date, fuzz: inout SplitMix64?
    ) throws(ProgressError) -> ReviewRecord<StudyCard>? {
        guard let (original, replacement) = rerating(rating, fuzz: &fuzz) else { return nil }
        _ = try store.undoLast(session: id)
        do {
            try store.record(replacement)
        } catch {
            // Put the original back rather than lose the answer.
            _ = try? store.record(original)
            throw error
        }
        rerated(replacement, now: now)
        return replacement
    }

    /// Takes back this drill's last answer in `store`; it is asked again next, and `shown` (the
    /// question the user was at) after it. The review undone.
    public mutating func undo(
        putting shown: Presentation, in store: ProgressStore<StudyCard>, now: Date
    ) throws(ProgressError) -> ReviewRecord<StudyCard> {
        let undone = try store.undoLast(session: id)
        _ = self.undone(now: now)
        putBack(shown)
        return undone
    }
}
