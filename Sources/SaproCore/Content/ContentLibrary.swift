import Foundation

/// Everything parsed from the documents: topics with their blocks, and flat views of the facts,
/// tables, code samples, flows and decision trees, with errata attached where they apply.
public struct ContentLibrary: Sendable {
    /// Topics in document order (documents sorted by file name).
    public private(set) var topics: [Topic]
    public private(set) var errata: [Erratum]
    private var index: [String: Int]

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
    public var decisionTrees: [DecisionTree] {
        blocks.compactMap { if case .decisionTree(let d) = $0 { d } else { nil } }
    }
    private var blocks: [ContentBlock] { topics.flatMap(\.blocks) }

    /// All topic ids, in order.
    public var topicIDs: [String] { topics.map(\.id) }

    /// Resolves what a user typed: an exact id, else a unique topic whose id ends with it or whose
    /// last path part or title slug equals it.
    public func resolve(_ query: String) throws(ContentError) -> Topic {
        let q = query.trimmingWhitespace().lowercased()
        if let topic = topic(q) { return topic }
        let slug = slugify(q)
        let candidates = topics.filter { topic in
            topic.id.hasSuffix("/" + q) || topic.id.split(separator: "/").last.map(String.init) == slug
                || slugify(topic.title) == slug
        }
        if candidates.count == 1 { return candidates[0] }
        if candidates.count > 1 {
            throw .ambiguousTopic(query, matches: candidates.map(\.id))
        }
        let partial = topics.filter { !slug.isEmpty && $0.id.contains(slug) }
        if partial.count == 1 { return partial[0] }
        let names = partial.isEmpty
            ? Fuzzy.closest(to: q, among: topics.map(\.id) + topics.compactMap { $0.id.split(separator: "/").last.map(String.init) }, limit: 3)
            : partial.prefix(5).map(\.id)
        throw .unknownTopic(query, suggestions: names)
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
                    texts = [table.caption, table.header.joined(separator: " | ")] + table.rows.map { $0.joined(separator: " | ") }
                case .code(let code): texts = [code.code]
                case .flow(let flow): texts = flow.steps
                case .decisionTree(let tree):
                    var lines: [String] = []
                    func collect(_ n: DecisionNode) { lines.append(n.text); n.children.forEach(collect) }
                    tree.roots.forEach(collect)
                    texts = lines
                case .text, .caption: continue
                }
                let normalized = texts.map(normalizedForMatching)
                let matched = applicable.filter { i in quotes[i].contains { q in normalized.contains { containsBytes($0, q) } } }
                guard !matched.isEmpty else { continue }
                let found = matched.map { errata[$0] }
                switch topics[t].blocks[b] {
                case .fact(var fact): fact.errata += found; topics[t].blocks[b] = .fact(fact)
                case .table(var table): table.errata += found; topics[t].blocks[b] = .table(table)
                case .code(var code): code.errata += found; topics[t].blocks[b] = .code(code)
                case .flow(var flow): flow.errata += found; topics[t].blocks[b] = .flow(flow)
                case .decisionTree(var tree): tree.errata += found; topics[t].blocks[b] = .decisionTree(tree)
                case .text, .caption: break
                }
            }
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
            let hint = suggestions.isEmpty ? "; 'sapro topics' lists them" : "; did you mean \(suggestions.joined(separator: ", "))?"
            return "unknown topic '\(name.clipped())'\(hint)"
        case let .ambiguousTopic(name, matches):
            return "topic '\(name.clipped())' is ambiguous: \(matches.joined(separator: ", "))"
        }
    }
}

/// Reads the documents, errata and facts from content directories.
public enum ContentLoader {
    /// Everything loaded, with every problem found along the way.
    public struct Loaded: Sendable {
        public var library: ContentLibrary
        public var catalog: InstanceCatalog
        public var problems: [ContentProblem]
    }

    /// Loads every `*.md` (documents) and `*.errata.md` (errata) under `directories`, recursively,
    /// in file-name order, and the instance catalog from `facts/*.csv`. File names in messages are
    /// relative to their directory, prefixed with `prefix(directory)`.
    public static func load(directories: [URL], displayName: (URL) -> String = { $0.path }) -> Loaded {
        var documents: [ParsedDocument] = []
        var errata: [Erratum] = []
        var problems: [ContentProblem] = []
        var catalogTypes: [InstanceType] = []
        var seenTopics: [String: SourceLocation] = [:]
        let fm = FileManager.default
        for directory in directories {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: directory.path, isDirectory: &isDir), isDir.boolValue else {
                problems.append(ContentProblem(file: displayName(directory), line: 0,
                                               message: fm.fileExists(atPath: directory.path) ? "not a directory" : "no such content directory"))
                continue
            }
            let files = (fm.enumerator(at: directory, includingPropertiesForKeys: nil)?.allObjects as? [URL] ?? [])
                .filter { !$0.hasDirectoryPath }
                .sorted { $0.path < $1.path }
            for url in files {
                let name = displayName(url)
                let ext = url.pathExtension.lowercased()
                guard ext == "md" || ext == "csv", !url.lastPathComponent.hasPrefix("."),
                      url.lastPathComponent.lowercased() != "readme.md"
                else { continue }
                guard let data = fm.contents(atPath: url.path) else {
                    problems.append(ContentProblem(file: name, line: 0, message: "cannot be read"))
                    continue
                }
                let text: String
                switch DocumentParser.decode(Array(data), file: name) {
                case .success(let decoded): text = decoded
                case .failure(let problem):
                    problems.append(problem)
                    continue
                }
                if ext == "csv" {
                    do throws(FactsError) {
                        catalogTypes += try InstanceCatalog.parse(csv: text, file: name).types
                    } catch {
                        if case let .badCatalog(file, line, message) = error {
                            problems.append(ContentProblem(file: file, line: line, message: message))
                        }
                    }
                } else if url.lastPathComponent.lowercased().hasSuffix(".errata.md") {
                    let parsed = ErrataParser.parse(text, file: name)
                    errata += parsed.errata
                    problems += parsed.problems
                } else {
                    let stem = String(url.lastPathComponent.dropLast(3))
                    let doc = DocumentParser.parse(text, file: name, stem: stem)
                    problems += doc.problems
                    var kept = doc
                    kept.topics = []
                    for topic in doc.topics {
                        if let first = seenTopics[topic.id] {
                            problems.append(ContentProblem(
                                file: name, line: topic.location.line,
                                message: "topic id '\(topic.id)' is already defined at \(first); rename this heading"))
                            continue
                        }
                        seenTopics[topic.id] = topic.location
                        kept.topics.append(topic)
                    }
                    documents.append(kept)
                }
            }
        }
        let library = ContentLibrary(documents: documents, errata: errata)
        for erratum in library.unmatchedErrata {
            problems.append(ContentProblem(
                file: erratum.location.file, line: erratum.location.line,
                message: "erratum '\(erratum.id)' matches no statement in the documents"))
        }
        return Loaded(library: library, catalog: InstanceCatalog(types: catalogTypes), problems: problems)
    }
}
