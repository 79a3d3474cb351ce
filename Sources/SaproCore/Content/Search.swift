import Foundation

/// One search hit: a topic, how well it matched, and the best matching passage.
public struct SearchHit: Sendable, Hashable {
    public var topicID: String
    public var title: String
    public var score: Double
    public var snippet: String
    public var location: SourceLocation
}

/// Ranked full-text search over topics: TF-IDF over words, titles weighted, a word matching
/// by prefix as well (`trunk` finds `trunking`).
public struct SearchIndex: Sendable {
    struct Passage: Sendable {
        var topic: Int
        var text: String
        var line: Int
        var words: [String]
        var weight: Double
    }

    private let topics: [Topic]
    private let passages: [Passage]
    private let documentFrequency: [String: Int]

    public init(library: ContentLibrary) {
        topics = library.topics
        var passages: [Passage] = []
        for (i, topic) in topics.enumerated() {
            func add(_ text: String, line: Int, weight: Double = 1) {
                passages.append(Passage(topic: i, text: text, line: line, words: [], weight: weight))
            }
            add(topic.title, line: topic.location.line, weight: 3)
            for block in topic.blocks {
                switch block {
                case .text(let text): add(text, line: topic.location.line)
                case .caption(let text): add(text, line: topic.location.line, weight: 1.5)
                case .fact(let f): add((f.label.map { "\($0): " } ?? "") + f.text, line: f.location.line)
                case .table(let t):
                    add(t.caption + ": " + t.header.joined(separator: " | "), line: t.location.line)
                    for row in t.rows { add(row.joined(separator: " | "), line: t.location.line) }
                case .code(let c):
                    for line in c.code.split(separator: "\n") { add(String(line), line: c.location.line, weight: 0.5) }
                case .flow(let f):
                    for step in f.steps { add(step, line: f.location.line) }
                case .decisionTree(let d):
                    func visit(_ n: DecisionNode) { add(n.text, line: n.line); n.children.forEach(visit) }
                    d.roots.forEach(visit)
                case .question(let q):
                    add(([q.prompt] + q.options + [q.answer ?? ""]).joined(separator: " "), line: q.location.line)
                }
            }
        }
        Parallel.forEach(inPlace: &passages) { $0.words = SearchIndex.words($0.text) }
        var df: [String: Int] = [:]
        var perTopic: [Int: Set<String>] = [:]
        for p in passages { perTopic[p.topic, default: []].formUnion(p.words) }
        for words in perTopic.values { for w in words { df[w, default: 0] += 1 } }
        self.passages = passages
        self.documentFrequency = df
    }

    /// Words of `text`; a run of Chinese or Japanese characters (written without spaces) gives
    /// its overlapping character pairs instead, so `概要` is found inside `VPC CNIの概要です`.
    static func words(_ text: String) -> [String] {
        // Most text is ASCII, and splitting it byte by byte is several times faster than by
        // Character; `plainWords` is the definition (tests compare the two). The text is cut at
        // ASCII separators with ASCII on both sides, which always stand alone as a Character
        // (a combining mark or a prepended one could join them to a neighbour); a piece with
        // other bytes goes through `plainWords`.
        let bytes = Array(text.utf8)
        var words: [String] = []
        var start = 0
        var ascii = true
        func flush(_ end: Int) {
            guard start < end else { return }
            if !ascii {
                words += plainWords(String(decoding: bytes[start..<end], as: UTF8.self))
                return
            }
            // Only letters, digits, dots and slashes: one word, without dots or slashes at its ends.
            var from = start
            var to = end
            while from < to, bytes[from] == UInt8(ascii: ".") || bytes[from] == UInt8(ascii: "/") { from += 1 }
            while to > from, bytes[to - 1] == UInt8(ascii: ".") || bytes[to - 1] == UInt8(ascii: "/") { to -= 1 }
            guard from < to else { return }
            words.append(
                String(unsafeUninitializedCapacity: to - from) { buffer in
                    for i in from..<to {
                        let byte = bytes[i]
                        buffer[i - from] = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
                    }
                    return to - from
                })
        }
        for (i, byte) in bytes.enumerated() {
            switch byte {
            case 0x80...:
                ascii = false
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "."), UInt8(ascii: "/"):
                break
            default:
                guard i == 0 || bytes[i - 1] < 0x80, i + 1 == bytes.count || bytes[i + 1] < 0x80 else { break }
                flush(i)
                start = i + 1
                ascii = true
            }
        }
        flush(bytes.count)
        return words
    }

    /// Words of `text`, by Character: letters, digits, dots and slashes, lowercased.
    static func plainWords(_ text: String) -> [String] {
        var words: [String] = []
        for piece in text.lowercased().split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "." || $0 == "/") }) {
            let word = String(piece).trimmingCharacters(in: CharacterSet(charactersIn: "./"))
            guard !word.isEmpty else { continue }
            guard word.unicodeScalars.contains(where: isIdeographic) else {
                words.append(word)
                continue
            }
            var run: [Character] = []
            var other = ""
            func flushRun() {
                if run.count == 1 { words.append(String(run)) }
                if run.count > 1 { for i in 0..<(run.count - 1) { words.append(String(run[i...(i + 1)])) } }
                run = []
            }
            for character in word {
                if character.unicodeScalars.contains(where: isIdeographic) {
                    if !other.isEmpty { words.append(other); other = "" }
                    run.append(character)
                } else {
                    flushRun()
                    other.append(character)
                }
            }
            flushRun()
            if !other.isEmpty { words.append(other) }
        }
        return words
    }

    /// Han, Hiragana and Katakana: scripts written without spaces between words.
    static func isIdeographic(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x3040...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0xFF66...0xFF9F, 0x20000...0x2FFFF: true
        default: false
        }
    }

    /// Topics matching `query`, best first. Topics matching more of the query's words rank first.
    public func search(_ query: String, limit: Int = 10) -> [SearchHit] {
        // More than a few dozen words is not a search; keep the cost bounded.
        let terms = Array(Set(SearchIndex.words(query)).sorted().prefix(32))
        guard !terms.isEmpty else { return [] }
        let n = Double(max(topics.count, 1))
        var score: [Int: Double] = [:]
        var matched: [Int: Set<String>] = [:]
        var best: [Int: (Double, Passage)] = [:]
        for passage in passages {
            var passageScore = 0.0
            for term in terms {
                // A single Chinese or Japanese character is a word of its own, and may start a pair.
                let prefixes = term.count >= 3 || term.unicodeScalars.contains(where: SearchIndex.isIdeographic)
                let hits = passage.words.filter { $0 == term || (prefixes && $0.hasPrefix(term)) }
                guard !hits.isEmpty else { continue }
                let exact = hits.contains(term) ? 1.0 : 0.6
                let idf = log(1 + n / Double(documentFrequency[hits[0]] ?? 1))
                passageScore += exact * idf * passage.weight * (1 + log(Double(hits.count)))
                matched[passage.topic, default: []].insert(term)
            }
            guard passageScore > 0 else { continue }
            score[passage.topic, default: 0] += passageScore
            if passageScore > (best[passage.topic]?.0 ?? 0) { best[passage.topic] = (passageScore, passage) }
        }
        return score.keys
            .sorted {
                let a = (matched[$0]?.count ?? 0, score[$0] ?? 0), b = (matched[$1]?.count ?? 0, score[$1] ?? 0)
                return a.0 != b.0 ? a.0 > b.0 : (a.1 != b.1 ? a.1 > b.1 : $0 < $1)
            }
            .prefix(limit)
            .map { i in
                let passage = best[i]!.1
                return SearchHit(
                    topicID: topics[i].id, title: topics[i].title, score: score[i] ?? 0,
                    snippet: passage.text, location: SourceLocation(file: topics[i].location.file, line: passage.line))
            }
    }
}
