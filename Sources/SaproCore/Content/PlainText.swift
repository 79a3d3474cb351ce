import Foundation

/// Readable text from what Markdown left behind: no HTML tags, no link or image syntax, no
/// emphasis markers, no backslash escapes, no box drawing, no `:emoji:` shortcodes, one space
/// between words. Used on raw source lines and on every text a card shows.
public enum PlainText {
    public static func clean(_ text: String) -> String {
        if isClean(text) { return text }
        return slowClean(text)
    }

    /// True when `clean` would return `text` unchanged: no markup, no box drawing, no space to
    /// collapse. Most text is like this; it is checked byte by byte without decoding. A mark that
    /// means something only in company (`:` opening a `:shortcode:`, a doubled `_` or `~`, `<`
    /// opening a tag) counts only in that company, which `slowClean` looks for too.
    static func isClean(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var previousSpace = true
            var state = 0  // bytes of a multi-byte sequence seen: 0xE2 / 0xE3 0x80 / 0xC2
            let count = bytes.count
            var i = 0
            while i < count {
                let byte = bytes[i]
                let next: UInt8 = i + 1 < count ? bytes[i + 1] : 0
                i += 1
                switch state {
                case 1:  // after 0xE2: 0x94…0x96 is box drawing, 0x80…0x81 punctuation with spaces
                    if byte >= 0x94 && byte <= 0x96 || byte == 0x80 || byte == 0x81 { return false }
                    state = 0
                case 2:  // after 0xE3: 0x80 0x80 is the ideographic space
                    state = byte == 0x80 ? 3 : 0
                case 3:
                    if byte == 0x80 { return false }
                    state = 0
                case 4:  // after 0xC2: 0xA0 is a no-break space, 0x85 a next-line
                    if byte == 0xA0 || byte == 0x85 { return false }
                    state = 0
                default:
                    switch byte {
                    case UInt8(ascii: " "):
                        if previousSpace { return false }
                        previousSpace = true
                        continue
                    // 0xE1 leads the Ogham space mark among much else: such text takes the slow path.
                    case UInt8(ascii: "\\"), UInt8(ascii: "["), UInt8(ascii: "*"), 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0xE1:
                        return false
                    case UInt8(ascii: "_"), UInt8(ascii: "~"):
                        // A single one stays (snake_case, ~5); a run of them is emphasis.
                        if next == byte { return false }
                    case UInt8(ascii: ":"):
                        // Only a shortcode's opening colon is followed by one of its characters.
                        switch next {
                        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"),
                            UInt8(ascii: "+"):
                            return false
                        default: break
                        }
                    case UInt8(ascii: "<"):
                        // A tag opens with a letter, `/` or `!`; `a < b` and `<=` stay.
                        switch next {
                        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "/"),
                            UInt8(ascii: "!"), 0x80...:
                            return false
                        default: break
                        }
                    case 0xE2: state = 1
                    case 0xE3: state = 2
                    case 0xC2: state = 4
                    default: break
                    }
                }
                previousSpace = false
            }
            return count == 0 || bytes[count - 1] != UInt8(ascii: " ")
        }
    }

    static func slowClean(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            switch c {
            case "\\" where i + 1 < chars.count && chars[i + 1].isPunctuationOrSymbol:
                out.append(chars[i + 1])
                i += 2
                continue
            case "<":
                // A tag: `<a name="x">`, `</span>`, `<br/>`, `<!-- -->`; `a < b` stays.
                if i + 1 < chars.count, chars[i + 1].isLetter || chars[i + 1] == "/" || chars[i + 1] == "!",
                    let close = chars[(i + 1)...].firstIndex(of: ">"), !chars[(i + 1)..<close].contains("<")
                {
                    let tag = String(chars[(i + 1)..<close]).lowercased()
                    if tag.hasPrefix("br") || tag.hasPrefix("p") || tag.hasPrefix("/p") || tag.hasPrefix("li") { out.append(" ") }
                    i = close + 1
                    continue
                }
            case "!" where i + 1 < chars.count && chars[i + 1] == "[":
                i += 1
                continue
            case "[":
                // `[text](url)` → text; `[text][ref]` → text; `[^1]` footnote marks go.
                if let close = matching(chars, from: i, open: "[", close: "]") {
                    let inner = String(chars[(i + 1)..<close])
                    var next = close + 1
                    if next < chars.count, chars[next] == "(", let end = matching(chars, from: next, open: "(", close: ")") {
                        next = end + 1
                    } else if next < chars.count, chars[next] == "[", let end = chars[next...].firstIndex(of: "]") {
                        next = end + 1
                    } else if inner.hasPrefix("^") {
                        i = next
                        continue
                    } else {
                        out.append(c)
                        i += 1
                        continue
                    }
                    out += clean(inner)
                    i = next
                    continue
                }
            case "*", "_", "~":
                // Emphasis markers come in runs (`**`, `__`, `~~`) or hug a word; a lone `*` between
                // spaces (`2 * 3`) and snake_case stay.
                let run = chars[i...].prefix { $0 == c }.count
                let before = i > 0 ? chars[i - 1] : " "
                let after = i + run < chars.count ? chars[i + run] : " "
                let hugs = !(before.isWhitespace && after.isWhitespace)
                let inWord = before.isLetter && after.isLetter
                if (run >= 2 || c == "*") && hugs && !inWord {
                    i += run
                    continue
                }
            case ":":
                // `:fire:` shortcodes.
                if let end = chars[(i + 1)...].prefix(32).firstIndex(of: ":"), end > i + 1,
                    chars[(i + 1)..<end].allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_" || $0 == "+") }),
                    i == 0 || !chars[i - 1].isLetter
                {
                    i = end + 1
                    continue
                }
            default:
                if let scalar = c.unicodeScalars.first, (0x2500...0x259F).contains(scalar.value) {
                    out.append(" ")
                    i += 1
                    continue
                }
            }
            out.append(c)
            i += 1
        }
        // One space between words, none at the ends.
        var collapsed = ""
        collapsed.reserveCapacity(out.utf8.count)
        var space = false
        for character in out {
            if character.isWhitespace {
                space = !collapsed.isEmpty
            } else {
                if space { collapsed.append(" ") }
                space = false
                collapsed.append(character)
            }
        }
        return collapsed
    }

    static func matching(_ chars: [Character], from start: Int, open: Character, close: Character) -> Int? {
        var depth = 0
        var i = start
        while i < chars.count {
            if chars[i] == open { depth += 1 }
            if chars[i] == close {
                depth -= 1
                if depth == 0 { return i }
            }
            if chars[i] == "\n" { return nil }
            i += 1
        }
        return nil
    }

    /// True when `text` holds a box-drawing character (a diagram, not prose).
    static func hasBoxDrawing(_ text: String) -> Bool {
        text.unicodeScalars.contains { (0x2500...0x259F).contains($0.value) }
    }
}

extension Character {
    var isPunctuationOrSymbol: Bool { isPunctuation || isSymbol }
}
