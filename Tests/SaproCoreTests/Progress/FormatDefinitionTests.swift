import Foundation
import Testing
@testable import SaproCore

/// Each file format has one definition (its `Codable` type and `CodingKey` enum); these tests
/// fail when a hand-written reader or writer drifts from it.
@Suite struct OneDefinitionPerFormat {
    /// A review with every optional field set.
    static func fullReview(_ i: Int = 0) -> ReviewRecord<StudyCard> {
        let card = StudyCard(
            fsrs: SchedulingCard(
                state: .review, step: nil, memory: MemoryState(stability: 3.5, difficulty: 5),
                due: Date(timeIntervalSince1970: 1_800_000_000), lastReview: Date(timeIntervalSince1970: 1_799_000_000)),
            sm2: SM2Card(
                state: .review, step: nil, easeFactor: 2.5, interval: 4, lapses: 0,
                due: Date(timeIntervalSince1970: 1_800_000_000), lastReview: nil),
            scheduler: .fsrs6, reps: 3, lapses: 1, introduced: "2026-11-01", retry: "cidr-24")
        return ReviewRecord(
            card: "c\(i)", time: Date(timeIntervalSince1970: 1_799_500_000), day: "2026-12-01", rating: 3,
            answer: "a", correct: true, responseMilliseconds: 1200, session: "s", mode: .drill, topics: ["t"],
            generator: "g", misconception: "m", previous: card, next: card)
    }

    static func keys(ofJSONObject data: Data) throws -> Set<String> {
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return Set(object.keys)
    }

    @Test func theFastReadersKeyTablesAreTheKeysTheEncoderWrites() throws {
        let encoder = ProgressStore<StudyCard>.encoder
        let review = Self.fullReview()
        #expect(try Self.keys(ofJSONObject: encoder.encode(review)) == Set(ReviewRecordKey.allCases.map(\.rawValue)))
        // Every stored property is in the key enum: a field left out of it would never be written.
        #expect(Mirror(reflecting: review).children.compactMap(\.label) == ReviewRecordKey.allCases.map(\.rawValue))

        let entry = JournalEntry(
            seq: 1, type: .undo, review: review, target: 1,
            session: SessionRecord(id: "s", mode: .exam, started: Date(timeIntervalSince1970: 0)))
        #expect(try Self.keys(ofJSONObject: encoder.encode(entry)) == Set(JournalEntryKey.allCases.map(\.rawValue)))
        #expect(Set(Mirror(reflecting: entry).children.compactMap(\.label)) == Set(JournalEntryKey.allCases.map(\.rawValue)))

        let input = ReplayInputLine(card: .text("c"), time: "2026-12-01T00:00:00Z", rating: 3)
        #expect(try Self.keys(ofJSONObject: JSONEncoder().encode(input)) == Set(ReplayInputKey.allCases.map(\.rawValue)))
        #expect(Mirror(reflecting: input).children.compactMap(\.label) == ReplayInputKey.allCases.map(\.rawValue))
    }

    /// Strings that exercise every escape and several scripts.
    static let texts = [
        "29", "", "a, b", "quote \" and \\ backslash", "tab\tnew\nline\r", "héllo 日本 🙂", "[brackets]",
        "{\"json\":1}", "\u{1}control\u{1F}", "/slash/", "\u{8}\u{C}", "한국어", "a]b", "\u{7F}del", "e\u{301}",
    ]

    @Test func aJournalWrittenByTheAppIsReadWithoutTheDecoderAndAsTheDecoderReadsIt() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sapro-format-\(UUID().uuidString)")
        let store = try ProgressStore<StudyCard>(directory: dir)
        let scheduler = try StudyScheduler(settings: Settings())
        var random = SplitMix64(seed: 12)
        func pick(_ n: Int) -> Int { Int(random.next() % UInt64(n)) }
        func text() -> String { Self.texts[pick(Self.texts.count)] }
        var states: [String: StudyCard] = [:]
        for i in 0..<600 {
            let card = pick(4) == 0 ? "card \(text())" : "generator:eks-max-pods#\(i % 30)"
            let schedules = pick(3) != 0
            let time = Date(timeIntervalSince1970: 1_700_000_000 + Double(i) * 3_607 + Double(pick(1000)) / 1000)
            var fuzz: SplitMix64? = nil
            let next =
                schedules ? scheduler.review(states[card], rating: Rating(rawValue: 1 + pick(4))!, at: time, fuzz: &fuzz) : nil
            if let next { states[card] = next }
            let review = ReviewRecord<StudyCard>(
                card: card, time: time, day: ISOTime.day(time), rating: 1 + pick(4), answer: text(),
                correct: [true, false, nil][pick(3)], responseMilliseconds: pick(4) == 0 ? nil : pick(200_000),
                session: "s\(i / 25) \(pick(5) == 0 ? text() : "")", mode: schedules ? .drill : [.quiz, .exam][pick(2)],
                topics: (0..<pick(4)).map { _ in text() }, generator: pick(2) == 0 ? nil : text(),
                misconception: pick(3) == 0 ? text() : nil, next: next)
            try store.record(review)
            if pick(12) == 0 { try store.undoLast() }
            if pick(30) == 0 {
                try store.record(
                    session: SessionRecord(
                        id: "s\(i / 25)", mode: [.drill, .exam][pick(2)], started: time,
                        ended: time, answered: i, correct: i / 2, score: 700, blueprint: "b",
                        topicResults: ["t": Tally(answered: 2, correct: 1)]))
            }
        }
        let decoded = try store.reviews().map { review -> ReviewRecord<StudyCard> in
            var review = review
            review.previous = nil
            review.next = nil
            return review
        }
        let log = try store.compactReviewLog(details: true)
        #expect(store.decoderFallbacks == 0)
        #expect(log.records(StudyCard.self) == decoded)
        #expect(try store.reviewLog() == decoded)
        _ = try store.compactReviewLog()
        #expect(store.decoderFallbacks == 0)

        // A line with a key the reader does not know goes to the decoder, and is counted.
        var line =
            try JSONSerialization.jsonObject(
                with: ProgressStore<StudyCard>.encoder.encode(
                    JournalEntry(seq: 100_000, type: .review, review: Self.fullReview(), target: nil, session: nil)))
            as! [String: Any]
        var inner = line["review"] as! [String: Any]
        inner["addedLater"] = 1
        line["review"] = inner
        let handle = try FileHandle(forWritingTo: dir.appendingPathComponent("journal.jsonl"))
        handle.seekToEndOfFile()
        handle.write(try JSONSerialization.data(withJSONObject: line) + Data("\n".utf8))
        try handle.close()
        let withUnknown = try store.compactReviewLog(details: true)
        #expect(store.decoderFallbacks == 1)
        #expect(withUnknown.count == decoded.count + 1)
    }

    @Test func theReplayReaderReadsWhatTheDecoderReads() throws {
        var random = SplitMix64(seed: 5)
        func pick(_ n: Int) -> Int { Int(random.next() % UInt64(n)) }
        var checked = 0
        for _ in 0..<400 {
            let card: ReplayInputLine.Card =
                pick(3) == 0 ? .number(pick(10_000) - 100) : .text(Self.texts[pick(Self.texts.count)])
            let input = ReplayInputLine(
                card: card, time: ISOTime.format(Date(timeIntervalSince1970: Double(pick(2_000_000_000)))),
                rating: 1 + pick(4))
            var object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(input)) as! [String: Any]
            if pick(2) == 0 { object["extra"] = ["nested": [1, 2, ["x": "y]"]], "n": 1.5e3] as [String: Any] }
            if pick(3) == 0 { object["note"] = Self.texts[pick(Self.texts.count)] }
            let line = try JSONSerialization.data(withJSONObject: object, options: pick(2) == 0 ? [.prettyPrinted] : [])
            let flat = String(decoding: line, as: UTF8.self).replacingOccurrences(of: "\n", with: " ")
            let decoded = try JSONDecoder().decode(ReplayInputLine.self, from: Data(flat.utf8))
            let fields = try Array(flat.utf8).withUnsafeBufferPointer { (b) throws(ReplayError) in
                var scanner = FlatObjectScanner(bytes: b, position: 0, end: b.count, line: 1)
                let f = try scanner.scanReview()
                let key = f.cardEscaped ? FlatObjectScanner.decoded(b, f.cardKey) : String(decoding: b[f.cardKey], as: UTF8.self)
                return (key, f.time, f.rating)
            }
            switch decoded.card {
            case let .text(s): #expect(fields.0 == s)
            case let .number(n): #expect(fields.0 == String(n))
            }
            #expect(fields.1 == ISOTime.parse(decoded.time))
            #expect(fields.2 == decoded.rating)
            checked += 1
        }
        #expect(checked == 400)
        // What JSON itself refuses, the replay refuses too.
        for bad in [
            #"{"card":"a","time":"2024-01-01T00:00:00Z","rating":3"#, #"{"card":"a" "rating":3}"#,
            #"{"card":"a","x":tru,"rating":3}"#, #"{"card":"a","x":[1,}"#, #"{"card":"a\u12"}"#, "{\"card\":\"\u{1}\"}",
        ] {
            #expect((try? JSONSerialization.jsonObject(with: Data(bad.utf8))) == nil, "\(bad)")
            let refused = Array(bad.utf8).withUnsafeBufferPointer { b in
                var scanner = FlatObjectScanner(bytes: b, position: 0, end: b.count, line: 1)
                return (try? scanner.scanReview()) == nil
            }
            #expect(refused, "\(bad)")
        }
    }

    @Test func theDateCodecAgreesWithFoundationAndRefusesWhatIsOutOfRange() {
        let foundation = ISO8601DateFormatter()
        foundation.timeZone = TimeZone(identifier: "UTC")
        var random = SplitMix64(seed: 9)
        for _ in 0..<2000 {
            let seconds = Double(Int64(random.next() % 8_000_000_000) - 1_000_000_000)
            let date = Date(timeIntervalSince1970: seconds + Double(random.next() % 1000) / 1000)
            let text = ISOTime.format(date)
            #expect(text == foundation.string(from: Date(timeIntervalSince1970: seconds)), "\(seconds)")
            #expect(ISOTime.parse(text) == Date(timeIntervalSince1970: seconds))
        }
        #expect(ISOTime.parse("2024-03-01T15:46:00+05:30") == foundation.date(from: "2024-03-01T15:46:00+05:30"))
        #expect(ISOTime.parse("2024-03-01T15:46:00.250Z") == Date(timeIntervalSince1970: 1_709_307_960.25))
        for refused in [
            "2024-03-01T15:46:60Z", "2024-03-01T15:46:00+25:00", "2024-03-01T15:46:00+05:60", "2024-02-30T00:00:00Z",
            "2023-02-29T00:00:00Z", "2024-13-01T00:00:00Z", "2024-03-01T24:00:00Z", "2024-03-01T15:46:00.Z",
            "2024-03-01", "2024-03-01T15:46:00Zjunk",
        ] {
            #expect(ISOTime.parse(refused) == nil, "\(refused)")
        }
        #expect(ISOTime.parse("2024-02-29T23:59:59Z") != nil)
    }

    @Test func theOneStringEscapeIsTheEncodersAndTheOneUnescapeIsJSONs() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        var random = SplitMix64(seed: 3)
        var samples = Self.texts + (0..<0x80).map { String(UnicodeScalar(UInt8($0))) }
        for _ in 0..<300 {
            samples.append(
                String(
                    String.UnicodeScalarView(
                        (0..<Int(random.next() % 20)).compactMap { _ in
                            let pool: [UInt32] = [
                                0x0, 0x1F, 0x22, 0x5C, 0x2F, 0x41, 0x7F, 0xE9, 0x65E5, 0x1F642, 0xD7FF, 0xE000, 0x10FFFF,
                            ]
                            return Unicode.Scalar(
                                random.next() % 2 == 0
                                    ? pool[Int(random.next() % UInt64(pool.count))] : UInt32(random.next() % 0x80))
                        })))
        }
        for text in samples {
            let ours = JSONText.quoted(text)
            #expect(ours == Array(try encoder.encode(text)), "\(text.debugDescription)")
            // Reading back: every escape the encoder writes, and `\u` escapes of every scalar.
            var escaped = "\""
            for scalar in text.unicodeScalars {
                if scalar.value > 0xFFFF {
                    let v = scalar.value - 0x10000
                    escaped += String(format: "\\u%04X\\u%04x", 0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF))
                } else {
                    escaped += String(format: "\\u%04x", scalar.value)
                }
            }
            escaped += "\""
            for form in [ours, Array(escaped.utf8)] {
                let reference = try JSONSerialization.jsonObject(with: Data(form), options: .fragmentsAllowed) as? String
                let read = Array(form).withUnsafeBufferPointer { b in
                    JSONLineReader.unescape(UnsafeBufferPointer(rebasing: b[1..<(b.count - 1)]))
                }
                #expect(read == reference, "\(String(decoding: form, as: UTF8.self))")
            }
        }
        for bad in [#"\u12"#, #"\x"#, #"\ud800"#, #"\udc00x"#, #"\ud800\u0041"#, "\\"] {
            #expect(Array(bad.utf8).withUnsafeBufferPointer { JSONLineReader.unescape($0) } == nil, "\(bad)")
        }
    }

    @Test func bothEncodingsOfACardStateHoldEveryFieldAndAgree() throws {
        var settings = Settings()
        settings.fuzz = false
        let scheduler = try StudyScheduler(settings: settings)
        var random = SplitMix64(seed: 21)
        var card: StudyCard?
        var checked = 0
        for i in 0..<300 {
            var none: SplitMix64? = nil
            card = scheduler.review(
                i % 40 == 0 ? nil : card, rating: Rating(rawValue: 1 + Int(random.next() % 4))!,
                at: Date(timeIntervalSince1970: 1_800_000_000 + Double(i) * 7_777.125), fuzz: &none)
            card!.introduced = random.next() % 3 == 0 ? nil : "2027-01-\(10 + i % 19)"
            card!.retry = random.next() % 3 == 0 ? "kind-\(i % 5)" : nil
            if random.next() % 5 == 0 { card!.scheduler = .sm2 }
            let state = card!
            let json = try ProgressStore<StudyCard>.encoder.encode(state)
            #expect(try ProgressStore<StudyCard>.decoder.decode(StudyCard.self, from: json) == state)
            #expect(LineFields.with(state.lineFields) { StudyCard(lineFields: $0) } == state)
            checked += 1
        }
        #expect(checked == 300)
        // The layout covers every stored property (scheduling cards count by their fields).
        let sample = card!
        let stored = Mirror(reflecting: sample).children.compactMap(\.label)
        #expect(stored == ["fsrs", "sm2", "scheduler", "reps", "lapses", "introduced", "retry"])
        #expect(Mirror(reflecting: sample.fsrs).children.count + Mirror(reflecting: sample.fsrs.memory!).children.count - 1 == 6)
        #expect(Mirror(reflecting: sample.sm2).children.count == 7)
        #expect(StudyCard.layout.count == 6 + 7 + 5)
    }

    /// The data directory written by the 2026-12-01 version: its snapshot's card lines and the
    /// last state its journal gives each card are the same states.
    @Test func anOldSnapshotsCardLinesAgreeWithItsJournal() throws {
        let dir = Repo.root.appendingPathComponent("Tests/EndToEndTests/Fixtures/datadir-2026-12-01")
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("sapro-old-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: dir, to: copy)
        let store = try ProgressStore<StudyCard>(directory: copy)
        var last: [String: StudyCard] = [:]
        for review in try store.reviews() { if let next = review.next { last[review.card] = next } }
        #expect(!last.isEmpty)
        #expect(store.cards == last)
    }

    /// Mutated lines (bytes flipped, inserted, dropped): whatever the fast readers accept is JSON
    /// that `JSONSerialization` accepts too, and the journal reader's result is the decoder's.
    @Test func theFastReadersAcceptNoInvalidJSON() throws {
        let encoder = ProgressStore<StudyCard>.encoder
        let journalLine = Array(
            try encoder.encode(JournalEntry(seq: 7, type: .review, review: Self.fullReview(), target: nil, session: nil)))
        let replayLine = Array(
            #"{"card": "c1", "time": "2024-03-01T15:46:00Z", "rating": 3, "x": [1, -2.5e3, true, null, {"y": "z"}]}"#.utf8)
        var random = SplitMix64(seed: 77)
        var acceptedJournal = 0, acceptedReplay = 0, checked = 0
        for round in 0..<6_000 {
            var line = round % 2 == 0 ? journalLine : replayLine
            for _ in 0..<(1 + Int(random.next() % 3)) {
                let at = Int(random.next() % UInt64(line.count))
                switch random.next() % 3 {
                case 0: line[at] = UInt8(truncatingIfNeeded: random.next())
                case 1:
                    let pool = Array(#"{}[],:"0e.-+\ tfn"#.utf8)
                    line.insert(pool[Int(random.next() % UInt64(pool.count))], at: at)
                default: line.remove(at: at)
                }
            }
            let isJSON = (try? JSONSerialization.jsonObject(with: Data(line))) != nil
            line.withUnsafeBufferPointer { b in
                if round % 2 == 0 {
                    var log = ReviewLog(details: true)
                    var seqs: [Int] = [], undone: Set<Int> = []
                    if JournalScanner.scan(b, into: &log, seqs: &seqs, undone: &undone) {
                        acceptedJournal += 1
                        #expect(isJSON, "journal reader accepted: \(String(decoding: b, as: UTF8.self))")
                        if let entry = try? ProgressStore<StudyCard>.decoder.decode(JournalEntry<StudyCard>.self, from: Data(b)),
                            let review = entry.review, entry.type == .review
                        {
                            var expected = review
                            expected.previous = nil
                            expected.next = nil
                            #expect(log.records(StudyCard.self) == [expected], "\(String(decoding: b, as: UTF8.self))")
                        }
                    }
                } else {
                    var scanner = FlatObjectScanner(bytes: b, position: 0, end: b.count, line: 1)
                    if (try? scanner.scanReview()) != nil {
                        acceptedReplay += 1
                        #expect(isJSON, "replay reader accepted: \(String(decoding: b, as: UTF8.self))")
                    }
                }
            }
            checked += 1
        }
        #expect(checked == 6_000)
        // Some mutations leave valid lines (a changed letter in a string): both readers saw some.
        #expect(acceptedJournal > 50 && acceptedReplay > 50)
    }
}
