import CMarkGFM

/// A Markdown block or inline node as cmark-gfm parsed it, copied into Swift values.
public struct MarkdownNode: Sendable, Hashable {
    /// The node type as cmark-gfm names it: `heading`, `paragraph`, `list`, `item`, `code_block`,
    /// `table`, `table_row`, `table_cell`, `text`, `strong`, `code`, `softbreak`, …
    public var type: String
    /// 1-based first and last source lines (0 for inline nodes cmark gives no position).
    public var startLine: Int
    public var endLine: Int
    /// Text of `text`, `code`, `code_block` and `html` nodes.
    public var literal: String?
    /// Heading level (1–6).
    public var headingLevel: Int
    /// Info string of a fenced code block (`json`, `yaml`, …).
    public var fenceInfo: String?
    /// True for a fenced (not indented) code block.
    public var isFenced: Bool
    /// True for an ordered list.
    public var isOrdered: Bool
    /// The first number of an ordered list.
    public var listStart: Int = 1
    public var children: [MarkdownNode]

    /// The node's text with inline markup removed; soft and hard breaks become spaces.
    public var plainText: String {
        switch type {
        case "text", "code": return literal ?? ""
        // Inline HTML is markup, not text (`<a name=…>`, `<span style>`, `<mark>`); a line break
        // tag still separates words.
        case "html_inline": return (literal ?? "").lowercased().hasPrefix("<br") ? " " : ""
        case "softbreak", "linebreak": return " "
        default: return children.map(\.plainText).joined()
        }
    }

    /// The paragraph's text line by line (soft and hard breaks end a line), each with whether all
    /// its words are bold (`**B. 251**` marks the right option).
    public var textLines: [(text: String, bold: Bool)] {
        var lines: [(text: String, bold: Bool)] = []
        var text = ""
        var plain = false
        func visit(_ node: MarkdownNode, strong: Bool) {
            switch node.type {
            case "softbreak", "linebreak":
                lines.append((text, !plain && !text.trimmingWhitespace().isEmpty))
                text = ""
                plain = false
            case "text", "code", "html_inline":
                let piece = MarkdownNode(
                    type: node.type, startLine: 0, endLine: 0, literal: node.literal, headingLevel: 0, fenceInfo: nil,
                    isFenced: false, isOrdered: false, children: []
                ).plainText
                if !strong && !piece.trimmingWhitespace().isEmpty { plain = true }
                text += piece
            default:
                for child in node.children { visit(child, strong: strong || node.type == "strong") }
            }
        }
        for child in children { visit(child, strong: false) }
        lines.append((text, !plain && !text.trimmingWhitespace().isEmpty))
        return lines
    }
}

/// Parses Markdown with cmark-gfm (tables and strikethrough enabled).
public enum MarkdownParser {
    /// Registers cmark-gfm's extensions, once per process: registering is not thread-safe, and
    /// a static constant is initialised exactly once whichever threads ask for it first.
    public static func prepare() { _ = registered }

    private static let registered: Void = cmark_gfm_core_extensions_ensure_registered()

    /// Parses `text` into its document node.
    public static func parse(_ text: String) -> MarkdownNode {
        prepare()
        let options = CMARK_OPT_DEFAULT
        guard let parser = cmark_parser_new(options) else {
            return MarkdownNode(
                type: "document", startLine: 1, endLine: 1, literal: nil, headingLevel: 0,
                fenceInfo: nil, isFenced: false, isOrdered: false, children: [])
        }
        defer { cmark_parser_free(parser) }
        for name in ["table", "strikethrough"] {
            if let ext = cmark_find_syntax_extension(name) {
                cmark_parser_attach_syntax_extension(parser, ext)
            }
        }
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress, buffer.count > 0 else { return }
            base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                cmark_parser_feed(parser, $0, buffer.count)
            }
        }
        guard let root = cmark_parser_finish(parser) else {
            return MarkdownNode(
                type: "document", startLine: 1, endLine: 1, literal: nil, headingLevel: 0,
                fenceInfo: nil, isFenced: false, isOrdered: false, children: [])
        }
        defer { cmark_node_free(root) }
        return convert(root)
    }

    private static func convert(_ node: OpaquePointer) -> MarkdownNode {
        let type = cmark_node_get_type_string(node).map { String(cString: $0) } ?? "unknown"
        var children: [MarkdownNode] = []
        var child = cmark_node_first_child(node)
        while let current = child {
            children.append(convert(current))
            child = cmark_node_next(current)
        }
        let literal = cmark_node_get_literal(node).map { String(cString: $0) }
        let fence = type == "code_block" ? cmark_node_get_fence_info(node).map { String(cString: $0) } : nil
        var fenceLength: Int32 = 0, fenceOffset: Int32 = 0
        var fenceChar: CChar = 0
        let fenced = type == "code_block" && cmark_node_get_fenced(node, &fenceLength, &fenceOffset, &fenceChar) != 0
        return MarkdownNode(
            type: type,
            startLine: Int(cmark_node_get_start_line(node)),
            endLine: Int(cmark_node_get_end_line(node)),
            literal: literal,
            headingLevel: type == "heading" ? Int(cmark_node_get_heading_level(node)) : 0,
            fenceInfo: fence,
            isFenced: fenced,
            isOrdered: type == "list" ? cmark_node_get_list_type(node) == CMARK_ORDERED_LIST : false,
            listStart: type == "list" ? Int(cmark_node_get_list_start(node)) : 1,
            children: children)
    }
}
