import Foundation

/// A problem found in a document, bank or facts file, reported as `file:line: message`.
public struct ContentProblem: Error, LocalizedError, Sendable, Hashable, Codable, CustomStringConvertible {
    public var location: SourceLocation
    public var message: String

    public init(file: String, line: Int, message: String) {
        self.location = SourceLocation(file: file, line: line)
        self.message = message
    }

    /// `file:line: message`; a problem with a whole file or directory (line 0) is `file: message`.
    public var description: String { location.line == 0 ? "\(location.file): \(message)" : "\(location): \(message)" }
    public var errorDescription: String? { description }
}

/// Lowercase slug keeping the letters and digits of every script: `awsvpc Mode (Recommended)` →
/// `awsvpc-mode-recommended`, `VPC CNI の概要` → `vpc-cni-の概要`. Everything else (spaces,
/// punctuation, symbols, dashes) separates words. For ASCII text it is the slug sapro always made,
/// so ids of English documents, and the progress attached to them, do not change.
public func slugify(_ text: String) -> String {
    var out = ""
    var dash = false
    for scalar in text.lowercased().unicodeScalars {
        let keep =
            scalar.isASCII
            ? ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
            : scalar.properties.isAlphabetic || scalar.properties.numericType == .decimal
        if keep {
            if dash && !out.isEmpty { out.append("-") }
            out.unicodeScalars.append(scalar)
            dash = false
        } else {
            dash = true
        }
    }
    return out
}

/// A slug short enough to type: at most `limit` characters, cut at a word boundary. Shipped ids
/// are all shorter, so they do not change.
func idSegment(_ text: String, limit: Int = 48) -> String {
    let slug = slugify(text)
    guard slug.count > limit else { return slug }
    var words: [Substring] = []
    var length = 0
    for word in slug.split(separator: "-") {
        if length + word.count + (words.isEmpty ? 0 : 1) > limit { break }
        length += word.count + (words.isEmpty ? 0 : 1)
        words.append(word)
    }
    return words.isEmpty ? String(slug.prefix(limit)) : words.joined(separator: "-")
}

/// The result of parsing one document.
public struct ParsedDocument: Sendable {
    public var file: String
    public var topics: [Topic]
    public var problems: [ContentProblem]
}

/// Turns one Markdown document into topics and their blocks. Nothing here knows any one document:
/// it reads the shapes (headings, bold captions, labelled bullets, ✅/❌ items, tables, fenced code,
/// plain numbered lists, `├──` trees).
public enum DocumentParser {
    /// Decodes `data` as UTF-8, reporting the line of the first invalid byte.
    public static func decode(_ data: [UInt8], file: String) -> Result<String, ContentProblem> {
        if let text = String(validating: data, as: UTF8.self) { return .success(text) }
        // Find the first byte sequence that does not decode, to name its line.
        var line = 1
        var index = 0
        while index < data.count {
            let byte = data[index]
            let length: Int
            switch byte {
            case 0x00...0x7f: length = 1
            case 0xc2...0xdf: length = 2
            case 0xe0...0xef: length = 3
            case 0xf0...0xf4: length = 4
            default: length = 0
            }
            let valid =
                length > 0 && index + length <= data.count
                && String(validating: data[index..<index + length], as: UTF8.self) != nil
            if !valid {
                return .failure(
                    ContentProblem(
                        file: file, line: line,
                        message:
                            "not valid UTF-8 (byte 0x\(String(byte, radix: 16, uppercase: true)) at offset \(index)); save the file as UTF-8"
                    ))
            }
            if byte == 0x0a { line += 1 }
            index += length
        }
        return .failure(ContentProblem(file: file, line: line, message: "not valid UTF-8"))
    }

    /// Parses a document's text. `file` is the name used in ids' error messages; `stem` the file
    /// name without extension, which becomes the id of the document's top heading. A `scoped`
    /// document (a learner's note) prefixes every topic id with that root id, so two documents'
    /// `Overview` sections stay apart and a file's ids do not depend on what is loaded beside it;
    /// the shipped library is not scoped, so its ids (and the progress attached to them) stay.
    public static func parse(_ original: String, file: String, stem: String, scoped: Bool = false) -> ParsedDocument {
        let (text, title) = NoteSyntax.prepare(original)
        var builder = Builder(
            file: file, stem: stem, scoped: scoped,
            lines: text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map(String.init))
        builder.documentTitle = title
        if text.trimmingWhitespaceAndNewlines().isEmpty {
            return ParsedDocument(
                file: file, topics: [],
                problems: [
                    ContentProblem(file: file, line: 1, message: "the document is empty")
                ])
        }
        let root = MarkdownParser.parse(text)
        builder.walk(root)
        // A file without headings is one topic named after the file (or its front matter's title).
        if builder.topics.isEmpty { builder.openRoot(line: 1) }
        return ParsedDocument(file: file, topics: builder.finishedTopics(), problems: builder.problems)
    }

    struct Builder {
        let file: String
        let stem: String
        let scoped: Bool
        let lines: [String]
        var topics: [Topic] = []
        var problems: [ContentProblem] = []
        /// Heading stack: (level, index into topics).
        var stack: [(level: Int, index: Int)] = []
        var pendingCaption: String?
        var usedIDs: Set<String> = []
        /// The front matter's `title:`, if any.
        var documentTitle: String?
        /// Blocks before the first heading, for the document's root topic.
        var preamble: [ContentBlock] = []
        /// How deep in nested lists the parser is.
        var listDepth = 0
        /// A question being read: its prompt, then options, answer and explanation as they come.
        var pending: PendingQuestion?
        /// The last paragraph, when it asked something: the stem of a practice question if
        /// lettered options follow. (topic index, block index, text, line).
        var lastAsked: (topic: Int, block: Int, text: String, line: Int)?
        /// Numbered quiz items awaiting the note's answer key, one group per quiz list.
        var quizGroups: [[(topic: Int, block: Int, number: Int)]] = []
        /// The list about to be read is a quiz's answer key: its items are not steps.
        var keyList = false
        /// A `<details>` block being collected: its summary, its body lines and where it opened.
        var details: (summary: String, body: [String], line: Int)?

        init(file: String, stem: String, scoped: Bool, lines: [String]) {
            self.file = file
            self.stem = stem
            self.scoped = scoped
            self.lines = lines
        }

        /// The document's root id: the file name's slug.
        var rootID: String { slugify(stem).isEmpty ? "document" : idSegment(stem) }

        func finishedTopics() -> [Topic] { topics }

        func location(_ line: Int) -> SourceLocation { SourceLocation(file: file, line: line) }

        mutating func uniqueID(_ base: String) -> String {
            var id = base
            var n = 2
            while usedIDs.contains(id) {
                id = "\(base)-\(n)"
                n += 1
            }
            usedIDs.insert(id)
            return id
        }

        var currentTopic: Int? { stack.last?.index }

        mutating func append(_ block: ContentBlock, line: Int) {
            guard let index = currentTopic else {
                // Text before the first heading belongs to the document's root topic.
                if topics.isEmpty { preamble.append(block) }
                return
            }
            topics[index].blocks.append(block)
        }

        /// The document's root topic (level 1, the file's name as id) holding the text before the
        /// first heading, when the document does not open with a `# Title` of its own.
        mutating func openRoot(line: Int) {
            let id = uniqueID(rootID)
            topics.append(
                Topic(
                    id: id, title: documentTitle ?? stem, level: 1, parentID: nil, childIDs: [], location: location(line),
                    blocks: preamble))
            preamble = []
            stack = [(1, 0)]
        }

        mutating func walk(_ document: MarkdownNode) {
            for node in document.children { block(node) }
            if details != nil { closeDetails() }
            flushQuestion()
        }

        mutating func block(_ node: MarkdownNode) {
            if details != nil {
                collectDetails(node)
                return
            }
            if node.type != "paragraph" && node.type != "list" && node.type != "html_block" { flushQuestion() }
            switch node.type {
            case "heading":
                heading(node)
            case "paragraph":
                paragraph(node)
            case "html_block":
                htmlBlock(node)
            case "list":
                if questionList(node) { return }
                flushQuestion()
                list(node, group: takeCaption())
            case "table":
                table(node, caption: takeCaption())
            case "code_block":
                code(node, caption: takeCaption())
            case "block_quote":
                for child in node.children { block(child) }
            default:
                break
            }
        }

        mutating func takeCaption() -> String? {
            defer { pendingCaption = nil }
            return pendingCaption
        }

        mutating func heading(_ node: MarkdownNode) {
            pendingCaption = nil
            let title = node.plainText.trimmingWhitespace()
            let level = node.headingLevel
            // Text before a first heading below `#` needs a root to hold it (before a `# Title`, the
            // title is the root and the text its first block; see below).
            if topics.isEmpty && level > 1 && !preamble.isEmpty { openRoot(line: 1) }
            while let last = stack.last, last.level >= level { stack.removeLast() }
            let parent = stack.last.map { topics[$0.index] }
            let base: String
            if topics.isEmpty && level == 1 {
                base = rootID
            } else {
                let slug = slugify(title).isEmpty ? "section" : idSegment(title)
                // The document's top heading is the root; in the shipped library its children's ids
                // do not repeat its slug, in a learner's note every id starts with it.
                if let parentIndex = stack.last?.index, !(parentIndex == 0 && topics[0].level == 1) {
                    base = "\(topics[parentIndex].id)/\(slug)"
                } else {
                    base = scoped ? "\(rootID)/\(slug)" : slug
                }
            }
            // Two sibling headings with one title are valid Markdown; the second gets `-2`.
            let id = uniqueID(base)
            var topic = Topic(
                id: id, title: title, level: level, parentID: parent?.id, childIDs: [],
                location: location(node.startLine), blocks: [])
            if topics.isEmpty {
                topic.blocks = preamble
                preamble = []
            }
            if let parentIndex = stack.last?.index { topics[parentIndex].childIDs.append(id) }
            topics.append(topic)
            stack.append((level, topics.count - 1))
        }

        /// Splits a paragraph that opens with bold text ending in a colon into (label, rest).
        static func label(of paragraph: MarkdownNode) -> (label: String, rest: String)? {
            guard let first = paragraph.children.first, first.type == "strong" else { return nil }
            var label = first.plainText.trimmingWhitespace()
            var rest = paragraph.children.dropFirst().map(\.plainText).joined()
            if label.hasSuffix(":") {
                label.removeLast()
            } else if rest.hasPrefix(":") {
                rest.removeFirst()
            } else {
                return nil
            }
            return (label.trimmingWhitespace(), rest.trimmingWhitespace())
        }

        mutating func paragraph(_ node: MarkdownNode) {
            if questionParagraph(node) {
                pendingCaption = nil
                return
            }
            flushQuestion()
            fillAnswerKey(lines: node.textLines.map { PlainText.clean($0.text) })
            pendingCaption = nil
            if let (label, rest) = Builder.label(of: node) {
                if rest.isEmpty {
                    pendingCaption = label
                } else {
                    addFact(kind: .definition, label: label, group: nil, text: rest, line: node.startLine)
                }
                return
            }
            var text = node.plainText.trimmingWhitespace()
            // An admonition (`!!! note "Title"`, `??? tip`) reads as its title, then its text.
            if text.hasPrefix("!!!") || text.hasPrefix("???") {
                let lines = node.textLines.map { $0.text.trimmingWhitespace() }
                let head = lines[0].drop { $0 == "!" || $0 == "?" || $0 == "+" }.trimmingWhitespace()
                let kind = head.prefix { !$0.isWhitespace }
                var title = head.dropFirst(kind.count).trimmingWhitespace().trimmingCharacters(
                    in: CharacterSet(charactersIn: "\""))
                if title.isEmpty { title = kind.prefix(1).uppercased() + kind.dropFirst() }
                text = ([title + ":"] + lines.dropFirst()).joined(separator: " ").trimmingWhitespace()
            }
            if !text.isEmpty {
                append(.text(text), line: node.startLine)
                if QuestionShapes.asks(text), let index = currentTopic {
                    lastAsked = (index, topics[index].blocks.count - 1, PlainText.clean(text), node.startLine)
                }
            }
        }

        mutating func addFact(kind: FactKind, label: String?, group: String?, text: String, line: Int) {
            guard let index = currentTopic else {
                append(.text(text), line: line)
                return
            }
            let key =
                slugify(label.map { "\($0)" } ?? "").isEmpty
                ? String(slugify(text).split(separator: "-").prefix(6).joined(separator: "-"))
                : slugify(label!)
            let id = uniqueID("\(topics[index].id)#\(key.isEmpty ? "fact" : key)")
            let fact = Fact(
                id: id, topicID: topics[index].id, kind: kind, label: label, group: group,
                text: text, location: location(line), depth: max(listDepth - 1, 0))
            append(.fact(fact), line: line)
        }

        mutating func list(_ node: MarkdownNode, group: String?) {
            listDepth += 1
            defer { listDepth -= 1 }
            defer { keyList = false }
            if let group { append(.caption(group), line: node.startLine) }
            let items = node.children.filter { $0.type == "item" }
            let plain = items.allSatisfy { item in
                item.children.count == 1 && item.children[0].type == "paragraph"
                    && Builder.label(of: item.children[0]) == nil
            }
            // Links only (a table of contents), questions (a quiz) or bare letters (an answer key)
            // are not the steps of a procedure.
            let procedure =
                plain && !keyList
                && !items.contains { Builder.isLinkOnly($0.children[0]) }
                && !items.contains { QuestionShapes.asks($0.children[0].plainText) }
                && !items.contains { QuestionShapes.letters($0.children[0].plainText, options: 8)?.rest.isEmpty ?? false }
            if node.isOrdered && procedure && items.count >= 2, let index = currentTopic {
                let caption = group ?? topics[index].title
                let id = uniqueID("\(topics[index].id)#flow-\(slugify(caption))")
                let steps = items.map { $0.children[0].plainText.trimmingWhitespace() }
                append(
                    .flow(
                        Flow(
                            id: id, topicID: topics[index].id, caption: caption, steps: steps,
                            location: location(node.startLine))), line: node.startLine)
                return
            }
            for item in items { listItem(item, group: group) }
        }

        mutating func listItem(_ item: MarkdownNode, group: String?) {
            var itemLabel: String?
            for child in item.children {
                switch child.type {
                case "paragraph" where itemLabel == nil:
                    let text = child.plainText.trimmingWhitespace()
                    if let mark = text.unicodeScalars.first, mark == "✅" || mark == "❌" {
                        var rest = String(text.unicodeScalars.dropFirst()).trimmingWhitespace()
                        for prefix in ["Not for:", "Not for"] where rest.hasPrefix(prefix) {
                            rest = String(rest.dropFirst(prefix.count)).trimmingWhitespace()
                            break
                        }
                        addFact(
                            kind: mark == "✅" ? .fit : .notFit, label: nil, group: group, text: rest,
                            line: child.startLine)
                        itemLabel = ""
                    } else if let (label, rest) = Builder.label(of: child) {
                        itemLabel = label
                        if !rest.isEmpty {
                            addFact(kind: .labelled, label: label, group: group, text: rest, line: child.startLine)
                        }
                    } else {
                        // A bare link (an index of pages) is kept for reading but is nothing to recall.
                        let linkOnly = Builder.isLinkOnly(child)
                        addFact(
                            kind: .statement, label: nil, group: linkOnly ? nil : group, text: PlainText.clean(text),
                            line: child.startLine)
                        itemLabel = ""
                    }
                case "list":
                    list(child, group: itemLabel.flatMap { $0.isEmpty ? nil : $0 } ?? group)
                case "code_block":
                    code(child, caption: itemLabel.flatMap { $0.isEmpty ? nil : $0 } ?? group)
                case "table":
                    table(child, caption: itemLabel ?? group)
                default:
                    block(child)
                }
            }
        }

        mutating func code(_ node: MarkdownNode, caption: String?) {
            guard let index = currentTopic else {
                append(.text(""), line: node.startLine)
                return
            }
            checkFence(node)
            let code = node.literal ?? ""
            let info = node.fenceInfo?.split(separator: " ").first.map(String.init)
            let language = (info?.isEmpty ?? true) ? nil : info?.lowercased()
            let topicID = topics[index].id
            // A tree needs a question and an arrow to an answer; without them it is a diagram to read.
            if language == nil || language == "text", containsBytes(code, "?") || containsBytes(code, "？"),
                ["->", "→", "=>"].contains(where: { containsBytes(code, $0) }), code.contains("├──") || code.contains("└──"),
                case let roots = DecisionTreeParser.parse(code, firstLine: node.startLine + 1),
                DecisionTree(id: "", topicID: "", roots: roots, location: location(0)).isDecision
            {
                let id = uniqueID("\(topicID)#tree-\(slugify(caption ?? topics[index].title))")
                append(
                    .decisionTree(
                        DecisionTree(
                            id: id, topicID: topicID, roots: roots,
                            location: location(node.startLine))), line: node.startLine)
                return
            }
            let key = slugify(caption ?? language ?? "diagram")
            let id = uniqueID("\(topicID)#code-\(key.isEmpty ? "sample" : key)")
            append(
                .code(
                    CodeSample(
                        id: id, topicID: topicID, caption: caption, language: language, code: code,
                        location: location(node.startLine))), line: node.startLine)
        }

        /// cmark runs an unclosed fence to the end of the document; that is almost always a mistake.
        mutating func checkFence(_ node: MarkdownNode) {
            guard node.isFenced, node.startLine >= 1, node.startLine <= lines.count else { return }
            let opening = lines[node.startLine - 1].trimmingWhitespace()
            guard let fenceChar = opening.first, fenceChar == "`" || fenceChar == "~" else { return }
            let fenceLength = opening.prefix { $0 == fenceChar }.count
            let end = min(max(node.endLine, node.startLine), lines.count)
            let closing = lines[end - 1].trimmingWhitespace()
            let closes =
                end > node.startLine && closing.allSatisfy { $0 == fenceChar }
                && closing.count >= fenceLength
            if !closes {
                problems.append(
                    ContentProblem(
                        file: file, line: node.startLine,
                        message:
                            "code fence '\(String(repeating: fenceChar, count: fenceLength))' is never closed; everything after it is read as code"
                    ))
            }
        }

        mutating func table(_ node: MarkdownNode, caption: String?) {
            guard let index = currentTopic else {
                append(.text(""), line: node.startLine)
                return
            }
            let rows = node.children.filter { $0.type == "table_row" || $0.type == "table_header" }
            guard let headerRow = rows.first else { return }
            let header = headerRow.children.map { $0.plainText.trimmingWhitespace() }
            var body: [[String]] = []
            for row in rows.dropFirst() {
                body.append(row.children.map { $0.plainText.trimmingWhitespace() })
                let line = row.startLine
                if line >= 1 && line <= lines.count {
                    let count = Builder.cellCount(lines[line - 1])
                    if count != header.count {
                        problems.append(
                            ContentProblem(
                                file: file, line: line,
                                message: "table row has \(count) cell\(count == 1 ? "" : "s"), the header has \(header.count)"))
                    }
                }
            }
            let title = caption ?? topics[index].title
            let id = uniqueID("\(topics[index].id)#table-\(slugify(title))")
            append(
                .table(
                    ContentTable(
                        id: id, topicID: topics[index].id, caption: title, header: header,
                        rows: body, location: location(node.startLine))), line: node.startLine)
        }

        /// True when a paragraph is nothing but links (and the punctuation between them).
        static func isLinkOnly(_ paragraph: MarkdownNode) -> Bool {
            var links = 0
            for child in paragraph.children {
                switch child.type {
                case "link", "image": links += 1
                case "softbreak", "linebreak": continue
                case "text" where (child.literal ?? "").allSatisfy({ $0.isWhitespace || $0.isPunctuation }): continue
                default: return false
                }
            }
            return links > 0
        }

        /// Cells in one source row of a pipe table, counting unescaped pipes outside code spans.
        static func cellCount(_ line: String) -> Int {
            var text = Substring(line.trimmingWhitespace())
            if text.hasPrefix("|") { text = text.dropFirst() }
            var separators = 0
            var escaped = false, inCode = false
            var trailingPipe = false
            for ch in text {
                trailingPipe = false
                if escaped { escaped = false; continue }
                switch ch {
                case "\\": escaped = true
                case "`": inCode.toggle()
                case "|" where !inCode:
                    separators += 1
                    trailingPipe = true
                default:
                    if !ch.isWhitespace { trailingPipe = false } else { trailingPipe = false }
                }
            }
            let trimmed = text.trimmingWhitespace()
            trailingPipe = trimmed.hasSuffix("|") && !trimmed.hasSuffix("\\|")
            return trailingPipe ? separators : separators + 1
        }
    }
}

/// Parses `├──` / `└──` text trees into nested nodes.
enum DecisionTreeParser {
    static func parse(_ code: String, firstLine: Int) -> [DecisionNode] {
        // (depth, node) pairs in order, then folded into a tree.
        var entries: [(depth: Int, node: DecisionNode)] = []
        for (offset, raw) in code.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .enumerated()
        {
            let line = String(raw)
            if line.trimmingWhitespace().isEmpty { continue }
            var depth = 0
            var text = Substring(line)
            let scalars = Array(line.unicodeScalars)
            if let branch = scalars.firstIndex(where: { $0 == "├" || $0 == "└" }) {
                depth = branch / 4 + 1
                var start = branch + 1
                while start < scalars.count, scalars[start] == "─" || scalars[start] == " " { start += 1 }
                text = Substring(String(String.UnicodeScalarView(scalars[start...])))
            } else {
                let trimmed = line.trimmingWhitespace()
                if trimmed.unicodeScalars.allSatisfy({ $0 == "│" || $0 == " " }) { continue }
                text = Substring(trimmed)
            }
            let content = text.trimmingWhitespace()
            var answer: String?, outcome: String?
            for arrow in ["->", "→", "=>"] {
                if let range = content.range(of: arrow) {
                    answer = content[..<range.lowerBound].trimmingWhitespace()
                    outcome = content[range.upperBound...].trimmingWhitespace()
                    break
                }
            }
            entries.append(
                (
                    depth,
                    DecisionNode(
                        text: content, answer: answer, outcome: outcome, children: [],
                        line: firstLine + offset)
                ))
        }
        var position = 0
        func build(depth: Int) -> [DecisionNode] {
            var nodes: [DecisionNode] = []
            while position < entries.count, entries[position].depth >= depth {
                if entries[position].depth > depth {
                    // A line deeper than expected: attach to the previous node.
                    if nodes.isEmpty { nodes.append(entries[position].node); position += 1; continue }
                    nodes[nodes.count - 1].children += build(depth: entries[position].depth)
                    continue
                }
                var node = entries[position].node
                position += 1
                node.children = build(depth: depth + 1)
                nodes.append(node)
            }
            return nodes
        }
        return build(depth: 0)
    }
}
