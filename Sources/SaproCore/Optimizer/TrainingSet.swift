import Foundation

/// The one way sapro counts days between reviews when it fits or scores FSRS parameters:
/// Anki's day numbers. A day starts at `rolloverHour` (04:00) local time, and the gap between two
/// reviews is the difference of their day numbers, so a review at 23:00 and one at 09:00 the next
/// morning are one day apart. (The scheduler itself counts 24-hour periods, as py-fsrs does; the
/// two agree for a learner who studies at about the same time each day.)
public struct DayConvention: Sendable, Hashable {
    /// The hour a new day begins, local time.
    public var rolloverHour: Int
    /// The learner's offset from UTC, in seconds.
    public var utcOffsetSeconds: Int

    public init(rolloverHour: Int = 4, utcOffsetSeconds: Int = 0) {
        self.rolloverHour = rolloverHour
        self.utcOffsetSeconds = utcOffsetSeconds
    }

    /// The day number of `date`: whole days since 1970-01-01 04:00 local time.
    public func dayNumber(_ date: Date) -> Int {
        let seconds = (date.timeIntervalSince1970 + Double(utcOffsetSeconds - rolloverHour * 3600)).rounded(.down)
        let s = Int(seconds)
        return s >= 0 ? s / 86_400 : -((-s + 86_399) / 86_400)
    }

    /// How the convention reads in output.
    public var summary: String {
        let hour = rolloverHour < 10 ? "0\(rolloverHour)" : "\(rolloverHour)"
        let offset = utcOffsetSeconds == 0 ? "UTC" : "UTC\(utcOffsetSeconds > 0 ? "+" : "-")\(Self.clock(abs(utcOffsetSeconds)))"
        return "days are counted as Anki counts them: a day starts at \(hour):00 (\(offset))"
    }

    private static func clock(_ seconds: Int) -> String {
        let h = seconds / 3600, m = seconds % 3600 / 60
        return m == 0 ? "\(h)" : "\(h):\(m < 10 ? "0" : "")\(m)"
    }
}

/// One review as the optimizer reads it from a log.
public struct LoggedReview: Sendable, Hashable {
    public var card: String
    public var time: Date
    /// 1 again … 4 easy.
    public var rating: Int

    public init(card: String, time: Date, rating: Int) {
        self.card = card
        self.time = time
        self.rating = rating
    }
}

/// A review inside a training item: its rating and the days since the card's previous review
/// (0 for the first review and for same-day reviews).
public struct TrainingReview: Sendable, Hashable {
    public var rating: Int
    public var deltaDays: Int

    public init(rating: Int, deltaDays: Int) {
        self.rating = rating
        self.deltaDays = deltaDays
    }
}

/// A review log cut into FSRS training items the way Anki and fsrs-rs do: every review after a
/// card's first that comes at least one day after the previous one is a target, predicted from
/// all of that card's earlier reviews. Same-day reviews stay in the history but are never targets.
///
/// The reviews of each card are kept once; an item is a card and the index of its target review.
public struct TrainingSet: Sendable {
    /// Each card's reviews, oldest first.
    public private(set) var histories: [[TrainingReview]] = []
    /// The card id of each history.
    public private(set) var cardIDs: [String] = []
    /// The items in the order of their target's time (then card id): the order recency weights use.
    public private(set) var items: [Item] = []
    /// When each item's target review was made, parallel to `items`.
    public private(set) var targetTimes: [Date] = []
    /// The reviews the set was made from.
    public private(set) var reviewCount = 0

    /// A target review and the history before it.
    public struct Item: Sendable, Hashable {
        /// Index into `histories`.
        public var card: Int
        /// Index of the target review in the card's history.
        public var target: Int
    }

    /// Items from `reviews` (in any order), with days counted by `days`.
    public init(reviews: [LoggedReview], days: DayConvention = DayConvention()) {
        var slot: [String: Int] = [:]
        var ids: [String] = []
        var perCard: [[Review]] = []
        for (order, review) in reviews.enumerated() {
            let index: Int
            if let known = slot[review.card] {
                index = known
            } else {
                index = perCard.count
                slot[review.card] = index
                perCard.append([])
                ids.append(review.card)
            }
            perCard[index].append(Review(time: review.time, order: order, rating: review.rating))
        }
        self.init(perCard: perCard, cardIDs: ids, reviewCount: reviews.count, days: days)
    }

    /// Items from the drill reviews of a progress log (the reviews that move a card's schedule),
    /// the same as `init(reviews: LoggedReview.drills(in: log))` without a string per review.
    public init(log: ReviewLog, days: DayConvention = DayConvention()) {
        // Card ids that are equal as strings share one history.
        var slotOfID: [String: Int] = [:]
        var ids: [String] = []
        let slots = log.cards.map { id in
            if let known = slotOfID[id] { return known }
            slotOfID[id] = ids.count
            ids.append(id)
            return ids.count - 1
        }
        var perCard = [[Review]](repeating: [], count: ids.count)
        var count = 0
        for (order, row) in log.rows.enumerated() where row.mode == .drill && (1...4).contains(row.rating) {
            perCard[slots[Int(row.card)]].append(
                Review(time: Date(timeIntervalSinceReferenceDate: row.time), order: order, rating: row.rating))
            count += 1
        }
        // Cards in the order of their first drill review, as `init(reviews:)` numbers them.
        let used = perCard.indices.filter { !perCard[$0].isEmpty }.sorted { perCard[$0][0].order < perCard[$1][0].order }
        self.init(perCard: used.map { perCard[$0] }, cardIDs: used.map { ids[$0] }, reviewCount: count, days: days)
    }

    private struct Review {
        var time: Date
        var order: Int
        var rating: Int
    }

    private init(perCard: [[Review]], cardIDs: [String], reviewCount: Int, days: DayConvention) {
        self.cardIDs = cardIDs
        self.reviewCount = reviewCount
        var targets: [(time: Date, card: Int, target: Int)] = []
        histories.reserveCapacity(perCard.count)
        for (card, var list) in perCard.enumerated() {
            list.sort { ($0.time, $0.order) < ($1.time, $1.order) }
            var history: [TrainingReview] = []
            history.reserveCapacity(list.count)
            var previousDay: Int?
            for (i, review) in list.enumerated() {
                let day = days.dayNumber(review.time)
                let delta = previousDay.map { day - $0 } ?? 0
                previousDay = day
                history.append(TrainingReview(rating: review.rating, deltaDays: delta))
                if i >= 1 && delta > 0 { targets.append((review.time, card, i)) }
            }
            histories.append(history)
        }
        let ids = cardIDs
        targets.sort { a, b in
            if a.time != b.time { return a.time < b.time }
            // Code-point order of the ids, as the reference sorts them.
            return ids[a.card].unicodeScalars.lexicographicallyPrecedes(ids[b.card].unicodeScalars)
        }
        items = targets.map { Item(card: $0.card, target: $0.target) }
        targetTimes = targets.map(\.time)
    }

    /// The set with only the items whose target time satisfies `keep` (same histories).
    public func filter(targetTime keep: (Date) -> Bool) -> TrainingSet {
        var copy = self
        let kept = items.indices.filter { keep(targetTimes[$0]) }
        copy.items = kept.map { items[$0] }
        copy.targetTimes = kept.map { targetTimes[$0] }
        return copy
    }

    /// The reviews of `item`, its target last.
    public func reviews(of item: Item) -> ArraySlice<TrainingReview> {
        histories[item.card][0...item.target]
    }

    /// For every item, in the order of `items`: its reviews on a later day than the one before
    /// (the target included) and its lapses before the target (Again on a later day). One pass
    /// through each card.
    func itemCounts() -> [(longTerm: Int, lapses: Int)] {
        var byCard = [[(target: Int, item: Int)]](repeating: [], count: histories.count)
        for (i, item) in items.enumerated() { byCard[item.card].append((item.target, i)) }
        var out = [(longTerm: Int, lapses: Int)](repeating: (0, 0), count: items.count)
        for (card, targets) in byCard.enumerated() where !targets.isEmpty {
            let sorted = targets.sorted { $0.target < $1.target }
            var longTerm = 0, lapses = 0, next = 0
            for (i, review) in histories[card].enumerated() {
                if review.deltaDays > 0 { longTerm += 1 }
                while next < sorted.count && sorted[next].target == i {
                    out[sorted[next].item] = (longTerm, lapses)
                    next += 1
                }
                if next == sorted.count { break }
                if review.rating == 1 && review.deltaDays > 0 { lapses += 1 }
            }
        }
        return out
    }

    /// Reviews of `item` after the first that came on a later day than the one before, the target included.
    func longTermReviewCount(_ item: Item) -> Int {
        var n = 0
        for review in histories[item.card][0...item.target] where review.deltaDays > 0 { n += 1 }
        return n
    }

    /// The first review of `item` that came on a later day than the one before.
    func firstLongTermReview(_ item: Item) -> TrainingReview {
        histories[item.card][0...item.target].first { $0.deltaDays > 0 }!
    }
}
