import Foundation

/// Text styles the renderer can ask for; the caller decides whether they become colours.
public struct TerminalStyle: Sendable {
    public var enabled: Bool
    public init(enabled: Bool) { self.enabled = enabled }

    public func apply(_ code: String, _ text: String) -> String { enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
    public func heading(_ text: String) -> String { apply("1;36", text) }
    public func bold(_ text: String) -> String { apply("1", text) }
    public func dim(_ text: String) -> String { apply("2", text) }
    public func warning(_ text: String) -> String { apply("1;33", text) }
    public func good(_ text: String) -> String { apply("32", text) }
    public func bad(_ text: String) -> String { apply("31", text) }
}

/// Renders topics for a terminal: wrapped text, aligned tables, framed code, errata beside what they correct.
public struct TerminalRenderer: Sendable {
    public var width: Int
    public var style: TerminalStyle

    public init(width: Int = 80, color: Bool = false) {
        self.width = max(40, width)
        self.style = TerminalStyle(enabled: color)
    }

    /// The topic and, when `withSubtopics`, everything under it.
    public func render(topicID: String, in library: ContentLibrary, withSubtopics: Bool = true) -> String {
        let topics = withSubtopics ? library.subtree(topicID) : library.topic(topicID).map { [$0] } ?? []
        var out: [String] = []
        for (i, topic) in topics.enumerated() {
            if i > 0 { out.append("") }
            out += render(topic)
        }
        return out.joined(separator: "\n") + "\n"
    }

    func render(_ topic: Topic) -> [String] {
        let marker = String(repeating: "#", count: topic.level)
        var out = [style.heading("\(marker) \(topic.title)") + "  " + style.dim("[\(topic.id)] \(topic.location)")]
        for block in topic.blocks {
            switch block {
            case .text(let text):
                out.append("")
                out += TextWidth.wrap(text, width: width)
            case .caption(let caption):
                out.append("")
                out.append(style.bold(caption + ":"))
            case .fact(let fact):
                out += render(fact)
            case .table(let table):
                out.append("")
                if !topic.blocks.contains(.caption(table.caption)) && table.caption != topic.title {
                    out.append(style.bold(table.caption + ":"))
                }
                out += render(table)
                out += errata(table.errata)
            case .code(let code):
                out.append("")
                out += render(code)
                out += errata(code.errata)
            case .flow(let flow):
                out.append("")
                out.append(style.bold(flow.caption + ":"))
                for (i, step) in flow.steps.enumerated() {
                    out += hanging("\(i + 1). ", step)
                }
                out += errata(flow.errata)
            case .decisionTree(let tree):
                out.append("")
                out += render(tree)
                out += errata(tree.errata)
            case .question(let question):
                out.append("")
                out += render(question)
                out += errata(question.errata)
            }
        }
        return out
    }

    /// A question of the note: the prompt, its lettered options, then the answer and why.
    func render(_ question: NoteQuestion) -> [String] {
        var lines = hanging("Q: ", style.bold(question.prompt))
        let letters = Array("ABCDEFGH")
        for (i, option) in question.options.enumerated() where i < letters.count {
            lines += hanging("   \(letters[i]). ", option)
        }
        if !question.correct.isEmpty {
            lines += hanging("A: ", question.correct.map { String(letters[min($0, letters.count - 1)]) }.joined(separator: ", "))
        } else if let answer = question.answer, !answer.isEmpty {
            lines += hanging("A: ", answer)
        }
        if let explanation = question.explanation, !explanation.isEmpty { lines += hanging("   ", style.dim(explanation)) }
        return lines
    }

    func hanging(_ lead: String, _ text: String) -> [String] {
        let indent = String(repeating: " ", count: TextWidth.of(lead))
        return TextWidth.wrap(text, width: width - TextWidth.of(lead)).enumerated().map { i, line in
            (i == 0 ? lead : indent) + line
        }
    }

    func render(_ fact: Fact) -> [String] {
        var lines: [String]
        switch fact.kind {
        case .definition:
            lines = [""] + [style.bold((fact.label ?? "") + ":")] + TextWidth.wrap(fact.text, width: width)
        case .labelled:
            lines = hanging(
                String(repeating: "  ", count: fact.depth) + "- ", style.bold((fact.label ?? "") + ":") + " " + fact.text)
        case .fit:
            lines = hanging("  ✓ ", fact.text).map { style.good($0) }
        case .notFit:
            lines = hanging("  ✗ ", "Not for: " + fact.text).map { style.bad($0) }
        case .statement:
            // Nested bullets keep their depth.
            lines = hanging(String(repeating: "  ", count: fact.depth) + "- ", fact.text)
        }
        return lines + errata(fact.errata)
    }

    func errata(_ errata: [Erratum]) -> [String] {
        errata.flatMap { erratum -> [String] in
            [style.warning("  ⚠ Erratum (\(erratum.id)):")]
                + TextWidth.wrap(erratum.correction, width: width - 4).map { style.warning("    " + $0) }
        }
    }

    /// An aligned table with a rule under the header.
    public func render(_ table: ContentTable) -> [String] {
        let columns = max(table.header.count, table.rows.map(\.count).max() ?? 0)
        func cell(_ row: [String], _ i: Int) -> String { i < row.count ? row[i] : "" }
        var widths = (0..<columns).map { TextWidth.of(cell(table.header, $0)) }
        for row in table.rows {
            for i in 0..<columns { widths[i] = max(widths[i], TextWidth.of(cell(row, i))) }
        }
        func line(_ row: [String]) -> String {
            (0..<columns).map { TextWidth.pad(cell(row, $0), to: widths[$0]) }.joined(separator: " │ ")
                .replacingOccurrences(of: #"\s+$"#, with: "", options: .regularExpression)
        }
        var out = [style.bold(line(table.header))]
        out.append(widths.map { String(repeating: "─", count: $0) }.joined(separator: "─┼─"))
        out += table.rows.map(line)
        return out.map { "  " + $0 }
    }

    /// Code in a frame, with its language on the top edge.
    public func render(_ code: CodeSample) -> [String] {
        let label = code.language ?? "diagram"
        let title = code.caption.map { "\($0) (\(label))" } ?? label
        var out = [style.dim("┌─ \(title) " + String(repeating: "─", count: max(2, min(width, 60) - TextWidth.of(title) - 4)))]
        var body = code.code
        if body.hasSuffix("\n") { body.removeLast() }
        for line in body.split(separator: "\n", omittingEmptySubsequences: false) {
            out.append(style.dim("│ ") + line)
        }
        out.append(style.dim("└" + String(repeating: "─", count: max(2, min(width, 60) - 1))))
        return out
    }

    /// A decision tree redrawn from its parsed structure.
    public func render(_ tree: DecisionTree) -> [String] {
        var out = [style.bold("Decision tree:")]
        func draw(_ node: DecisionNode, prefix: String, isLast: Bool, isRoot: Bool) {
            if isRoot {
                out.append("  " + node.text)
            } else {
                let text = node.answer.map { "\($0) → \(node.outcome ?? "")" } ?? node.text
                out.append("  " + prefix + (isLast ? "└── " : "├── ") + text)
            }
            let childPrefix = isRoot ? "" : prefix + (isLast ? "    " : "│   ")
            for (i, child) in node.children.enumerated() {
                draw(child, prefix: childPrefix, isLast: i == node.children.count - 1, isRoot: false)
            }
        }
        for root in tree.roots { draw(root, prefix: "", isLast: true, isRoot: true) }
        return out
    }

    /// The topic tree, indented by level.
    public func renderTree(_ library: ContentLibrary) -> String {
        var out: [String] = []
        for topic in library.topics {
            let indent = String(repeating: "  ", count: max(0, topic.level - 1))
            out.append(indent + topic.title + "  " + style.dim(topic.id))
        }
        return out.joined(separator: "\n") + "\n"
    }
}
