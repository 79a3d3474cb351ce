import Foundation

/// Cards derived from the content library: labelled facts and definitions (recall), fit /
/// not-a-fit items (yes/no), table cells (numeric or recall), code samples (what does it
/// configure), flows (ordering) and decision-tree paths (choice). Ids derive from the element's
/// id, never from its position, so editing a document leaves unrelated cards' progress alone.
public enum ContentCards {
    public static func make(from library: ContentLibrary) -> [Question] {
        var cards: [Question] = []
        for topic in library.topics {
            cards += listCards(topic)
            for block in topic.blocks {
                switch block {
                case .fact(let fact): cards += factCards(fact, topic: topic)
                case .table(let table): cards += tableCards(table)
                case .code(let code): cards += codeCards(code, topic: topic)
                case .flow(let flow): cards += flowCards(flow, topic: topic)
                case .decisionTree(let tree): cards += treeCards(tree)
                case .text, .caption: break
                }
            }
        }
        return cards
    }

    static func note(_ errata: [Erratum]) -> String? {
        errata.isEmpty ? nil : errata.map { "\($0.correction) (erratum \($0.id))" }.joined(separator: "\n")
    }

    static func source(_ location: SourceLocation) -> String { "Source: \(location)." }

    static func factCards(_ fact: Fact, topic: Topic) -> [Question] {
        let id = "card:\(fact.id)"
        switch fact.kind {
        case .definition, .labelled:
            guard let label = fact.label else { return [] }
            let prompt =
                fact.kind == .definition
                ? "\(topic.title): \(label)?"
                : "\(topic.title) — \(fact.group.map { "\($0), " } ?? "")\(label)?"
            // A statement an erratum corrects must not be memorised as written: the answer to
            // recall is the correction, with the document's wording beside it.
            let answer =
                fact.errata.isEmpty
                ? fact.text
                : fact.errata.map(\.correction).joined(separator: "\n") + "\n(The document says: \(fact.text))"
            return [
                Question(
                    id: id, source: .card(id: id), prompt: prompt, body: .recall(answer: answer),
                    explanation: [fact.text, source(fact.location)], topics: [fact.topicID],
                    erratum: note(fact.errata))
            ]
        case .fit, .notFit:
            let fits = fact.kind == .fit
            let prompt = "Is \(topic.title) a good fit for: \(fact.text)?"
            let why =
                fits
                ? "The document lists \"\(fact.text)\" under \(fact.group ?? "when to use it")."
                : "The document lists \"\(fact.text)\" as not a fit (\(fact.group ?? "when to use it"))."
            return [
                Question(
                    id: id, source: .card(id: id), prompt: prompt,
                    body: .singleChoice(
                        choices: [Choice(text: "Yes, a good fit"), Choice(text: "No, not a fit")],
                        correct: fits ? 0 : 1),
                    explanation: [why, source(fact.location)], topics: [fact.topicID],
                    erratum: note(fact.errata))
            ]
        case .statement:
            return []
        }
    }

    /// Plain bullets under one caption (`Benefits`, `ECS`) become one card: recall the list.
    static func listCards(_ topic: Topic) -> [Question] {
        var groups: [(group: String, facts: [Fact])] = []
        for case .fact(let fact) in topic.blocks where fact.kind == .statement {
            guard let group = fact.group else { continue }
            if let i = groups.firstIndex(where: { $0.group == group }) {
                groups[i].facts.append(fact)
            } else {
                groups.append((group, [fact]))
            }
        }
        return groups.filter { $0.facts.count >= 2 }.map { group in
            let id = "card:\(topic.id)#list-\(slugify(group.group))"
            let answer = group.facts.map { "• " + $0.text }.joined(separator: "\n")
            let errata = group.facts.flatMap(\.errata)
            return Question(
                id: id, source: .card(id: id),
                prompt: "\(topic.title) — \(group.group): what \(group.facts.count) points does the document list?",
                body: .recall(answer: answer), explanation: group.facts.map(\.text) + [source(group.facts[0].location)],
                topics: [topic.id], erratum: note(errata))
        }
    }

    static func tableCards(_ table: ContentTable) -> [Question] {
        guard table.header.count >= 2 else { return [] }
        var cards: [Question] = []
        for row in table.rows {
            guard let key = row.first, !key.isEmpty else { continue }
            // A cell an erratum quotes (by row or by column) is wrong in the document: no card teaches it.
            let rowText = normalizedForMatching(row.joined(separator: " | "))
            for column in 1..<min(row.count, table.header.count) {
                let heading = table.header[column]
                let cell = row[column]
                guard !cell.isEmpty, cell.uppercased() != "N/A" else { continue }
                let quoted = table.errata.contains { erratum in
                    erratum.quotes.map(normalizedForMatching).contains {
                        rowText.contains($0) || normalizedForMatching(heading).contains($0)
                            || normalizedForMatching(key).contains($0)
                    }
                }
                if quoted { continue }
                let id = "card:\(table.id)/\(slugify(key))/\(slugify(heading))"
                let prompt = "\(table.caption): \(heading) for \(key)?"
                let explanation = ["\(table.caption), row \(key), column \(heading): \(cell).", source(table.location)]
                let body: QuestionBody = Int(cell).map { .numeric(answer: $0, unit: nil) } ?? .recall(answer: cell)
                cards.append(
                    Question(
                        id: id, source: .card(id: id), prompt: prompt, body: body,
                        explanation: explanation, topics: [table.topicID],
                        value: Int(cell), erratum: note(table.errata)))
            }
        }
        return cards
    }

    static let networkModes = ["awsvpc", "bridge", "host", "none"]
    static let kubernetesKinds = ["Deployment", "Service", "Ingress", "NetworkPolicy", "ENIConfig", "ConfigMap"]

    static func codeCards(_ code: CodeSample, topic: Topic) -> [Question] {
        guard let language = code.language else { return [] }
        let id = "card:\(code.id)"
        let shown = "\(topic.title) — what does this \(language) configure?\n\n\(code.code)"
        func field(_ name: String) -> String? {
            for line in code.code.split(separator: "\n") {
                let trimmed = line.trimmingWhitespace()
                for prefix in ["\"\(name)\":", "\(name):"] where trimmed.hasPrefix(prefix) {
                    return trimmed.dropFirst(prefix.count)
                        .trimmingCharacters(in: CharacterSet(charactersIn: " \",'"))
                }
            }
            return nil
        }
        if language == "json", let mode = field("networkMode"), let correct = networkModes.firstIndex(of: mode) {
            let prompt = "Which network mode does this task definition use?\n\n\(code.code)"
            return [
                Question(
                    id: id, source: .card(id: id), prompt: prompt,
                    body: .singleChoice(choices: networkModes.map { Choice(text: $0) }, correct: correct),
                    explanation: ["\"networkMode\": \"\(mode)\" sets it.", source(code.location)],
                    topics: [code.topicID], erratum: note(code.errata))
            ]
        }
        if language == "yaml", let kind = field("kind") {
            var kinds = kubernetesKinds
            if !kinds.contains(kind) { kinds[kinds.count - 1] = kind }
            let correct = kinds.firstIndex(of: kind)!
            let prompt = "What kind of Kubernetes object does this manifest create?\n\n\(code.code)"
            return [
                Question(
                    id: id, source: .card(id: id), prompt: prompt,
                    body: .singleChoice(choices: kinds.map { Choice(text: $0) }, correct: correct),
                    explanation: [
                        "`kind: \(kind)` names it; \(code.caption.map { "the document shows it as: \($0)" } ?? "see \(topic.title)").",
                        source(code.location),
                    ],
                    topics: [code.topicID], erratum: note(code.errata))
            ]
        }
        let answer = "\(code.caption ?? "A sample") for \(topic.title)"
        return [
            Question(
                id: id, source: .card(id: id), prompt: shown, body: .recall(answer: answer),
                explanation: [answer + ".", source(code.location)], topics: [code.topicID],
                erratum: note(code.errata))
        ]
    }

    /// Whether one of `errata` quotes `text`: then `text` is what the document gets wrong, and no
    /// card may key it as the answer (statement and table cards show the correction instead;
    /// flows and trees have no place for one, so the card is not made).
    static func quoted(_ text: String, by errata: [Erratum]) -> Bool {
        let normalized = normalizedForMatching(text)
        return errata.contains { erratum in
            erratum.quotes.contains { containsBytes(normalized, normalizedForMatching($0)) }
        }
    }

    static func flowCards(_ flow: Flow, topic: Topic) -> [Question] {
        guard flow.steps.count >= 3 else { return [] }
        // An order that includes a step the errata correct would teach the document's mistake.
        guard !flow.steps.contains(where: { quoted($0, by: flow.errata) }) else { return [] }
        let id = "card:\(flow.id)"
        var shown = StableHash.scramble(Array(flow.steps.indices), salt: id) { flow.steps[$0] }
        if shown == Array(flow.steps.indices) { shown = Array(shown.dropFirst()) + [shown[0]] }
        let order = flow.steps.indices.map { step in shown.firstIndex(of: step)! }
        let explanation = flow.steps.enumerated().map { "\($0.offset + 1). \($0.element)" } + [source(flow.location)]
        return [
            Question(
                id: id, source: .card(id: id), prompt: "\(topic.title) — put the steps of \"\(flow.caption)\" in order.",
                body: .ordering(items: shown.map { flow.steps[$0] }, order: order),
                explanation: explanation, topics: [flow.topicID], erratum: note(flow.errata))
        ]
    }

    static func treeCards(_ tree: DecisionTree) -> [Question] {
        let paths = tree.paths
        let outcomes = Array(Set(paths.map(\.outcome))).sorted()
        guard outcomes.count >= 2 else { return [] }
        // A path that ends in (or asks) what an erratum corrects would key the document's mistake.
        return paths.filter { path in
            !quoted(path.outcome, by: tree.errata) && !path.steps.contains { quoted($0.question, by: tree.errata) }
        }.map { path in
            let trail = path.steps.map { "\($0.question) \($0.answer)" }.joined(separator: "; ")
            let id = "card:\(tree.id)/\(slugify(trail))"
            let others = StableHash.scramble(outcomes.filter { $0 != path.outcome }, salt: id) { $0 }.prefix(3)
            let choices = StableHash.scramble([path.outcome] + others, salt: id + "/choices") { $0 }
            return Question(
                id: id, source: .card(id: id),
                prompt: "Following the decision tree — \(trail) — where do you end up?",
                body: .singleChoice(choices: choices.map { Choice(text: $0) }, correct: choices.firstIndex(of: path.outcome)!),
                explanation: path.steps.map { "\($0.question) → \($0.answer)" } + ["→ \(path.outcome)", source(tree.location)],
                topics: [tree.topicID], erratum: note(tree.errata))
        }
    }
}
