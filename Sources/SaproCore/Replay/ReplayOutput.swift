import Foundation

/// One replayed review: the card's state after it, ready to be formatted.
public struct ReplayRecord: Sendable, Hashable {
    /// The card's index in `ReplayCardIDs`.
    public var slot: Int32
    /// Life-cycle state after the review.
    public var state: CardState
    /// Learning or relearning step, -1 when in review.
    public var step: Int32
    /// Stability after the review.
    public var stability: Double
    /// Difficulty after the review.
    public var difficulty: Double
    /// Due time in seconds since 1970.
    public var due: Double

    init(slot: Int, card: SchedulingCard) {
        self.slot = Int32(truncatingIfNeeded: slot)
        state = card.state
        step = card.step.map { Int32(truncatingIfNeeded: $0) } ?? -1
        stability = card.memory?.stability ?? 0
        difficulty = card.memory?.difficulty ?? 0
        due = card.due.timeIntervalSince1970
    }
}

/// The JSON text of each card id, by slot: a cheap value to hand to another thread.
public struct ReplayCardIDs: Sendable {
    var bytes: [UInt8] = []
    var ends: [Int] = []

    /// How many ids there are.
    public var count: Int { ends.count }

    /// The length of the longest id's text.
    var longest = 0

    /// Copies the JSON text of the id in `slot`.
    func copy(_ slot: Int, to sink: inout PointerSink) {
        let start = slot == 0 ? 0 : ends[slot - 1]
        bytes.withUnsafeBufferPointer { sink.bytes(UnsafeBufferPointer(rebasing: $0[start..<ends[slot]])) }
    }
}

/// Turns replay records into output lines (see `ReplayEngine` for the format).
public enum ReplayFormatter {
    /// Appends one output line per record, in order, to `output`.
    public static func append(_ records: [ReplayRecord], ids: ReplayCardIDs, to output: inout [UInt8]) {
        output.reserveCapacity(output.count + records.count * 140)
        var days = DayTextCache()
        // Each line is made in a scratch buffer and appended at once: one capacity check per
        // line instead of one per piece. A line is at most `lineLimit` bytes plus the card id.
        let longestID = ids.longest
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: lineLimit + longestID) { scratch in
            let base = scratch.baseAddress!
            for record in records {
                let count = write(record, ids: ids, days: &days, to: base)
                output.append(contentsOf: UnsafeBufferPointer(start: base, count: count))
            }
        }
    }

    /// The longest line without its card id: fixed text (~90 bytes), two numbers (≤ 24 each),
    /// a step and a date (a year beyond 9999 takes more digits).
    static let lineLimit = 256

    /// Writes one line at `start`; returns its length.
    private static func write(
        _ record: ReplayRecord, ids: ReplayCardIDs, days: inout DayTextCache, to start: UnsafeMutablePointer<UInt8>
    ) -> Int {
        var sink = PointerSink(position: start)
        // StaticString bytes live in the binary: no reference counting on the hot path.
        sink.put(#"{"card":"#)
        ids.copy(Int(record.slot), to: &sink)
        switch record.state {
        case .new: sink.put(#","state":"new","step":"#)
        case .learning: sink.put(#","state":"learning","step":"#)
        case .review: sink.put(#","state":"review","step":"#)
        case .relearning: sink.put(#","state":"relearning","step":"#)
        }
        if record.step >= 0 { sink.integer(Int(record.step)) } else { sink.put("null") }
        sink.put(#","stability":"#)
        number(record.stability, to: &sink)
        sink.put(#","difficulty":"#)
        number(record.difficulty, to: &sink)
        sink.put(#","due":""#)
        days.append(Date(timeIntervalSince1970: record.due), to: &sink)
        sink.put("\"}\n")
        return start.distance(to: sink.position)
    }

    private static func number(_ value: Double, to sink: inout PointerSink) {
        let magnitude = abs(value)
        if magnitude >= 1e-4 && magnitude < 0x1p53 {
            // Both languages print plain decimals here, with the same shortest digits.
            value.write(to: &sink)
        } else {
            sink.write(ReplayEngine.shortestText(value))
        }
    }
}

/// The `YYYY-MM-DDT` text of recently written days: due dates cluster, and the calendar
/// arithmetic costs more than a lookup.
struct DayTextCache {
    private static let slots = 1024
    private var keys = [Int64](repeating: .min, count: slots)
    private var texts = [UInt8](repeating: 0, count: slots * 11)

    /// Appends `date` as `YYYY-MM-DDTHH:MM:SSZ`, truncated to the whole second.
    mutating func append(_ date: Date, to sink: inout PointerSink) {
        let (day, second) = ISOTime.dayAndSecond(date)
        // Days of 0000-01-01 and 10000-01-01: other years have other lengths and are not kept.
        guard day >= -719_528 && day < 2_932_897 else {
            sink.date(day: day)
            return sink.clock(second)
        }
        let slot = Int(UInt64(bitPattern: day) % UInt64(Self.slots))
        texts.withUnsafeMutableBufferPointer { texts in
            let text = texts.baseAddress! + slot * 11
            if keys[slot] != day {
                keys[slot] = day
                var out = PointerSink(position: text)
                out.date(day: day)
            }
            sink.bytes(UnsafeBufferPointer(start: text, count: 11))
        }
        sink.clock(second)
    }
}
