import Foundation

/// The app's one JSON string escape, shared by every hand-written JSON writer (the quiz writer,
/// the replay's output); `OneDefinitionPerFormat` checks it byte for byte against `JSONEncoder`.
enum JSONText {
    /// Appends `bytes` (UTF-8 text) escaped as `JSONEncoder` escapes a string, without quotes:
    /// `"`, `\`, `\b`, `\f`, `\n`, `\r`, `\t`, other bytes below 0x20 as `\u00xx` (lowercase hex);
    /// `/` and non-ASCII text as they are. Runs of plain bytes are copied at once.
    static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to buffer: inout [UInt8]) {
        func append(_ first: UInt8, _ second: UInt8) {
            buffer.append(first)
            buffer.append(second)
        }
        guard let base = bytes.baseAddress else { return }
        let count = bytes.count
        var start = 0
        var index = 0
        while index < count {
            // Most text needs no escape: skip eight bytes at a time while none might.
            if index + 8 <= count,
                !mayNeedEscape(UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
            {
                index += 8
                continue
            }
            let byte = base[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else {
                index += 1
                continue
            }
            buffer.append(contentsOf: UnsafeBufferPointer(start: base + start, count: index - start))
            index += 1
            start = index
            switch byte {
            case UInt8(ascii: "\""): append(UInt8(ascii: "\\"), UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): append(UInt8(ascii: "\\"), UInt8(ascii: "\\"))
            case 0x08: append(UInt8(ascii: "\\"), UInt8(ascii: "b"))
            case 0x0C: append(UInt8(ascii: "\\"), UInt8(ascii: "f"))
            case UInt8(ascii: "\n"): append(UInt8(ascii: "\\"), UInt8(ascii: "n"))
            case UInt8(ascii: "\r"): append(UInt8(ascii: "\\"), UInt8(ascii: "r"))
            case UInt8(ascii: "\t"): append(UInt8(ascii: "\\"), UInt8(ascii: "t"))
            default:
                let hex: StaticString = "0123456789abcdef"
                append(UInt8(ascii: "\\"), UInt8(ascii: "u"))
                append(UInt8(ascii: "0"), UInt8(ascii: "0"))
                append(hex.utf8Start[Int(byte >> 4)], hex.utf8Start[Int(byte & 0xF)])
            }
        }
        buffer.append(contentsOf: UnsafeBufferPointer(start: base + start, count: count - start))
    }

    /// True when one of the eight bytes in `word` may be a control character, `"` or `\`
    /// (never false when one is: the bit tricks test for a zero or small byte in every lane).
    @inline(__always)
    static func mayNeedEscape(_ word: UInt64) -> Bool { escapeMask(word) != 0 }

    /// The high bit of each lane of `word` that may hold a control character, `"` or `\`. The
    /// lowest flagged lane is exact (the borrows of the subtractions only reach higher lanes), so
    /// on a little-endian machine `trailingZeroBitCount / 8` is the index of the first such byte.
    @inline(__always)
    static func escapeMask(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let control = (word &- ones &* 0x20) & ~word & highs
        let quote = word ^ (ones &* 0x22), backslash = word ^ (ones &* 0x5C)
        let quotes = (quote &- ones) & ~quote & highs
        let backslashes = (backslash &- ones) & ~backslash & highs
        return control | quotes | backslashes
    }

    /// `text` as a quoted JSON string.
    static func quoted(_ text: String) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "\"")]
        var text = text
        text.withUTF8 { appendEscaped($0, to: &out) }
        out.append(UInt8(ascii: "\""))
        return out
    }
}

/// Writes bytes through a pointer into a buffer known to be large enough.
struct PointerSink: TextOutputStream {
    var position: UnsafeMutablePointer<UInt8>

    @inline(__always)
    mutating func bytes(_ buffer: UnsafeBufferPointer<UInt8>) {
        guard let source = buffer.baseAddress else { return }
        position.update(from: source, count: buffer.count)
        position += buffer.count
    }

    @inline(__always)
    mutating func byte(_ value: UInt8) {
        position.pointee = value
        position += 1
    }

    @inline(__always)
    mutating func put(_ text: StaticString) {
        bytes(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    mutating func write(_ string: String) {
        var string = string
        string.withUTF8 { bytes($0) }
    }

    /// Lets `Double.write(to:)` hand over its digits without making a `String`.
    mutating func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) { bytes(buffer) }

    mutating func integer(_ value: Int) {
        if value < 0 { byte(UInt8(ascii: "-")) }
        var v = value.magnitude
        var divisor: UInt = 1
        while divisor <= v / 10 { divisor *= 10 }
        repeat {
            byte(UInt8(ascii: "0") + UInt8(v / divisor))
            v %= divisor
            divisor /= 10
        } while divisor > 0
    }

    /// Two decimal digits.
    @inline(__always)
    mutating func two(_ value: Int64) {
        byte(0x30 + UInt8(truncatingIfNeeded: value / 10))
        byte(0x30 + UInt8(truncatingIfNeeded: value % 10))
    }

    /// `YYYY-MM-DDT` for a day counted from 1970-01-01 (a year outside 0–9999 as it is).
    mutating func date(day: Int64) {
        let (y, m, d) = ISOTime.civil(fromDays: day)
        if y >= 0 && y < 10_000 {
            two(y / 100)
            two(y % 100)
        } else {
            write(String(y))
        }
        byte(0x2D)
        two(m)
        byte(0x2D)
        two(d)
        byte(0x54)
    }

    /// `HH:MM:SSZ` for a second of the day.
    mutating func clock(_ second: Int64) {
        two(second / 3600)
        byte(0x3A)
        two(second % 3600 / 60)
        byte(0x3A)
        two(second % 60)
        byte(0x5A)
    }
}
