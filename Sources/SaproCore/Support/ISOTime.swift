import Foundation

/// The app's one date-time codec: locale-free ISO 8601 in UTC with whole seconds,
/// `2024-03-01T15:46:00Z`. The journal, the snapshot, the replay's input and output and the
/// reports all read and write times through it (no formatter objects, no allocation).
public enum ISOTime {
    /// Formats `date` (seconds are truncated toward the past, after rounding to the microsecond,
    /// the precision `parse` reads).
    public static func format(_ date: Date) -> String {
        var out: [UInt8] = []
        append(date, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    public static func format(epochSeconds: Int64) -> String {
        format(Date(timeIntervalSince1970: Double(epochSeconds)))
    }

    /// Appends `date` as `format` writes it.
    static func append(_ date: Date, to out: inout [UInt8]) {
        let (day, second) = dayAndSecond(date)
        // Room for a 20-digit year and the rest.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 48) { buffer in
            var sink = PointerSink(position: buffer.baseAddress!)
            sink.date(day: day)
            sink.clock(second)
            out.append(
                contentsOf: UnsafeBufferPointer(
                    start: buffer.baseAddress!, count: buffer.baseAddress!.distance(to: sink.position)))
        }
    }

    /// The day since 1970-01-01 and the second within it of `date`, truncated to whole seconds
    /// after rounding to the microsecond.
    static func dayAndSecond(_ date: Date) -> (day: Int64, second: Int64) {
        // Beyond about ±290,000 years the microseconds leave Int64: such a date is clamped there.
        let scaled = (date.timeIntervalSince1970 * 1_000_000).rounded()
        let micros = scaled.isNaN ? 0 : Int64(exactly: scaled) ?? (scaled < 0 ? -(1 << 62) : 1 << 62)
        var seconds = micros / 1_000_000
        if micros % 1_000_000 < 0 { seconds -= 1 }
        var day = seconds / 86_400
        var rest = seconds % 86_400
        if rest < 0 {
            rest += 86_400
            day -= 1
        }
        return (day, rest)
    }

    /// The UTC calendar day of `date` as `YYYY-MM-DD`.
    public static func day(_ date: Date) -> String { String(format(date).prefix(10)) }

    /// Parses `YYYY-MM-DDTHH:MM:SS` (`T`, `t` or a space) with an optional fraction (read to the
    /// microsecond) and `Z`, `+HH:MM` or `-HH:MM`; no zone means UTC. Every field is range
    /// checked: no month 13, no February 30, no second 60 (leap seconds are not represented),
    /// no offset of 24 hours or more.
    public static func parse(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { parse(utf8: $0) }
    }

    /// `parse(_:)` on UTF-8 bytes (for scanners, without making a `String`).
    static func parse(utf8 b: UnsafeBufferPointer<UInt8>) -> Date? {
        let n = b.count
        guard n >= 19, b[4] == 0x2D, b[7] == 0x2D, b[10] == 0x54 || b[10] == 0x74 || b[10] == 0x20,
            b[13] == 0x3A, b[16] == 0x3A
        else { return nil }
        @inline(__always) func digits(_ from: Int, _ count: Int) -> Int64? {
            var v: Int64 = 0
            for i in from..<(from + count) {
                let d = b[i] &- 0x30
                guard d < 10 else { return nil }
                v = v * 10 + Int64(d)
            }
            return v
        }
        guard let year = digits(0, 4), let month = digits(5, 2), let day = digits(8, 2),
            let hour = digits(11, 2), let minute = digits(14, 2), let second = digits(17, 2),
            (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
            hour < 24, minute < 60, second < 60
        else { return nil }
        var i = 19
        var micros: Int64 = 0
        if i < n, b[i] == 0x2E {
            i += 1
            let begin = i
            var scale: Int64 = 100_000
            while i < n, b[i] &- 0x30 < 10 {
                micros += Int64(b[i] - 0x30) * scale
                scale /= 10
                i += 1
            }
            guard i > begin else { return nil }
        }
        var offset: Int64 = 0
        if i < n {
            if (b[i] == 0x5A || b[i] == 0x7A) && i + 1 == n {
                // UTC.
            } else if (b[i] == 0x2B || b[i] == 0x2D), i + 6 == n, b[i + 3] == 0x3A,
                let oh = digits(i + 1, 2), let om = digits(i + 4, 2), oh < 24, om < 60
            {
                offset = (oh * 3600 + om * 60) * (b[i] == 0x2D ? -1 : 1)
            } else {
                return nil
            }
        }
        let seconds = days(fromCivil: year, m: month, d: day) * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: Double(seconds) + Double(micros) / 1_000_000)
    }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // Howard Hinnant's days-from-civil and its inverse.
    static func days(fromCivil y0: Int64, m: Int64, d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp + (mp < 10 ? 3 : -9)
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
