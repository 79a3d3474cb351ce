import Foundation

/// Why an answer was given: drills change the schedule; quizzes and exams only record attempts.
public enum StudyMode: String, Sendable, Codable, CaseIterable {
    case drill, quiz, exam
}

/// The keys of a review in the journal: the one list the `Codable` conformance and the journal's
/// fast reader (`JournalScanner`, whose `switch` over these must be exhaustive) both use.
public enum ReviewRecordKey: String, CodingKey, CaseIterable, Sendable {
    case card, time, day, rating, answer, correct, responseMilliseconds, session, mode, topics, generator,
        misconception, previous, next
}

/// The keys of a journal line (see `ReviewRecordKey`).
public enum JournalEntryKey: String, CodingKey, CaseIterable, Sendable {
    case seq, type, review, target, session
}

/// One answered question, as the review log keeps it.
public struct ReviewRecord<State: Codable & Sendable & Equatable>: Codable, Sendable, Equatable {
    /// The card (or skill) reviewed.
    public var card: String
    public var time: Date
    /// The user's calendar day (`YYYY-MM-DD` in their time zone), for streaks and daily counts.
    public var day: String
    /// 1 again, 2 hard, 3 good, 4 easy.
    public var rating: Int
    /// What the user typed.
    public var answer: String
    /// `nil` for self-rated recall cards.
    public var correct: Bool?
    public var responseMilliseconds: Int?
    public var session: String
    public var mode: StudyMode
    public var topics: [String]
    public var generator: String?
    public var misconception: String?
    /// The card's scheduling state before and after; both `nil` when the schedule was left alone.
    public var previous: State?
    public var next: State?

    public typealias CodingKeys = ReviewRecordKey

    public init(
        card: String, time: Date, day: String, rating: Int, answer: String, correct: Bool?,
        responseMilliseconds: Int? = nil, session: String, mode: StudyMode, topics: [String],
        generator: String? = nil, misconception: String? = nil, previous: State? = nil, next: State? = nil
    ) {
        self.card = card
        self.time = time
        self.day = day
        self.rating = rating
        self.answer = answer
        self.correct = correct
        self.responseMilliseconds = responseMilliseconds
        self.session = session
        self.mode = mode
        self.topics = topics
        self.generator = generator
        self.misconception = misconception
        self.previous = previous
        self.next = next
    }

    /// True when this review changed the card's schedule.
    public var changesSchedule: Bool { next != nil }
}

/// A study session or exam, as the history keeps it.
public struct SessionRecord: Codable, Sendable, Equatable {
    public var id: String
    public var mode: StudyMode
    public var started: Date
    public var ended: Date?
    public var answered: Int
    public var correct: Int
    /// Exams: the scaled score (100–1000) and the blueprint.
    public var score: Int?
    public var blueprint: String?
    /// Exams: per-topic (correct, total).
    public var topicResults: [String: Tally]?

    public init(
        id: String, mode: StudyMode, started: Date, ended: Date? = nil, answered: Int = 0, correct: Int = 0,
        score: Int? = nil, blueprint: String? = nil, topicResults: [String: Tally]? = nil
    ) {
        self.id = id
        self.mode = mode
        self.started = started
        self.ended = ended
        self.answered = answered
        self.correct = correct
        self.score = score
        self.blueprint = blueprint
        self.topicResults = topicResults
    }
}

/// A count of answers and of correct ones. Encoded as `[answered, correct]` (the snapshot holds
/// one per study day); an `{"answered", "correct"}` object is read too.
public struct Tally: Codable, Sendable, Equatable, Hashable {
    public var answered: Int
    public var correct: Int
    public init(answered: Int = 0, correct: Int = 0) {
        self.answered = answered
        self.correct = correct
    }

    enum Keys: String, CodingKey { case answered, correct }

    public init(from decoder: Decoder) throws {
        if var pair = try? decoder.unkeyedContainer() {
            answered = try pair.decode(Int.self)
            correct = try pair.decode(Int.self)
        } else {
            let c = try decoder.container(keyedBy: Keys.self)
            answered = try c.decode(Int.self, forKey: .answered)
            correct = try c.decode(Int.self, forKey: .correct)
        }
    }

    public func encode(to encoder: Encoder) throws {
        var pair = encoder.unkeyedContainer()
        try pair.encode(answered)
        try pair.encode(correct)
    }
    public var accuracy: Double? { answered == 0 ? nil : Double(correct) / Double(answered) }
}

/// Running totals kept in the snapshot so stats never need the whole log.
public struct Aggregates: Codable, Sendable, Equatable {
    public var days: [String: Tally] = [:]
    public var topics: [String: Tally] = [:]
    public var generators: [String: Tally] = [:]
    public var misconceptions: [String: Int] = [:]
    public var modes: [String: Tally] = [:]
    public init() {}

    enum Keys: String, CodingKey { case days, topics, generators, misconceptions, modes }

    // `days` grows by one entry a study day, and start-up reads it: it is kept as one string of
    // `day answered correct` records separated by `|` (an object of tallies is read too).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        if let text = try? c.decode(String.self, forKey: .days) {
            // Split on bytes: both separators are ASCII, and start-up reads this.
            for record in text.utf8.split(separator: UInt8(ascii: "|")) {
                let parts = record.split(separator: UInt8(ascii: " ")).map { Substring($0) }
                guard parts.count == 3, let answered = Int(parts[1]), let correct = Int(parts[2]) else {
                    throw DecodingError.dataCorruptedError(
                        forKey: .days, in: c, debugDescription: "bad day record '\(record.prefix(40))'")
                }
                days[String(parts[0])] = Tally(answered: answered, correct: correct)
            }
        } else {
            days = try c.decodeIfPresent([String: Tally].self, forKey: .days) ?? [:]
        }
        topics = try c.decodeIfPresent([String: Tally].self, forKey: .topics) ?? [:]
        generators = try c.decodeIfPresent([String: Tally].self, forKey: .generators) ?? [:]
        misconceptions = try c.decodeIfPresent([String: Int].self, forKey: .misconceptions) ?? [:]
        modes = try c.decodeIfPresent([String: Tally].self, forKey: .modes) ?? [:]
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        if days.keys.allSatisfy({ !$0.contains(" ") && !$0.contains("|") }) {
            try c.encode(
                days.keys.sorted().map { "\($0) \(days[$0]!.answered) \(days[$0]!.correct)" }.joined(separator: "|"),
                forKey: .days)
        } else {
            try c.encode(days, forKey: .days)
        }
        try c.encode(topics, forKey: .topics)
        try c.encode(generators, forKey: .generators)
        try c.encode(misconceptions, forKey: .misconceptions)
        try c.encode(modes, forKey: .modes)
    }

    mutating func apply<S>(_ r: ReviewRecord<S>, sign: Int) {
        let right = r.correct == true ? sign : 0
        // Keys whose count returns to zero are removed, so an undo restores the totals exactly.
        func bump(_ table: inout [String: Tally], _ key: String) {
            var tally = table[key, default: Tally()]
            tally.answered += sign
            tally.correct += right
            table[key] = tally.answered == 0 && tally.correct == 0 ? nil : tally
        }
        bump(&days, r.day)
        for topic in r.topics { bump(&topics, topic) }
        if let generator = r.generator { bump(&generators, generator) }
        if let misconception = r.misconception {
            let count = misconceptions[misconception, default: 0] + sign
            misconceptions[misconception] = count == 0 ? nil : count
        }
        bump(&modes, r.mode.rawValue)
    }
}

/// What a journal line records.
public enum JournalEntryKind: String, Codable, Sendable, CaseIterable {
    case review, undo, session
}

/// One line of the journal.
public struct JournalEntry<State: Codable & Sendable & Equatable>: Codable, Sendable, Equatable {
    public typealias Kind = JournalEntryKind
    public typealias CodingKeys = JournalEntryKey
    public var seq: Int
    public var type: Kind
    /// For `review`: the review; for `undo`: the review undone.
    public var review: ReviewRecord<State>?
    /// For `undo`: the sequence number of the review undone.
    public var target: Int?
    public var session: SessionRecord?
}
