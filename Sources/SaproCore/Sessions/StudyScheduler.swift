import Foundation

/// A card's scheduling state under both algorithms. Every review updates both, so switching the
/// scheduler in settings keeps each card's history; the chosen one decides when it is due.
/// Encoded compactly (the journal holds one per review): short keys, arrays, epoch seconds.
public struct StudyCard: Sendable, Codable, Equatable {
    public var fsrs: SchedulingCard
    public var sm2: SM2Card
    public var scheduler: SchedulerKind
    public var reps: Int
    public var lapses: Int
    /// The user's calendar day of the first review, for the daily allowance of new cards.
    public var introduced: String?
    /// For a generator skill: the kind of scenario last answered wrong (see
    /// `Generators.scenarioKind`), asked again until it is answered right; `nil` otherwise.
    public var retry: String?

    public init(fsrs: SchedulingCard, sm2: SM2Card, scheduler: SchedulerKind, reps: Int, lapses: Int, introduced: String?,
                retry: String? = nil) {
        self.fsrs = fsrs
        self.sm2 = sm2
        self.scheduler = scheduler
        self.reps = reps
        self.lapses = lapses
        self.introduced = introduced
        self.retry = retry
    }

    enum Keys: String, CodingKey { case f, m, k, r, l, i, v }

    static let states: [CardState] = [.new, .learning, .review, .relearning]

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        func state(_ n: Int) throws -> CardState {
            guard Self.states.indices.contains(n) else {
                throw DecodingError.dataCorruptedError(forKey: .f, in: c, debugDescription: "bad card state \(n)")
            }
            return Self.states[n]
        }
        func date(_ v: Double?) -> Date? { v.map { Date(timeIntervalSince1970: $0) } }
        // f: [state, step, stability, difficulty, due, lastReview]
        var f = try c.nestedUnkeyedContainer(forKey: .f)
        let fState = try state(try f.decode(Int.self))
        let fStep = try f.decodeIfPresent(Int.self)
        let stability = try f.decodeIfPresent(Double.self), difficulty = try f.decodeIfPresent(Double.self)
        let fDue = try f.decode(Double.self), fLast = try f.decodeIfPresent(Double.self)
        fsrs = SchedulingCard(state: fState, step: fStep,
                              memory: stability.flatMap { s in difficulty.map { MemoryState(stability: s, difficulty: $0) } },
                              due: Date(timeIntervalSince1970: fDue), lastReview: date(fLast))
        // m: [state, step, ease, interval, lapses, due, lastReview]
        var m = try c.nestedUnkeyedContainer(forKey: .m)
        let mState = try state(try m.decode(Int.self))
        let mStep = try m.decodeIfPresent(Int.self)
        let ease = try m.decode(Double.self), interval = try m.decode(Int.self), mLapses = try m.decode(Int.self)
        let mDue = try m.decode(Double.self), mLast = try m.decodeIfPresent(Double.self)
        sm2 = SM2Card(state: mState, step: mStep, easeFactor: ease, interval: interval, lapses: mLapses,
                      due: Date(timeIntervalSince1970: mDue), lastReview: date(mLast))
        scheduler = try c.decode(String.self, forKey: .k) == "m" ? .sm2 : .fsrs6
        reps = try c.decode(Int.self, forKey: .r)
        lapses = try c.decode(Int.self, forKey: .l)
        introduced = try c.decodeIfPresent(String.self, forKey: .i)
        retry = try c.decodeIfPresent(String.self, forKey: .v)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        var f = c.nestedUnkeyedContainer(forKey: .f)
        try f.encode(Self.states.firstIndex(of: fsrs.state)!)
        try f.encode(fsrs.step)
        try f.encode(fsrs.memory?.stability)
        try f.encode(fsrs.memory?.difficulty)
        try f.encode(fsrs.due.timeIntervalSince1970)
        try f.encode(fsrs.lastReview?.timeIntervalSince1970)
        var m = c.nestedUnkeyedContainer(forKey: .m)
        try m.encode(Self.states.firstIndex(of: sm2.state)!)
        try m.encode(sm2.step)
        try m.encode(sm2.easeFactor)
        try m.encode(sm2.interval)
        try m.encode(sm2.lapses)
        try m.encode(sm2.due.timeIntervalSince1970)
        try m.encode(sm2.lastReview?.timeIntervalSince1970)
        try c.encode(scheduler == .sm2 ? "m" : "f", forKey: .k)
        try c.encode(reps, forKey: .r)
        try c.encode(lapses, forKey: .l)
        try c.encodeIfPresent(introduced, forKey: .i)
        try c.encodeIfPresent(retry, forKey: .v)
    }

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
            introduced: card?.introduced,
            retry: card?.retry)
    }

    /// The probability of recalling the card at `time` (FSRS's memory model, whichever scheduler plans).
    public func retrievability(_ card: StudyCard, at time: Date) -> Double {
        fsrs.retrievability(card.fsrs, at: time)
    }
}

extension StudyCard: LineCodable {
    public var lineFields: [String] {
        func opt<T>(_ v: T?) -> String { v.map { "\($0)" } ?? "" }
        return [
            String(Self.states.firstIndex(of: fsrs.state)!), opt(fsrs.step), opt(fsrs.memory?.stability),
            opt(fsrs.memory?.difficulty), "\(fsrs.due.timeIntervalSince1970)", opt(fsrs.lastReview?.timeIntervalSince1970),
            String(Self.states.firstIndex(of: sm2.state)!), opt(sm2.step), "\(sm2.easeFactor)", String(sm2.interval),
            String(sm2.lapses), "\(sm2.due.timeIntervalSince1970)", opt(sm2.lastReview?.timeIntervalSince1970),
            scheduler == .sm2 ? "m" : "f", String(reps), String(lapses), introduced ?? "",
        ] + (retry.map { [$0] } ?? [])
    }

    public init?(lineFields f: LineFields) {
        // Empty text is an absent value; the 18th field (retry) is there only when set.
        guard f.count == 17 || f.count == 18 else { return nil }
        func state(_ i: Int) -> CardState? { f.int(i).flatMap { Self.states.indices.contains($0) ? Self.states[$0] : nil } }
        func int(_ i: Int) -> Int?? { f.isEmpty(i) ? .some(nil) : f.int(i).map { .some($0) } }
        func double(_ i: Int) -> Double?? { f.isEmpty(i) ? .some(nil) : f.double(i).map { .some($0) } }
        guard let fState = state(0), let fStep = int(1), let stability = double(2), let difficulty = double(3),
              let fDue = f.double(4), let fLast = double(5), let mState = state(6), let mStep = int(7),
              let ease = f.double(8), let interval = f.int(9), let mLapses = f.int(10), let mDue = f.double(11),
              let mLast = double(12), let reps = f.int(14), let lapses = f.int(15)
        else { return nil }
        fsrs = SchedulingCard(state: fState, step: fStep,
                              memory: stability.flatMap { s in difficulty.map { MemoryState(stability: s, difficulty: $0) } },
                              due: Date(timeIntervalSince1970: fDue), lastReview: fLast.map { Date(timeIntervalSince1970: $0) })
        sm2 = SM2Card(state: mState, step: mStep, easeFactor: ease, interval: interval, lapses: mLapses,
                      due: Date(timeIntervalSince1970: mDue), lastReview: mLast.map { Date(timeIntervalSince1970: $0) })
        scheduler = f.equals(13, "m") ? .sm2 : .fsrs6
        self.reps = reps
        self.lapses = lapses
        introduced = f.isEmpty(16) ? nil : f.text(16)
        retry = f.count == 18 && !f.isEmpty(17) ? f.text(17) : nil
    }
}
