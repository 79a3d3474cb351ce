import Foundation

/// Reads errata files (`*.errata.md`): one `## id` heading per erratum, with labelled bullets
/// `**Quote:**` (one or more), `**Correction:**`, and optionally `**Source:**` and `**Document:**`.
public enum ErrataParser {
    public static func parse(_ text: String, file: String) -> (errata: [Erratum], problems: [ContentProblem]) {
        let root = MarkdownParser.parse(text)
        var errata: [Erratum] = []
        var problems: [ContentProblem] = []
        var current: Erratum?
        var seen: [String: Int] = [:]

        func finish() {
            guard let erratum = current else { return }
            if erratum.quotes.isEmpty {
                problems.append(
                    ContentProblem(
                        file: file, line: erratum.location.line,
                        message: "erratum '\(erratum.id)' has no **Quote:** line"))
            } else if erratum.correction.isEmpty {
                problems.append(
                    ContentProblem(
                        file: file, line: erratum.location.line,
                        message: "erratum '\(erratum.id)' has no **Correction:** line"))
            } else {
                errata.append(erratum)
            }
            current = nil
        }

        for node in root.children {
            switch node.type {
            case "heading" where node.headingLevel == 2:
                finish()
                let id = slugify(node.plainText)
                if let first = seen[id] {
                    problems.append(
                        ContentProblem(
                            file: file, line: node.startLine,
                            message: "erratum id '\(id)' is already used at line \(first)"))
                }
                seen[id] = node.startLine
                current = Erratum(
                    id: id, quotes: [], correction: "", source: nil, document: nil,
                    location: SourceLocation(file: file, line: node.startLine))
            case "list":
                for item in node.children where item.type == "item" {
                    guard let paragraph = item.children.first, paragraph.type == "paragraph",
                        let (label, rest) = DocumentParser.Builder.label(of: paragraph)
                    else {
                        problems.append(
                            ContentProblem(
                                file: file, line: item.startLine,
                                message: "expected '**Quote:**', '**Correction:**', '**Source:**' or '**Document:**'"))
                        continue
                    }
                    guard current != nil else {
                        problems.append(
                            ContentProblem(
                                file: file, line: item.startLine,
                                message: "a field outside any '## id' erratum"))
                        continue
                    }
                    switch label.lowercased() {
                    case "quote": current?.quotes.append(rest)
                    case "correction": current?.correction = rest
                    case "source": current?.source = rest
                    case "document": current?.document = rest
                    default:
                        problems.append(
                            ContentProblem(
                                file: file, line: item.startLine,
                                message: "unknown erratum field '\(label)'"))
                    }
                }
            default:
                break
            }
        }
        finish()
        return (errata, problems)
    }
}

/// True when `needle`'s UTF-8 bytes occur in `haystack`'s (for normalized text, where byte and
/// character matches agree); Foundation's `contains` goes through `NSString` and was most of
/// the time spent attaching errata.
func containsBytes(_ haystack: String, _ needle: String) -> Bool {
    var haystack = haystack, needle = needle
    return haystack.withUTF8 { h in
        needle.withUTF8 { n in
            guard !n.isEmpty else { return true }
            guard h.count >= n.count else { return false }
            let first = Int32(n[0])
            var start = 0
            let last = h.count - n.count
            while start <= last {
                // memchr finds the next candidate first byte; memcmp checks the rest.
                guard let found = memchr(h.baseAddress! + start, first, last - start + 1) else { return false }
                let at = h.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self))
                if memcmp(h.baseAddress! + at, n.baseAddress!, n.count) == 0 { return true }
                start = at + 1
            }
            return false
        }
    }
}

/// Normalises text for quote matching: markup-free, whitespace collapsed, quotes and dashes unified.
func normalizedForMatching(_ text: String) -> String {
    var out = ""
    var space = false
    for ch in text.lowercased() {
        var c = ch
        switch ch {
        case "“", "”", "„": c = "\""
        case "‘", "’": c = "'"
        case "−", "–", "—": c = "-"
        case "*", "`": continue
        default: break
        }
        if c.isWhitespace {
            space = !out.isEmpty
            continue
        }
        if space { out.append(" ") }
        space = false
        out.append(c)
    }
    return out
}
