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

    public init(
        fsrs: SchedulingCard, sm2: SM2Card, scheduler: SchedulerKind, reps: Int, lapses: Int, introduced: String?,
        retry: String? = nil
    ) {
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

    /// One field of the card's positional layout.
    enum Value: Equatable {
        case int(Int), double(Double), text(String)
    }

    /// What a position holds; `optional` positions may be empty.
    enum Kind {
        case int, double, text
    }

    /// The one layout of a card's fields, used by both encodings: the journal's JSON (`f` is
    /// positions 0–5, FSRS; `m` is 6–12, SM-2; then `k`, `r`, `l`, `i`, `v`) and the snapshot's
    /// space-separated line fields (all of them in this order; the last only when set).
    static let layout: [(kind: Kind, optional: Bool)] = [
        (.int, false), (.int, true), (.double, true), (.double, true), (.double, false), (.double, true),
        (.int, false), (.int, true), (.double, false), (.int, false), (.int, false), (.double, false), (.double, true),
        (.text, false), (.int, false), (.int, false), (.text, true), (.text, true),
    ]

    /// The card's fields in `layout` order.
    var values: [Value?] {
        [
            .int(Self.states.firstIndex(of: fsrs.state)!), fsrs.step.map(Value.int), fsrs.memory.map { .double($0.stability) },
            fsrs.memory.map { .double($0.difficulty) }, .double(fsrs.due.timeIntervalSince1970),
            fsrs.lastReview.map { .double($0.timeIntervalSince1970) },
            .int(Self.states.firstIndex(of: sm2.state)!), sm2.step.map(Value.int), .double(sm2.easeFactor), .int(sm2.interval),
            .int(sm2.lapses), .double(sm2.due.timeIntervalSince1970), sm2.lastReview.map { .double($0.timeIntervalSince1970) },
            .text(scheduler == .sm2 ? "m" : "f"), .int(reps), .int(lapses), introduced.map(Value.text), retry.map(Value.text),
        ]
    }

    /// A card from its fields in `layout` order; `nil` when they do not describe one.
    init?(values v: [Value?]) {
        guard v.count == Self.layout.count else { return nil }
        func int(_ i: Int) -> Int? { if case .int(let x)? = v[i] { x } else { nil } }
        func double(_ i: Int) -> Double? { if case .double(let x)? = v[i] { x } else { nil } }
        func text(_ i: Int) -> String? { if case .text(let x)? = v[i] { x } else { nil } }
        func state(_ i: Int) -> CardState? { int(i).flatMap { Self.states.indices.contains($0) ? Self.states[$0] : nil } }
        guard let fState = state(0), let fDue = double(4), let mState = state(6), let ease = double(8),
            let interval = int(9), let mLapses = int(10), let mDue = double(11), let kind = text(13),
            let reps = int(14), let lapses = int(15)
        else { return nil }
        let stability = double(2), difficulty = double(3)
        fsrs = SchedulingCard(
            state: fState, step: int(1),
            memory: stability.flatMap { s in difficulty.map { MemoryState(stability: s, difficulty: $0) } },
            due: Date(timeIntervalSince1970: fDue), lastReview: double(5).map { Date(timeIntervalSince1970: $0) })
        sm2 = SM2Card(
            state: mState, step: int(7), easeFactor: ease, interval: interval, lapses: mLapses,
            due: Date(timeIntervalSince1970: mDue), lastReview: double(12).map { Date(timeIntervalSince1970: $0) })
        scheduler = kind == "m" ? .sm2 : .fsrs6
        self.reps = reps
        self.lapses = lapses
        introduced = text(16)
        retry = text(17)
    }

    /// Which JSON container holds each position, and under which key for the single ones.
    private static func jsonKey(_ position: Int) -> Keys {
        switch position {
        case 0..<6: .f
        case 6..<13: .m
        case 13: .k
        case 14: .r
        case 15: .l
        case 16: .i
        default: .v
        }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        var f = try c.nestedUnkeyedContainer(forKey: .f)
        var m = try c.nestedUnkeyedContainer(forKey: .m)
        var values: [Value?] = []
        for (position, slot) in Self.layout.enumerated() {
            let key = Self.jsonKey(position)
            func read<T: Decodable>(_: T.Type) throws -> T? {
                switch key {
                case .f: return slot.optional ? try f.decodeIfPresent(T.self) : try f.decode(T.self)
                case .m: return slot.optional ? try m.decodeIfPresent(T.self) : try m.decode(T.self)
                default: return slot.optional ? try c.decodeIfPresent(T.self, forKey: key) : try c.decode(T.self, forKey: key)
                }
            }
            switch slot.kind {
            case .int: values.append(try read(Int.self).map(Value.int))
            case .double: values.append(try read(Double.self).map(Value.double))
            case .text: values.append(try read(String.self).map(Value.text))
            }
        }
        guard let card = StudyCard(values: values) else {
            throw DecodingError.dataCorruptedError(forKey: .f, in: c, debugDescription: "not a card state")
        }
        self = card
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        var f = c.nestedUnkeyedContainer(forKey: .f)
        var m = c.nestedUnkeyedContainer(forKey: .m)
        for (position, value) in values.enumerated() {
            let key = Self.jsonKey(position)
            switch key {
            case .f, .m:
                // Array positions keep their place: an absent value is `null`.
                switch value {
                case .int(let x)?: key == .f ? try f.encode(x) : try m.encode(x)
                case .double(let x)?: key == .f ? try f.encode(x) : try m.encode(x)
                case .text(let x)?: key == .f ? try f.encode(x) : try m.encode(x)
                case nil: key == .f ? try f.encodeNil() : try m.encodeNil()
                }
            default:
                switch value {
                case .int(let x)?: try c.encode(x, forKey: key)
                case .double(let x)?: try c.encode(x, forKey: key)
                case .text(let x)?: try c.encode(x, forKey: key)
                case nil: break  // absent keys are left out
                }
            }
        }
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
    /// The exam-date rules, when the learner set an exam date.
    public var deadline: ExamDeadline?

    public init(settings: Settings, deadline: ExamDeadline? = nil) throws(SchedulingError) {
        self.deadline = deadline
        kind = settings.scheduler
        fsrs = try FSRSScheduler(
            parameters: FSRSParameters(
                weights: settings.weights, desiredRetention: settings.desiredRetention, learningSteps: settings.learningSteps,
                relearningSteps: settings.relearningSteps, maximumInterval: settings.maximumInterval,
                enableFuzz: settings.fuzz))
        sm2 = try SM2Scheduler(
            parameters: SM2Parameters(
                learningSteps: settings.learningSteps, relearningSteps: settings.relearningSteps,
                maximumInterval: settings.maximumInterval, enableFuzz: settings.fuzz))
    }

    /// The card after a review rated `rating` at `time`. `card` is `nil` for a new card.
    public func review(_ card: StudyCard?, rating: Rating, at time: Date, fuzz: inout SplitMix64?) -> StudyCard {
        let f = card?.fsrs ?? fsrs.newCard(due: time)
        let s = card?.sm2 ?? sm2.newCard(due: time)
        let wasReview = card.map { $0.state == .review } ?? false
        var nextFSRS = fsrs.review(f, rating: rating, at: time, fuzz: &fuzz)
        var nextSM2 = sm2.review(s, rating: rating, at: time, fuzz: &fuzz)
        if let deadline {
            let atExam = fsrs.retrievability(nextFSRS, at: deadline.exam)
            nextFSRS.due = deadline.due(nextFSRS.due, reviewedAt: time, retrievabilityAtExam: atExam)
            nextSM2.due = deadline.due(nextSM2.due, reviewedAt: time, retrievabilityAtExam: atExam)
        }
        return StudyCard(
            fsrs: nextFSRS,
            sm2: nextSM2,
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
    /// `values` as text (an absent value is empty; the last field, retry, only when set).
    public var lineFields: [String] {
        var fields = values.map { value -> String in
            switch value {
            case .int(let x)?: String(x)
            case .double(let x)?: "\(x)"
            case .text(let x)?: x
            case nil: ""
            }
        }
        if retry == nil { fields.removeLast() }
        return fields
    }

    public init?(lineFields f: LineFields) {
        guard f.count == Self.layout.count || f.count == Self.layout.count - 1 else { return nil }
        var values: [Value?] = []
        values.reserveCapacity(Self.layout.count)
        for (i, slot) in Self.layout.enumerated() {
            if i >= f.count || f.isEmpty(i) {
                guard slot.optional else { return nil }
                values.append(nil)
                continue
            }
            switch slot.kind {
            case .int: guard let x = f.int(i) else { return nil }; values.append(.int(x))
            case .double: guard let x = f.double(i) else { return nil }; values.append(.double(x))
            case .text: values.append(.text(f.text(i)))
            }
        }
        self.init(values: values)
    }
}
