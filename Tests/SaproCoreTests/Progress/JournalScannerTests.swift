import Foundation
import Testing
@testable import SaproCore

private struct Memory: Codable, Sendable, Equatable {
    var reps: Int
}

/// The scanner must read exactly what the decoder reads: every line of a varied journal.
@Test func theReviewLogEqualsTheDecodedReviewsWithoutStates() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sapro-scan-\(UUID().uuidString)")
    let store = try ProgressStore<Memory>(directory: dir)
    var random = SplitMix64(seed: 7)
    let answers = [
        "29", "a, b", "", "quote \" and \\ backslash", "tab\tnew\nline", "héllo 日本 🙂", "[brackets]", "{\"json\":1}",
        "\u{1}control", "/slash/",
    ]
    let topics = [[], ["amazon-eks-networking/vpc-cni-plugin"], ["a]b", "c"], ["x", "y", "z"], ["ünï"]]
    for i in 0..<400 {
        let pick = { (n: Int) in Int(random.next() % UInt64(n)) }
        let schedules = pick(3) != 0
        let review = ReviewRecord<Memory>(
            card: pick(5) == 0 ? "card \"\(i % 7)\" ✓" : "card:topic/with/a/long/path#item-\(i % 40)",
            time: Date(timeIntervalSince1970: 1_700_000_000 + Double(i) * 97), day: "2026-11-\(10 + i % 18)",
            rating: 1 + pick(4), answer: answers[pick(answers.count)], correct: [true, false, nil][pick(3)],
            responseMilliseconds: pick(4) == 0 ? nil : pick(90_000), session: "s\(i / 20)",
            mode: schedules ? .drill : [.quiz, .exam][pick(2)], topics: topics[pick(topics.count)],
            generator: pick(2) == 0 ? nil : "eks-max-pods", misconception: pick(3) == 0 ? "forgot-plus-two" : nil,
            previous: nil, next: schedules ? Memory(reps: i) : nil)
        try store.record(review)
        if pick(10) == 0 { try store.undoLast() }
        if pick(25) == 0 {
            try store.record(session: SessionRecord(id: "s\(i / 20)", mode: .drill, started: review.time, answered: i))
        }
    }
    let decoded = try store.reviews().map { r -> ReviewRecord<Memory> in
        var r = r
        r.previous = nil
        r.next = nil
        return r
    }
    let scanned = try store.reviewLog()
    #expect(scanned.count == decoded.count)
    #expect(scanned == decoded)

    // The compact log holds the same reviews, and reports built from it equal reports from the records.
    let compact = try store.compactReviewLog()
    #expect(resolved(compact) == resolved(ReviewLog(decoded)))
    #expect(compact.count == decoded.count)
    for since in [nil, "2026-11-15", "2026-11-30"] {
        func report(_ builder: ReportBuilder<Memory>) -> Report {
            builder.build(now: Date(timeIntervalSince1970: 1_700_040_000), since: since)
        }
        let fromRecords = report(
            ReportBuilder(
                reviews: decoded, cards: [:], sessions: [], cardTopics: [:],
                due: { _ in Date() }, retrievability: { _, _ in 1 }, blueprint: nil))
        let fromLog = report(
            ReportBuilder(
                log: compact, cards: [:], sessions: [], cardTopics: [:],
                due: { _ in Date() }, retrievability: { _, _ in 1 }, blueprint: nil))
        #expect(fromLog == fromRecords)
        #expect(fromLog.totals.reviews > 0 || since == "2026-11-30")
    }
}

/// A compact log's rows with their strings put back, to compare logs whose indices differ.
private func resolved(_ log: ReviewLog) -> [String] {
    log.rows.map { r in
        [
            log.cards[Int(r.card)], log.days[Int(r.day)],
            log.topicLists[Int(r.topics)].map { log.topics[Int($0)] }.joined(separator: "\u{0}"),
            r.generator < 0 ? "-" : "+" + log.generators[Int(r.generator)],
            r.misconception < 0 ? "-" : "+" + log.misconceptions[Int(r.misconception)],
            "\(r.rating) \(String(describing: r.correct)) \(r.mode) \(r.time)",
        ].joined(separator: "\u{1}")
    }
}

@Test func theReviewLogNamesACorruptLineAndIgnoresATornTail() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sapro-scan-\(UUID().uuidString)")
    let store = try ProgressStore<Memory>(directory: dir)
    try store.record(
        ReviewRecord(
            card: "a", time: Date(timeIntervalSince1970: 0), day: "1970-01-01", rating: 3, answer: "x",
            correct: true, session: "s", mode: .quiz, topics: []))
    let journal = dir.appendingPathComponent("journal.jsonl")
    let handle = try FileHandle(forWritingTo: journal)
    handle.seekToEndOfFile()
    handle.write(Data("{\"seq\":3,".utf8))  // an append in progress
    #expect(try store.reviewLog().count == 1)
    #expect(try store.compactReviewLog().count == 1)
    handle.write(Data("\"type\":\"review\",\"review\":{\"card\":1}}\n".utf8))
    try handle.close()
    #expect(throws: ProgressError.corrupt(file: journal.path, line: 3, reason: "not a journal entry")) { try store.reviewLog() }
    #expect(throws: ProgressError.corrupt(file: journal.path, line: 3, reason: "not a journal entry")) {
        try store.compactReviewLog()
    }
}
