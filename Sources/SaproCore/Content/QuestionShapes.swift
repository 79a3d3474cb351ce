import Foundation

/// The line shapes of questions written in notes, on cleaned text (see `PlainText.clean`):
/// `Q:` / `A:` markers, lettered options (`A.`, `b)`, `(C)`), answer lines (`Answer: B, D`,
/// `正解: B`), explanation lines and numbered answer keys (`3) 90日`). Markers are listed for
/// English, Japanese, Korean and Chinese notes.
enum QuestionShapes {
    static let questionWords = ["question", "q", "質問", "問題", "問", "设问", "问题", "问", "질문", "문제"]
    static let answerWords = [
        "correct answers", "correct answer", "answers", "answer", "ans", "a", "正解", "答え", "解答", "回答", "答案", "答",
        "정답", "답",
    ]
    static let explanationWords = ["explanation", "why", "reason", "解説", "説明", "理由", "解析", "解释", "해설", "설명", "이유"]

    /// The text after a marker word (`Q:`, `Question 3.`, `問2：`) opening `line`, if it opens with one.
    static func marked(_ line: String, by words: [String], allowPeriod: Bool = true) -> String? {
        // A mark before the word (`✅ Answer:`, `💡 Q:`) is decoration.
        let line = String(line.drop { !($0.isLetter || $0.isNumber || $0 == "(") })
        let lower = line.lowercased()
        for word in words where lower.hasPrefix(word) {
            var rest = Substring(line).dropFirst(word.count)
            // "Question" must not be the start of "Questions about…"; single letters must be followed by a separator.
            rest = rest.drop { $0 == " " }
            rest = rest.drop { $0.isNumber }
            rest = rest.drop { $0 == " " }
            guard let separator = rest.first else { return nil }
            let separators: Set<Character> = allowPeriod ? [":", "：", ".", "．", ")", "）"] : [":", "："]
            guard separators.contains(separator) else { return nil }
            return rest.dropFirst().trimmingWhitespace()
        }
        return nil
    }

    static func question(_ line: String) -> String? { marked(line, by: questionWords) }

    /// The text after `A:` / `Answer:`; a bare `A.` opens an option instead, so only `:` counts for `A`.
    static func answer(_ line: String) -> String? {
        if let rest = marked(line, by: answerWords.filter { $0 != "a" }) { return rest }
        return marked(line, by: ["a"], allowPeriod: false)
    }

    static func explanation(_ line: String) -> String? { marked(line, by: explanationWords, allowPeriod: false) }

    /// A lettered option: `A. text`, `A) text`, `(A) text`, `a: text`, `Ａ．text` → (0, text).
    static func option(_ line: String) -> (index: Int, text: String)? {
        var rest = Substring(line)
        let parenthesised = rest.first == "(" || rest.first == "（"
        if parenthesised { rest = rest.dropFirst() }
        guard let letter = rest.first, let index = letterIndex(letter) else { return nil }
        rest = rest.dropFirst()
        guard let separator = rest.first else { return nil }
        if parenthesised {
            guard separator == ")" || separator == "）" else { return nil }
        } else {
            guard [".", ")", ":", "．", "）", "："].contains(separator) else { return nil }
        }
        rest = rest.dropFirst()
        guard rest.first == " " || rest.first == nil || !(rest.first!.isASCII) else { return nil }
        let text = rest.trimmingWhitespace()
        return text.isEmpty ? nil : (index, text)
    }

    static func letterIndex(_ letter: Character) -> Int? {
        let letters = "ABCDEFGH"
        let full = "ＡＢＣＤＥＦＧＨ"
        if let i = letters.firstIndex(of: Character(letter.uppercased())) {
            return letters.distance(from: letters.startIndex, to: i)
        }
        if let i = full.firstIndex(of: letter) { return full.distance(from: full.startIndex, to: i) }
        return nil
    }

    /// The option letters an answer names (`B`, `B, D`, `B and D`, `(C)`, `C — because…`), with
    /// what follows them as an explanation; nil when the text does not open with letters.
    static func letters(_ text: String, options: Int) -> (indices: [Int], rest: String)? {
        var indices: [Int] = []
        var rest = Substring(text.trimmingWhitespace())
        while let first = rest.first {
            var probe = rest
            if probe.first == "(" || probe.first == "（" { probe = probe.dropFirst() }
            guard let letter = probe.first, let index = letterIndex(letter), index < options else { break }
            let after = probe.dropFirst()
            // The letter must stand alone: `B`, `B,`, `B)`, `B.`, not the first letter of a word.
            if let next = after.first, next.isLetter, next.isASCII { break }
            indices.append(index)
            rest = after.drop { [")", "）", ".", "．", ",", "、", "，", " ", "&", "/"].contains($0) }
            if rest.lowercased().hasPrefix("and ") { rest = rest.dropFirst(4) }
            _ = first
        }
        guard !indices.isEmpty else { return nil }
        let explanation = rest.drop { ["-", "–", "—", ":", "：", " "].contains($0) }.trimmingWhitespace()
        return (Array(Set(indices)).sorted(), explanation)
    }

    /// Whether an option carries a mark saying it is right.
    static func marksCorrect(_ raw: String) -> Bool {
        let marks = ["✅", "✔", "✓", "(correct)", "（正解）", "(正解)", "← 正解", "<- correct", "(정답)", "（正确）", "(正确)"]
        let lower = raw.lowercased()
        return marks.contains { lower.contains($0) }
    }

    /// An option's text without its correctness mark.
    static func unmarked(_ text: String) -> String {
        var text = text
        for mark in ["✅", "✔", "✓", "(correct)", "(Correct)", "（正解）", "(正解)", "← 正解", "<- correct", "(정답)", "（正确）", "(正确)"] {
            text = text.replacingOccurrences(of: mark, with: "")
        }
        return text.trimmingWhitespace()
    }

    /// A numbered answer-key line: `3) 90日`, `3. 90 days`, `3: B` → (3, text).
    static func keyLine(_ line: String) -> (number: Int, text: String)? {
        let digits = line.prefix { $0.isNumber && $0.isASCII }
        guard !digits.isEmpty, let number = Int(digits) else { return nil }
        let rest = line.dropFirst(digits.count)
        guard let separator = rest.first, [")", ".", ":", "）", "．", "："].contains(separator) else { return nil }
        let text = rest.dropFirst().trimmingWhitespace()
        return text.isEmpty ? nil : (number, text)
    }

    /// True for text that asks something: it ends with `?` / `？` (a trailing blank `__` aside).
    static func asks(_ text: String) -> Bool {
        let trimmed = text.trimmingWhitespace().trimmingCharacters(in: CharacterSet(charactersIn: "_ "))
        return trimmed.hasSuffix("?") || trimmed.hasSuffix("？")
    }

    static func withoutBlank(_ text: String) -> String {
        text.trimmingWhitespace().trimmingCharacters(in: CharacterSet(charactersIn: "_ ")).trimmingWhitespace()
    }
}
