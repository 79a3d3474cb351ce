import Foundation

/// sapro's questions as Anki notes: a deck per document (the first part of the topic), a subdeck
/// per topic, one of three note types, the answer, explanation, correction and source on the back.
public enum AnkiExport {
    /// The notes of `questions`, in their order.
    public static func notes(_ questions: [Question], root: String = "sapro") -> [AnkiNote] {
        questions.map { note($0, root: root) }
    }

    static func note(_ q: Question, root: String) -> AnkiNote {
        let explanation = q.explanation.map(html).joined(separator: "<br>")
        let source = q.explanation.last { $0.hasPrefix("Source:") }.map(html) ?? ""
        let erratum = q.erratum.map(html) ?? ""
        let letters = (0..<26).map { String(UnicodeScalar(UInt8(65 + $0))) }
        let type: AnkiNoteType
        let fields: [String]
        switch q.body {
        case .recall(let answer):
            type = .recall
            fields = [html(q.prompt), html(answer), explanation, source, erratum]
        case .numeric(let answer, let unit):
            type = .recall
            fields = [html(q.prompt), html(unit.map { "\(answer) \($0)" } ?? "\(answer)"), explanation, source, erratum]
        case .singleChoice(let choices, let correct):
            type = .choice
            fields = [
                html(q.prompt), options(choices, letters), "\(letters[correct]). \(html(choices[correct].text))", explanation,
                source, erratum,
            ]
        case .multipleChoice(let choices, let correct):
            type = .choice
            fields = [
                html(q.prompt), options(choices, letters),
                correct.sorted().map { "\(letters[$0]). \(html(choices[$0].text))" }.joined(separator: "<br>"), explanation,
                source, erratum,
            ]
        case .ordering(let items, let order):
            type = .ordering
            fields = [
                html(q.prompt), items.enumerated().map { "\($0.offset + 1). \(html($0.element))" }.joined(separator: "<br>"),
                order.map { "\($0 + 1). \(html(items[$0]))" }.joined(separator: "<br>"), explanation, source, erratum,
            ]
        }
        let topic = q.topics.first ?? "other"
        let deck = ([root] + topic.split(separator: "/").map(String.init)).joined(separator: "::")
        var tags = ["sapro", "sapro::\(q.kind.rawValue)"]
        if let domain = q.domain { tags.append("sapro::domain::\(domain.rawValue)") }
        if q.erratum != nil { tags.append("sapro::corrected") }
        return AnkiNote(guid: "sapro:\(q.id)", type: type, fields: fields, tags: tags, deck: deck)
    }

    static func options(_ choices: [Choice], _ letters: [String]) -> String {
        choices.enumerated().map { "\(letters[$0.offset]). \(html($0.element.text))" }.joined(separator: "<br>")
    }

    /// Plain text as HTML: escaped as the HTML report escapes it, line breaks kept, and no Anki
    /// field separator (0x1f) left inside a field.
    static func html(_ text: String) -> String {
        HTMLReport.e(text).replacingOccurrences(of: "\n", with: "<br>").replacingOccurrences(of: "\u{1f}", with: " ")
    }
}

extension AnkiExport {
    /// What a package carries of the learner's progress.
    public struct Progress: Sendable {
        public var cards: [String: StudyCard]
        public var log: ReviewLog
        /// The scheduler the reviews were made with (replayed, without fuzz, for each review's
        /// states before and after).
        public var scheduler: FSRSScheduler
        /// The collection's creation: a past day boundary; review due dates count days from it.
        public var dayStart: Date

        public init(cards: [String: StudyCard], log: ReviewLog, scheduler: FSRSScheduler, dayStart: Date) {
            self.cards = cards
            self.log = log
            self.scheduler = scheduler
            self.dayStart = dayStart
        }
    }

    /// Anki's FSRS-era card factor for difficulty `d`: 100 + round((d − 1) / 9 · 1000).
    static func factor(_ d: Double) -> Int { 100 + Int(((d - 1) / 9 * 1000).rounded()) }

    /// Adds to each note (whose guid is `sapro:` and a card id) that card's state and one revlog
    /// row per drill review in the log.
    public static func attach(_ progress: Progress, to notes: inout [AnkiNote]) {
        // Each card's drill reviews with their answer times (kept only by a log with details).
        var rowsByCard: [String: [(row: ReviewLog.Row, milliseconds: Int)]] = [:]
        let ids = progress.log.cards
        for (i, row) in progress.log.rows.enumerated() where row.mode == .drill && (1...4).contains(row.rating) {
            let answer = progress.log.keepsDetails ? progress.log.details[i].responseMilliseconds ?? 0 : 0
            rowsByCard[ids[Int(row.card)], default: []].append((row, answer))
        }
        let p = progress.scheduler.parameters
        for i in notes.indices {
            let id = String(notes[i].guid.dropFirst("sapro:".count))
            guard let card = progress.cards[id], card.fsrs.state != .new, let memory = card.fsrs.memory else { continue }
            let fsrs = card.fsrs
            let type: Int, queue: Int, due: Int64, left: Int
            var interval = 0
            switch fsrs.state {
            case .review:
                type = 2
                queue = 2
                due = Int64((fsrs.due.timeIntervalSince(progress.dayStart) / 86_400).rounded(.down))
                interval = max(1, Int(((fsrs.due.timeIntervalSince(fsrs.lastReview ?? fsrs.due)) / 86_400).rounded()))
                left = 0
            case .learning, .relearning:
                type = fsrs.state == .learning ? 1 : 3
                queue = 1
                due = Int64(fsrs.due.timeIntervalSince1970.rounded(.down))
                let steps = fsrs.state == .learning ? p.learningSteps.count : p.relearningSteps.count
                left = max(0, steps - (fsrs.step ?? 0))
            case .new:
                continue
            }
            let data = AnkiPackage.json([
                "s": (memory.stability * 10_000).rounded() / 10_000, "d": (memory.difficulty * 1000).rounded() / 1000,
                "dr": (p.desiredRetention * 100).rounded() / 100, "decay": (p.weights[20] * 1000).rounded() / 1000,
                "lrt": Int64((fsrs.lastReview ?? fsrs.due).timeIntervalSince1970),
            ])
            notes[i].schedule = AnkiSchedule(
                type: type, queue: queue, due: due, interval: interval, factor: factor(memory.difficulty), reps: card.reps,
                lapses: card.lapses, left: left, data: data)
            // The revlog: each review replayed for the states around it.
            var state = SchedulingCard.new(due: Date(timeIntervalSinceReferenceDate: rowsByCard[id]?.first?.row.time ?? 0))
            var last = 0
            notes[i].revlog = (rowsByCard[id] ?? []).map { entry in
                let row = entry.row
                let time = Date(timeIntervalSinceReferenceDate: row.time)
                let before = state
                state = progress.scheduler.review(state, rating: Rating(rawValue: row.rating)!, at: time)
                let ivl =
                    state.state == .review
                    ? max(1, Int((state.due.timeIntervalSince(time) / 86_400).rounded()))
                    : -Int(state.due.timeIntervalSince(time).rounded())
                let kind = before.state == .review ? 1 : before.state == .relearning ? 2 : 0
                defer { last = ivl }
                return AnkiReview(
                    milliseconds: Int64((time.timeIntervalSince1970 * 1000).rounded()), ease: row.rating, interval: ivl,
                    lastInterval: last, factor: factor(state.memory?.difficulty ?? 5), time: min(entry.milliseconds, 3_600_000),
                    type: kind)
            }
        }
    }
}
