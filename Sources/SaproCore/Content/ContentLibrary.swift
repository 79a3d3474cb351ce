import Foundation

/// Everything parsed from the documents: topics with their blocks, and flat views of the facts,
/// tables, code samples, flows and decision trees, with errata attached where they apply.
public struct ContentLibrary: Sendable {
    /// Topics in document order (documents sorted by file name).
    public private(set) var topics: [Topic]
    public private(set) var errata: [Erratum]
    private var index: [String: Int]
    /// Each erratum's quotes that match no statement, by erratum id (a typo in a second quote
    /// would otherwise pass unnoticed beside a first that matches).
    public private(set) var unmatchedQuotes: [String: [String]] = [:]

    public init(documents: [ParsedDocument], errata: [Erratum]) {
        self.topics = documents.flatMap(\.topics)
        self.errata = errata
        self.index = [:]
        for (i, topic) in topics.enumerated() where index[topic.id] == nil { index[topic.id] = i }
        attach(errata, documents: documents)
    }

    /// The topic with exactly this id.
    public func topic(_ id: String) -> Topic? { index[id].map { topics[$0] } }

    public var facts: [Fact] { blocks.compactMap { if case .fact(let f) = $0 { f } else { nil } } }
    public var tables: [ContentTable] { blocks.compactMap { if case .table(let t) = $0 { t } else { nil } } }
    public var codeSamples: [CodeSample] { blocks.compactMap { if case .code(let c) = $0 { c } else { nil } } }
    public var flows: [Flow] { blocks.compactMap { if case .flow(let f) = $0 { f } else { nil } } }
    public var questions: [NoteQuestion] { blocks.compactMap { if case .question(let q) = $0 { q } else { nil } } }
    public var decisionTrees: [DecisionTree] {
        blocks.compactMap { if case .decisionTree(let d) = $0 { d } else { nil } }
    }
    private var blocks: [ContentBlock] { topics.flatMap(\.blocks) }

    /// All topic ids, in order.
    public var topicIDs: [String] { topics.map(\.id) }

    /// Resolves what a user typed: an exact id; else the one topic whose id ends with it, whose
    /// last id part is its slug or whose heading reads the same; else the one topic whose id holds
    /// it. When several documents match, the error names each with its file.
    public func resolve(_ query: String) throws(ContentError) -> Topic {
        let q = query.trimmingWhitespace().lowercased()
        if let topic = topic(q) { return topic }
        let slug = slugify(q)
        let candidates = topics.filter { topic in
            topic.id.hasSuffix("/" + q) || (!slug.isEmpty && topic.id.split(separator: "/").last.map(String.init) == slug)
                || (!slug.isEmpty && slugify(topic.title) == slug)
        }
        if candidates.count == 1 { return candidates[0] }
        if candidates.count > 1 {
            throw .ambiguousTopic(query, matches: candidates.map { "\($0.id) (\($0.location))" })
        }
        let partial = topics.filter { !slug.isEmpty && $0.id.contains(slug) }
        if partial.count == 1 { return partial[0] }
        let names =
            partial.isEmpty
            ? Fuzzy.closest(
                to: q, among: topics.map(\.id) + topics.compactMap { $0.id.split(separator: "/").last.map(String.init) }, limit: 3
            )
            : partial.prefix(5).map(\.id)
        throw .unknownTopic(query, suggestions: names)
    }

    /// Other topics a query names by last id part or heading text, besides the one it resolved to
    /// (`read Overview` reads the shipped topic and names the notes' Overviews).
    public func alsoNamed(_ query: String, besides id: String) -> [Topic] {
        let slug = slugify(query)
        guard !slug.isEmpty else { return [] }
        return topics.filter { topic in
            topic.id != id && (topic.id.split(separator: "/").last.map(String.init) == slug || slugify(topic.title) == slug)
        }
    }

    /// The topic and all its descendants, in document order.
    public func subtree(_ id: String) -> [Topic] {
        guard let start = index[id] else { return [] }
        let level = topics[start].level
        var result = [topics[start]]
        var i = start + 1
        while i < topics.count, topics[i].level > level, topics[i].location.file == topics[start].location.file {
            result.append(topics[i])
            i += 1
        }
        return result
    }

    private mutating func attach(_ errata: [Erratum], documents: [ParsedDocument]) {
        guard !errata.isEmpty else { return }
        let quotes = errata.map { $0.quotes.map(normalizedForMatching) }
        var quoteMatched = errata.map { Array(repeating: false, count: $0.quotes.count) }
        for t in topics.indices {
            let file = topics[t].location.file
            let applicable = errata.indices.filter { i in
                guard let doc = errata[i].document else { return true }
                return file == doc || file.hasSuffix("/" + doc)
            }
            guard !applicable.isEmpty else { continue }
            for b in topics[t].blocks.indices {
                // Each statement is normalised once and checked against every erratum.
                let texts: [String]
                switch topics[t].blocks[b] {
                case .fact(let fact): texts = [(fact.label.map { "\($0): " } ?? "") + fact.text]
                case .table(let table):
                    texts =
                        [table.caption, table.header.joined(separator: " | ")] + table.rows.map { $0.joined(separator: " | ") }
                case .code(let code): texts = [code.code]
                case .flow(let flow): texts = flow.steps
                case .decisionTree(let tree):
                    var lines: [String] = []
                    func collect(_ n: DecisionNode) { lines.append(n.text); n.children.forEach(collect) }
                    tree.roots.forEach(collect)
                    texts = lines
                case .question(let question): texts = [question.prompt, question.answer ?? ""] + question.options
                case .text, .caption: continue
                }
                let normalized = texts.map(normalizedForMatching)
                var matched: [Int] = []
                for i in applicable {
                    var any = false
                    for (k, q) in quotes[i].enumerated() where normalized.contains(where: { containsBytes($0, q) }) {
                        quoteMatched[i][k] = true
                        any = true
                    }
                    if any { matched.append(i) }
                }
                guard !matched.isEmpty else { continue }
                let found = matched.map { errata[$0] }
                switch topics[t].blocks[b] {
                case .fact(var fact): fact.errata += found; topics[t].blocks[b] = .fact(fact)
                case .table(var table): table.errata += found; topics[t].blocks[b] = .table(table)
                case .code(var code): code.errata += found; topics[t].blocks[b] = .code(code)
                case .flow(var flow): flow.errata += found; topics[t].blocks[b] = .flow(flow)
                case .decisionTree(var tree): tree.errata += found; topics[t].blocks[b] = .decisionTree(tree)
                case .question(var question): question.errata += found; topics[t].blocks[b] = .question(question)
                case .text, .caption: break
                }
            }
        }
        for (i, erratum) in errata.enumerated() {
            let missing = erratum.quotes.indices.filter { !quoteMatched[i][$0] }.map { erratum.quotes[$0] }
            if !missing.isEmpty { unmatchedQuotes[erratum.id] = missing }
        }
    }

    /// Errata whose quotes match nothing in the documents they apply to.
    public var unmatchedErrata: [Erratum] {
        var used: Set<String> = []
        for block in blocks {
            switch block {
            case .fact(let f): f.errata.forEach { used.insert($0.id) }
            case .table(let t): t.errata.forEach { used.insert($0.id) }
            case .code(let c): c.errata.forEach { used.insert($0.id) }
            case .flow(let f): f.errata.forEach { used.insert($0.id) }
            case .decisionTree(let d): d.errata.forEach { used.insert($0.id) }
            case .question(let q): q.errata.forEach { used.insert($0.id) }
            case .text, .caption: break
            }
        }
        return errata.filter { !used.contains($0.id) }
    }
}

/// Errors from looking things up in the content library.
public enum ContentError: Error, Equatable, LocalizedError {
    case unknownTopic(String, suggestions: [String])
    case ambiguousTopic(String, matches: [String])

    public var errorDescription: String? {
        switch self {
        case let .unknownTopic(name, suggestions):
            let hint =
                suggestions.isEmpty ? "; 'sapro topics' lists them" : "; did you mean \(suggestions.joined(separator: ", "))?"
            return "unknown topic '\(name.clipped())'\(hint)"
        case let .ambiguousTopic(name, matches):
            return
                "topic '\(name.clipped())' is in \(matches.count) places; give one of these ids: \(matches.joined(separator: ", "))"
        }
    }
}
