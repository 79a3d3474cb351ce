/// Edit-distance helpers for "did you mean" suggestions.
public enum Fuzzy {
    /// Levenshtein distance between two strings, by Unicode scalars.
    public static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars), b = Array(b.unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// The `limit` candidates closest to `word`; a candidate that starts with `word` ranks first.
    /// Candidates further than half the word's length (at least 2) are left out.
    public static func closest(to word: String, among candidates: [String], limit: Int = 3) -> [String] {
        // Nothing is close to a very long word; skip the quadratic work for pasted garbage.
        guard !word.isEmpty, word.count <= 64 else { return [] }
        let bound = max(2, word.count / 2)
        let scored: [(String, Int)] = candidates.compactMap { candidate in
            if candidate.hasPrefix(word) { return (candidate, 0) }
            let d = distance(word, candidate)
            return d <= bound ? (candidate, d) : nil
        }
        return scored.sorted { ($0.1, $0.0.count, $0.0) < ($1.1, $1.0.count, $1.0) }
            .prefix(limit).map(\.0)
    }
}

extension String {
    /// The string cut to `limit` characters with an ellipsis, for echoing user input in messages.
    public func clipped(_ limit: Int = 60) -> String {
        count <= limit ? self : String(prefix(limit)) + "…"
    }
}
