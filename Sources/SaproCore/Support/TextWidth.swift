/// Terminal display width of text: wide (CJK, emoji) characters take two columns, combining marks none.
public enum TextWidth {
    public static func of(_ text: String) -> Int {
        var width = 0
        for character in text {
            width += of(character)
        }
        return width
    }

    public static func of(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if scalars.contains(where: { $0.value == 0xFE0F }) { return 2 }
        if first.properties.isEmojiPresentation { return 2 }
        switch first.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
            0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
            0xFFE0...0xFFE6, 0x20000...0x3FFFD:
            return 2
        default:
            break
        }
        if first.properties.generalCategory == .nonspacingMark || first.value < 0x20 { return 0 }
        return 1
    }

    /// Pads `text` with spaces to `width` columns.
    public static func pad(_ text: String, to width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - of(text)))
    }

    /// Breaks `text` into lines of at most `width` columns at spaces. Chinese and Japanese,
    /// written without spaces, also break between their characters (never before closing
    /// punctuation such as `。` or `」`, nor after an opening bracket); other words longer than a
    /// line stay whole.
    public static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        var lineWidth = 0
        func flush() {
            lines.append(line)
            line = ""
            lineWidth = 0
        }
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            // The pieces a line may end between: the whole word, unless it holds CJK.
            var pieces: [Substring] = []
            var start = word.startIndex
            var previous: Character?
            for index in word.indices {
                let character = word[index]
                if let previous, breaksAround(previous) || breaksAround(character), !closing.contains(character),
                    !opening.contains(previous)
                {
                    pieces.append(word[start..<index])
                    start = index
                }
                previous = character
            }
            pieces.append(word[start...])
            for (i, piece) in pieces.enumerated() {
                let pieceWidth = of(String(piece))
                let gap = i == 0 && !line.isEmpty ? 1 : 0
                if !line.isEmpty && lineWidth + gap + pieceWidth > width {
                    flush()
                } else if gap == 1 {
                    line += " "
                    lineWidth += 1
                }
                line += piece
                lineWidth += pieceWidth
            }
        }
        if !line.isEmpty || lines.isEmpty { flush() }
        return lines
    }

    /// Characters of scripts written without spaces, between which a line may break.
    static func breaksAround(_ character: Character) -> Bool {
        guard let first = character.unicodeScalars.first else { return false }
        switch first.value {
        case 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0xFF00...0xFF60,
            0x20000...0x3FFFD:
            return true
        default:
            return false
        }
    }

    /// Punctuation a line does not start with, and brackets it does not end with.
    static let closing: Set<Character> = [
        "。", "、", "，", "．", "」", "』", "）", "〕", "】", "！", "？", "：", "；", "ー", "ゃ", "ゅ", "ょ", "っ", "ッ", ")", ".", ",", "!", "?",
        ":", ";",
    ]
    static let opening: Set<Character> = ["「", "『", "（", "〔", "【", "("]
}
