import Foundation

/// Makes a realistic study history, reproducible from a seed: most days a drill session of due
/// cards (recalled with the scheduler's own retrievability) and some new ones, sometimes a
/// practice quiz, a mock exam every few weeks, and days off. For tests, golden reports and benchmarks.
public struct HistorySimulator {
    public struct Output {
        public var reviews: [ReviewRecord<StudyCard>]
        public var cards: [String: StudyCard]
        public var sessions: [SessionRecord]
    }

    public var items: [StudyItem]
    public var scheduler: StudyScheduler
    public var start: Date
    public var newPerDay: Int
    public var seed: UInt64
    /// Practice-quiz answers on each study day besides the weekly short quiz (0: none), for the
    /// long, heavy histories of benchmarks: FSRS alone spaces 3,000 cards too far apart to reach
    /// half a million reviews.
    public var practicePerDay: Int

    public init(
        items: [StudyItem], scheduler: StudyScheduler, start: Date, newPerDay: Int = 20, seed: UInt64,
        practicePerDay: Int = 0
    ) {
        self.items = items
        self.scheduler = scheduler
        self.start = start
        self.newPerDay = newPerDay
        self.seed = seed
        self.practicePerDay = practicePerDay
    }

    static let misconceptions = [
        "document-max-pods-formula", "forgot-plus-two", "tasks-equal-enis", "forgot-reserved-addresses",
        "ignored-trunking", "forgot-primary-eni",
    ]

    /// Simulates until `days` have passed or `maximumReviews` reviews were made.
    public func run(days: Int, maximumReviews: Int = .max, reviewsPerDayLimit: Int = 400) -> Output {
        var random = SeededGenerator(seed: seed, stream: "history")
        var cards: [String: StudyCard] = [:]
        var reviews: [ReviewRecord<StudyCard>] = []
        var sessions: [SessionRecord] = []
        reviews.reserveCapacity(min(maximumReviews, 1 << 20))
        var nextNew = 0
        var fuzz: SplitMix64? = nil
        let skill = Dictionary(
            items.map { ($0.id, $0.id.hasPrefix("skill:") ? String($0.id.dropFirst(6)) : nil) }, uniquingKeysWith: { a, _ in a })
        let topicsOf = Dictionary(items.map { ($0.id, $0.topics) }, uniquingKeysWith: { a, _ in a })
        dayLoop: for d in 0..<days {
            if random.next(upperBound: 10) == 0 { continue }  // a day off
            var t = start.addingTimeInterval(Double(d) * 86_400 + Double(7 * 3600 + random.next(upperBound: 12 * 3600)))
            let day = ISOTime.day(t)
            let session = "sim-\(d)"
            let due = cards.filter { $0.value.due <= t }.keys.sorted()
            var queue = Array(due.prefix(reviewsPerDayLimit))
            var introduced = 0
            while introduced < newPerDay && nextNew < items.count && queue.count < reviewsPerDayLimit {
                queue.append(items[nextNew].id)
                nextNew += 1
                introduced += 1
            }
            var answered = 0, right = 0
            for id in queue {
                guard reviews.count < maximumReviews else { break dayLoop }
                let previous = cards[id]
                let recall = previous.map { scheduler.retrievability($0, at: t) } ?? 0.55
                let correct = Double(random.next(upperBound: 10_000)) / 10_000 < recall
                let rating: Int
                if !correct {
                    rating = 1
                } else {
                    let roll = random.next(upperBound: 100)
                    rating = roll < 15 ? 2 : roll < 85 ? 3 : 4
                }
                var next = scheduler.review(previous, rating: Rating(rawValue: rating)!, at: t, fuzz: &fuzz)
                next.introduced = previous?.introduced ?? day
                cards[id] = next
                let topics = topicsOf[id] ?? []
                let generator = skill[id] ?? nil
                reviews.append(
                    ReviewRecord(
                        card: id, time: t, day: day, rating: rating, answer: correct ? "right" : "wrong", correct: correct,
                        responseMilliseconds: 3000 + random.next(upperBound: 40_000), session: session, mode: .drill,
                        topics: topics, generator: generator,
                        misconception: !correct && generator != nil && random.nextBool() ? random.pick(Self.misconceptions) : nil,
                        previous: previous, next: next))
                answered += 1
                right += correct ? 1 : 0
                t += Double(10 + random.next(upperBound: 50))
            }
            sessions.append(SessionRecord(id: session, mode: .drill, started: t, ended: t, answered: answered, correct: right))
            if d % 7 == 3, reviews.count < maximumReviews {
                // A short practice quiz: attempts only.
                for _ in 0..<5 {
                    let item = items[random.next(upperBound: items.count)]
                    let correct = random.next(upperBound: 10) < 7
                    reviews.append(
                        ReviewRecord(
                            card: item.id, time: t, day: day, rating: correct ? 3 : 1, answer: "quiz",
                            correct: correct, responseMilliseconds: 9000, session: "\(session)-quiz",
                            mode: .quiz, topics: item.topics))
                    t += 20
                }
            }
            if practicePerDay > 0, reviews.count < maximumReviews {
                // A longer practice quiz: attempts only, right as often as the cards are remembered.
                let quiz = "\(session)-practice"
                let begun = t
                var quizRight = 0, quizAnswered = 0
                for _ in 0..<practicePerDay where reviews.count < maximumReviews {
                    let item = items[random.next(upperBound: items.count)]
                    let recall = cards[item.id].map { scheduler.retrievability($0, at: t) } ?? 0.5
                    let correct = Double(random.next(upperBound: 10_000)) / 10_000 < recall
                    reviews.append(
                        ReviewRecord(
                            card: item.id, time: t, day: day, rating: correct ? 3 : 1,
                            answer: correct ? "right" : "wrong", correct: correct,
                            responseMilliseconds: 4000 + random.next(upperBound: 30_000), session: quiz,
                            mode: .quiz, topics: item.topics))
                    quizAnswered += 1
                    quizRight += correct ? 1 : 0
                    t += Double(5 + random.next(upperBound: 40))
                }
                sessions.append(
                    SessionRecord(id: quiz, mode: .quiz, started: begun, ended: t, answered: quizAnswered, correct: quizRight))
            }
            if d % 21 == 20 {
                let correct = 30 + random.next(upperBound: 30)
                sessions.append(
                    SessionRecord(
                        id: "sim-exam-\(d)", mode: .exam, started: t, ended: t + 9000, answered: 65,
                        correct: correct, score: ScaledScore.of(correct: correct, outOf: 65),
                        blueprint: "container-networking"))
            }
        }
        return Output(reviews: reviews, cards: cards, sessions: sessions)
    }
}
