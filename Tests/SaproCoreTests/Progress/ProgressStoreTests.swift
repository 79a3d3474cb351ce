import Foundation
import Testing
@testable import SaproCore

private struct Memory: Codable, Sendable, Equatable {
    var reps: Int
}
private typealias Store = ProgressStore<Memory>

private func review(
    _ card: String, reps: Int?, previous: Int? = nil, correct: Bool = true, day: String = "2026-11-27",
    session: String = "s1"
) -> ReviewRecord<Memory> {
    ReviewRecord(
        card: card, time: Date(timeIntervalSince1970: 1_800_000_000), day: day, rating: correct ? 3 : 1,
        answer: "29", correct: correct, responseMilliseconds: 1200, session: session, mode: reps == nil ? .quiz : .drill,
        topics: ["amazon-eks-networking/vpc-cni-plugin"], generator: "eks-max-pods",
        misconception: correct ? nil : "forgot-plus-two",
        previous: previous.map { Memory(reps: $0) }, next: reps.map { Memory(reps: $0) })
}

private func freshDirectory() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("sapro-store-\(UUID().uuidString)")
}

@Test func reviewsSurviveReopeningTheStore() throws {
    let dir = freshDirectory()
    do {
        let store = try Store(directory: dir)
        try store.record(review("a", reps: 1))
        try store.record(review("b", reps: 1))
        try store.record(review("a", reps: 2, previous: 1, correct: false))
    }
    let reopened = try Store(directory: dir)
    #expect(reopened.cards == ["a": Memory(reps: 2), "b": Memory(reps: 1)])
    #expect(reopened.aggregates.days["2026-11-27"] == Tally(answered: 3, correct: 2))
    #expect(reopened.aggregates.misconceptions == ["forgot-plus-two": 1])
    #expect(try reopened.reviews().count == 3)
}

@Test func quizAttemptsCountButLeaveTheScheduleAlone() throws {
    let store = try Store(directory: freshDirectory())
    try store.record(review("a", reps: nil))
    #expect(store.cards.isEmpty)
    #expect(store.aggregates.modes["quiz"] == Tally(answered: 1, correct: 1))
}

@Test func undoRestoresThePreviousStateAndTotalsExactly() throws {
    let dir = freshDirectory()
    let store = try Store(directory: dir)
    try store.record(review("a", reps: 1))
    let before = (store.cards, store.aggregates)
    try store.record(review("a", reps: 2, previous: 1, correct: false))
    let undone = try store.undoLast()
    #expect(undone.next == Memory(reps: 2))
    #expect(store.cards == before.0)
    #expect(store.aggregates == before.1)
    let reopened = try Store(directory: dir)
    #expect(reopened.cards == before.0 && reopened.aggregates == before.1)
    #expect(try reopened.reviews().map(\.next) == [Memory(reps: 1)])
    // A store undoes only what it recorded itself: the earlier answer needs its session named.
    #expect(throws: ProgressError.nothingOfYoursToUndo(newestSession: "s1")) { try reopened.undoLast() }
    try reopened.undoLast(session: "s1", anyProcess: true)
    #expect(reopened.cards.isEmpty)
    #expect(throws: ProgressError.nothingToUndo) { try reopened.undoLast(anyProcess: true) }
}

@Test func undoNeverTakesBackAnotherStoresAnswer() throws {
    let dir = freshDirectory()
    let mine = try Store(directory: dir)
    let theirs = try Store(directory: dir)
    try mine.record(review("a", reps: 1, session: "mine"))
    try theirs.record(review("b", reps: 1, session: "theirs"))
    // The newest answer is theirs; mine is the one undone, and theirs stays.
    #expect(try mine.undoLast().card == "a")
    #expect(throws: ProgressError.nothingOfYoursToUndo(newestSession: "theirs")) { try mine.undoLast() }
    let reopened = try Store(directory: dir)
    #expect(try reopened.reviews().map(\.card) == ["b"])
}

@Test func snapshotsCompactAndStartUpReadsOnlyTheTail() throws {
    let dir = freshDirectory()
    let store = try Store(directory: dir)
    store.snapshotInterval = 10
    for i in 0..<25 { try store.record(review("c\(i % 7)", reps: i)) }
    #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("snapshot.json").path))
    #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("backups/snapshot.json.1").path))
    let reopened = try Store(directory: dir)
    #expect(reopened.cards == store.cards)
    #expect(reopened.lastSequence == 25)
}

@Test func aTornLastLineIsSetAsideAndEverythingBeforeItKept() throws {
    let dir = freshDirectory()
    do {
        let store = try Store(directory: dir)
        try store.record(review("a", reps: 1))
    }
    let journal = dir.appendingPathComponent("journal.jsonl")
    let handle = try FileHandle(forWritingTo: journal)
    handle.seekToEndOfFile()
    handle.write(Data("{\"seq\":2,\"type\":\"rev".utf8))
    try handle.close()
    let store = try Store(directory: dir)
    #expect(store.cards == ["a": Memory(reps: 1)])
    try store.record(review("b", reps: 1))
    #expect(try Store(directory: dir).cards.count == 2)
    #expect(!(try Data(contentsOf: journal)).contains(0))
    let aside = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix("journal.torn-") }
    #expect(aside.count == 1, Comment(rawValue: aside.joined(separator: ",")))
}

@Test func anUnreadableSnapshotIsKeptAsideAndTheProgressRebuiltFromTheJournal() throws {
    let dir = freshDirectory()
    do {
        let store = try Store(directory: dir)
        try store.record(review("a", reps: 1))
        try store.compact()
    }
    let snapshot = dir.appendingPathComponent("snapshot.json")
    let original = try Data(contentsOf: snapshot)
    let truncated = original.prefix(original.count / 2)
    try truncated.write(to: snapshot)
    let reopened = try Store(directory: dir)
    #expect(reopened.cards["a"] != nil)
    #expect(reopened.notices.count == 1)
    #expect(
        reopened.notices.first?.contains(
            "snapshot.json could not be read (it is not valid JSON or is truncated); it was kept as snapshot.json.unreadable")
            == true)
    // The damaged file is kept byte for byte; a second damaged one gets its own name.
    #expect(try Data(contentsOf: dir.appendingPathComponent("snapshot.json.unreadable")) == truncated)
    try Data("{".utf8).write(to: snapshot)
    let again = try Store(directory: dir)
    #expect(again.cards == reopened.cards)
    #expect(try Data(contentsOf: dir.appendingPathComponent("snapshot.json.unreadable-2")) == Data("{".utf8))
    // Once rebuilt, the next start has nothing to repair.
    #expect(try Store(directory: dir).notices.isEmpty)
}

@Test func aCorruptJournalLineNamesItsLine() throws {
    let dir = freshDirectory()
    do {
        let store = try Store(directory: dir)
        try store.record(review("a", reps: 1))
    }
    let journal = dir.appendingPathComponent("journal.jsonl")
    var text = try String(contentsOf: journal, encoding: .utf8)
    text += "this is not json\n"
    try text.write(to: journal, atomically: false, encoding: .utf8)
    do {
        _ = try Store(directory: dir)
        Issue.record("expected an error")
    } catch {
        #expect(error == .corrupt(file: journal.path, line: 3, reason: "not a journal entry"))
    }
    #expect(try String(contentsOf: journal, encoding: .utf8) == text)
}

@Test func aNewerSnapshotVersionIsRefused() throws {
    let dir = freshDirectory()
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    try Data(#"{"schemaVersion": 99}"#.utf8).write(to: dir.appendingPathComponent("snapshot.json"))
    #expect(throws: ProgressError.newerVersion(file: dir.appendingPathComponent("snapshot.json").path, found: 99, supported: 2)) {
        try Store(directory: dir)
    }
}

@Test func aVersionOneSnapshotMigratesByRebuildingFromTheJournal() throws {
    let dir = freshDirectory()
    do {
        let store = try Store(directory: dir)
        try store.record(review("a", reps: 1))
        try store.record(review("b", reps: 4))
    }
    let v1 = #"{"schemaVersion":1,"journalOffset":0,"journalLines":0,"lastSequence":0,"cards":{}}"#
    try Data(v1.utf8).write(to: dir.appendingPathComponent("snapshot.json"))
    let store = try Store(directory: dir)
    #expect(store.cards == ["a": Memory(reps: 1), "b": Memory(reps: 4)])
    #expect(store.aggregates.topics["amazon-eks-networking/vpc-cni-plugin"]?.answered == 2)
    try store.compact()
    let data = try Data(contentsOf: dir.appendingPathComponent("snapshot.json"))
    #expect(String(decoding: data, as: UTF8.self).contains(#""schemaVersion":2"#))
}

@Test func twoStoresOnOneDirectoryLoseNoAnswers() throws {
    let dir = freshDirectory()
    let first = try Store(directory: dir)
    let second = try Store(directory: dir)
    for i in 0..<20 {
        try first.record(review("a\(i)", reps: 1, session: "one"))
        try second.record(review("b\(i)", reps: 1, session: "two"))
    }
    #expect(first.lastSequence == 39 && second.lastSequence == 40)
    let third = try Store(directory: dir)
    #expect(third.cards.count == 40)
    #expect(Set(try third.reviews().map(\.card)).count == 40)
}

@Test(arguments: [
    ("desired-retention", "7", "'7' is not a valid value for desired-retention: a number from 0.70 to 0.99"),
    ("new-cards-per-day", "-1", "'-1' is not a valid value for new-cards-per-day: a whole number from 0 to 1000"),
    ("scheduler", "sm3", "'sm3' is not a valid value for scheduler: fsrs-6 or sm-2"),
    ("learning-steps", "1x", "'1x' is not a valid value for learning-steps: durations such as 1m,10m (s, m, h, d), or none"),
])
func settingsRefuseValuesOutOfRangeAndSayWhatIsAllowed(key: String, value: String, message: String) {
    var settings = Settings()
    do {
        try settings.set(key, value)
        Issue.record("accepted \(value)")
    } catch {
        #expect(error.errorDescription == message)
    }
    #expect(settings == Settings())
}

@Test func settingsRoundTripAndFillMissingFieldsWithDefaults() throws {
    let dir = freshDirectory()
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    var settings = Settings()
    try settings.set("desired-retention", "0.85")
    try settings.set("learning-steps", "30s,5m,1h")
    try settings.set("scheduler", "sm-2")
    try settings.save(to: dir)
    #expect(try Settings.load(from: dir) == settings)
    try Data(#"{"schemaVersion": 1, "newCardsPerDay": 5}"#.utf8).write(to: dir.appendingPathComponent("settings.json"))
    var expected = Settings()
    expected.newCardsPerDay = 5
    #expect(try Settings.load(from: dir) == expected)
    try Data(#"{"schemaVersion": 3}"#.utf8).write(to: dir.appendingPathComponent("settings.json"))
    #expect(throws: ProgressError.self) { try Settings.load(from: dir) }
}

@Test func anEmptiedJournalBesideASnapshotIsRefusedUntouched() throws {
    let dir = freshDirectory()
    do {
        let store = try Store(directory: dir)
        try store.record(review("a", reps: 1))
        try store.compact()
    }
    let journal = dir.appendingPathComponent("journal.jsonl")
    try Data().write(to: journal)
    do {
        _ = try Store(directory: dir)
        Issue.record("expected an error")
    } catch {
        #expect(error.errorDescription?.contains("journal is empty") == true)
    }
    #expect(try Data(contentsOf: journal).isEmpty)
}

@Test func anExamsReviewsAndResultAreRecordedTogether() throws {
    let dir = freshDirectory()
    do {
        let store = try Store(directory: dir)
        try store.record(
            reviews: [review("a", reps: nil), review("b", reps: nil, correct: false)],
            session: SessionRecord(
                id: "exam-1", mode: .exam, started: Date(timeIntervalSince1970: 1_800_000_000),
                ended: Date(timeIntervalSince1970: 1_800_000_600), answered: 2, correct: 1, score: 550))
    }
    let reopened = try Store(directory: dir)
    #expect(try reopened.reviews().map(\.card) == ["a", "b"])
    #expect(reopened.sessions.map(\.id) == ["exam-1"])
    #expect(reopened.aggregates.modes["quiz"] == Tally(answered: 2, correct: 1))
    #expect(
        try String(contentsOf: dir.appendingPathComponent("journal.jsonl"), encoding: .utf8).split(separator: "\n").count == 4)
}

@Test func studyCardsRoundTripThroughTheSnapshotsCardLines() throws {
    var settings = Settings()
    settings.fuzz = false
    let scheduler = try StudyScheduler(settings: settings)
    let start = Date(timeIntervalSince1970: 1_790_000_000.123)
    var card: StudyCard? = nil
    var states: [StudyCard] = []
    for (i, rating) in [Rating.good, .good, .again, .hard, .easy, .good].enumerated() {
        var none: SplitMix64? = nil
        card = scheduler.review(card, rating: rating, at: start.addingTimeInterval(Double(i) * 86_400 * 3.7), fuzz: &none)
        card?.introduced = i == 0 ? nil : "2026-09-21"
        states.append(card!)
    }
    for state in states {
        #expect(LineFields.with(state.lineFields) { StudyCard(lineFields: $0) } == state)
    }
    let dir = freshDirectory()
    do {
        let store = try ProgressStore<StudyCard>(directory: dir)
        for (i, state) in states.enumerated() {
            try store.record(
                ReviewRecord(
                    card: "c\(i)", time: start, day: "2026-09-21", rating: 3, answer: "x", correct: true,
                    session: "s", mode: .drill, topics: [], next: state))
        }
        try store.compact()
    }
    let text = try String(contentsOf: dir.appendingPathComponent("snapshot.json"), encoding: .utf8)
    #expect(text.contains("sapro-cards-v1"))
    let reopened = try ProgressStore<StudyCard>(directory: dir)
    #expect(reopened.cards == Dictionary(uniqueKeysWithValues: states.enumerated().map { ("c\($0.offset)", $0.element) }))

    // A damaged record: the snapshot is kept aside as it is and the cards come back from the journal.
    let damaged = text.replacingOccurrences(of: "|c2 ", with: "|c2 x")
    #expect(damaged != text)
    try damaged.write(to: dir.appendingPathComponent("snapshot.json"), atomically: false, encoding: .utf8)
    let rebuilt = try ProgressStore<StudyCard>(directory: dir)
    #expect(rebuilt.cards == reopened.cards)
    #expect(try String(contentsOf: dir.appendingPathComponent("snapshot.json.unreadable"), encoding: .utf8) == damaged)
}

@Suite struct LineFieldsTests {
    @Test func numbersReadAsSwiftReadsThem() {
        let texts = [
            "0", "-12", "9223372036854775807", "9223372036854775808", "-", "", "1.5", "1e-05", "2.0500000000000003",
            "1814107146.0", "x", "12a", "-0.0", "1e400", "+5", "-9223372036854775808", "-9223372036854775809", "+", "--1",
        ]
        LineFields.with(texts) { fields in
            for (index, text) in texts.enumerated() {
                #expect(fields.int(index) == Int(text), "int \(text)")
                #expect(fields.double(index).map(\.bitPattern) == Double(text).map(\.bitPattern), "double \(text)")
                #expect(fields.text(index) == text)
                #expect(fields.isEmpty(index) == text.isEmpty)
            }
            #expect(fields.equals(0, "0") && !fields.equals(1, "-1") && fields.equals(5, ""))
        }
    }
}
