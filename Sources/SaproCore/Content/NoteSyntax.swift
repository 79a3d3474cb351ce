import Foundation

/// What learners' notes carry besides Markdown, set aside before parsing: a byte-order mark,
/// YAML (`---`) or TOML (`+++`) front matter (its `title` may name the document), Obsidian
/// `%%comments%%`, `[[wikilinks]]` (their text is kept) and lines of `#tags` only. Removed text
/// becomes blank lines, so line numbers still point into the file.
enum NoteSyntax {
    static func prepare(_ text: String) -> (text: String, title: String?) {
        var text = text
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        var lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map {
            String(decoding: $0, as: UTF8.self)
        }
        var title: String?
        if let fence = lines.first?.trimmingWhitespace(), fence == "---" || fence == "+++" {
            if let end = lines.indices.dropFirst().first(where: {
                let line = lines[$0].trimmingWhitespace()
                return line == fence || (fence == "---" && line == "...")
            }) {
                for i in 1..<end {
                    let line = lines[i].trimmingWhitespace()
                    for separator in [":", "="] where title == nil {
                        let parts = line.split(separator: Character(separator), maxSplits: 1).map { $0.trimmingWhitespace() }
                        if parts.count == 2, parts[0].lowercased() == "title" {
                            let value = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"' "))
                            if !value.isEmpty { title = value }
                        }
                    }
                }
                for i in 0...end { lines[i] = "" }
            }
        }
        var inComment = false
        var inFence = false
        for i in lines.indices {
            var line = lines[i]
            // Most lines hold none of the marks: skip them without searching.
            let utf8 = line.utf8
            let comments = inComment || hasPair(utf8, UInt8(ascii: "%"))
            let links = hasPair(utf8, UInt8(ascii: "["))
            guard
                comments || links || utf8.contains(UInt8(ascii: "#")) || utf8.contains(UInt8(ascii: "`"))
                    || utf8.contains(UInt8(ascii: "~"))
            else { continue }
            let trimmed = line.trimmingWhitespace()
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") { inFence.toggle() }
            if inFence { continue }
            // %%comments%%, on one line or across several.
            var kept = ""
            var rest = Substring(line)
            while comments, !rest.isEmpty {
                if let mark = rest.range(of: "%%") {
                    if !inComment { kept += rest[..<mark.lowerBound] }
                    inComment.toggle()
                    rest = rest[mark.upperBound...]
                } else {
                    if !inComment { kept += rest }
                    rest = ""
                }
            }
            if comments { line = kept }
            // [[target|text]] → text, [[target]] → target.
            while links, let open = line.range(of: "[["), let close = line.range(of: "]]", range: open.upperBound..<line.endIndex)
            {
                let inner = line[open.upperBound..<close.lowerBound]
                let shown = inner.split(separator: "|", maxSplits: 1).last.map(String.init) ?? ""
                line.replaceSubrange(open.lowerBound..<close.upperBound, with: shown)
            }
            // A line of tags only (`#aws #networking`), which Markdown would read as text or a heading.
            let words = line.split(separator: " ")
            if !words.isEmpty, words.allSatisfy({ $0.count > 1 && $0.hasPrefix("#") && !$0.dropFirst().hasPrefix("#") }) {
                line = ""
            }
            lines[i] = line
        }
        return (lines.joined(separator: "\n"), title)
    }

    /// Whether `byte` occurs twice in a row (`%%`, `[[`).
    static func hasPair(_ bytes: String.UTF8View, _ byte: UInt8) -> Bool {
        var previous: UInt8 = 0
        for b in bytes {
            if b == byte && previous == byte { return true }
            previous = b
        }
        return false
    }
}
