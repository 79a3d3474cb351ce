import Foundation

/// Why a card the content could have given was not made.
public enum DroppedReason: String, Sendable, Hashable, Codable, CaseIterable {
    case emptyAnswer = "empty answer"
    case answerInPrompt = "answer already in the question"
    case bareLetter = "answer is a bare option letter"
    case tooLong = "answer too long to recall"
    case tooManySteps = "more than 10 steps"
    case codeNotAnswerable = "code with no question it answers"
    case noAnswer = "question without an answer in the note"
}

/// A card left out, where it would have come from, and why.
public struct DroppedCard: Sendable, Hashable, Codable {
    public var id: String
    public var prompt: String
    public var location: SourceLocation
    public var reason: DroppedReason
}

/// The cards a library gives and the ones it could have given but a teacher would not keep.
public struct CardYield: Sendable {
    public var cards: [Question]
    public var dropped: [DroppedCard]
}

/// Cards derived from the content library: labelled facts and definitions (recall), fit /
/// not-a-fit items (yes/no), table cells (numeric or recall), code samples that answer a question
/// (which network mode, which Kubernetes kind), flows (ordering), decision-tree paths (choice) and
/// the note's own questions. Ids derive from the element's id, never from its position, so editing
/// a document leaves unrelated cards' progress alone. Every text is plain (`PlainText.clean`) and
/// worded in the document's language; a card whose answer is empty, already in its question, a
/// bare option letter or too long to recall is dropped, with the reason kept for `content stats`.
public enum ContentCards {
    /// Longest answer a recall card keeps, in characters.
    public static let longestAnswer = 300
    /// Most steps an ordering card asks to put in order.
    public static let mostSteps = 10

    public static func make(from library: ContentLibrary) -> [Question] { build(from: library).cards }

    /// The cards of `library`, and those left out with why. Each document's cards are made on
    /// their own (on every core), then joined in library order, an id used twice kept once.
    public static func build(from library: ContentLibrary) -> CardYield {
        struct Document: Sendable {
            var topics: [Topic] = []
            var cards: [Question] = []
            var dropped: [DroppedCard] = []
        }
        var documents: [Document] = []
        var documentIndex: [String: Int] = [:]
        for topic in library.topics {
            if documentIndex[topic.location.file] == nil {
                documentIndex[topic.location.file] = documents.count
                documents.append(Document())
            }
            documents[documentIndex[topic.location.file]!].topics.append(topic)
        }
        let order = documents.indices.sorted { documents[$0].topics.count > documents[$1].topics.count }
        Parallel.forEach(inPlace: &documents, order: order) { document in
            var maker = Maker()
            maker.language = language(of: document.topics)
            var titleCounts: [String: Int] = [:]
            for topic in document.topics { titleCounts[bareTitle(topic.title), default: 0] += 1 }
            for topic in document.topics {
                maker.topicName = name(of: topic, repeated: titleCounts[bareTitle(topic.title)] ?? 0 > 1, library: library)
                maker.listCards(topic)
                for block in topic.blocks {
                    switch block {
                    case .fact(let fact): maker.factCard(fact)
                    case .table(let table): maker.tableCards(table)
                    case .code(let code): maker.codeCard(code)
                    case .flow(let flow): maker.flowCard(flow)
                    case .decisionTree(let tree): maker.treeCards(tree)
                    case .question(let question): maker.questionCard(question)
                    case .text, .caption: break
                    }
                }
            }
            document.cards = maker.cards
            document.dropped = maker.dropped
        }
        var yield = CardYield(cards: [], dropped: [])
        var used: Set<String> = []
        for document in documents {
            for card in document.cards where used.insert(card.id).inserted { yield.cards.append(card) }
            yield.dropped += document.dropped
        }
        return yield
    }

    /// The language a document's cards ask in, judged from its first 20,000 characters or so.
    static func language(of topics: [Topic]) -> CardLanguage {
        var sample = ""
        for topic in topics {
            sample += topic.title + " "
            for block in topic.blocks {
                if case .text(let text) = block { sample += text + " " }
                if case .fact(let fact) = block { sample += fact.text + " " }
                if case .table(let table) = block {
                    sample += (table.header + table.rows.flatMap { $0 }).joined(separator: " ")
                }
            }
            if sample.count > 20_000 { break }
        }
        return CardLanguage.detect(sample)
    }

    /// How a prompt names a topic: its title without the parenthesis (`awsvpc Mode
    /// (Recommended)` → `awsvpc Mode`) or leading emoji, and with its parent's name when the
    /// document uses the same title twice (`Amazon VPC CNI — Overview`).
    static func name(of topic: Topic, repeated: Bool, library: ContentLibrary) -> String {
        let own = bareTitle(topic.title)
        if repeated, let parent = topic.parentID.flatMap(library.topic) {
            return "\(bareTitle(parent.title)) — \(own)"
        }
        return own
    }

    static func bareTitle(_ title: String) -> String {
        func bare(_ title: String) -> String {
            var text = PlainText.clean(title)
            for (open, close) in [("(", ")"), ("（", "）")] where text.hasSuffix(close) {
                if let start = text.range(of: open, options: .backwards), start.lowerBound > text.startIndex {
                    text = String(text[..<start.lowerBound]).trimmingWhitespace()
                }
            }
            var trimmed = text.drop { !($0.isLetter || $0.isNumber) }
            // Numbering is not part of the name: `1. CloudWatch`, `2.3 Subnets`.
            let numbering = trimmed.prefix { $0.isNumber || $0 == "." }
            if !numbering.isEmpty, numbering.contains(where: \.isNumber), trimmed.dropFirst(numbering.count).first == " " {
                trimmed = trimmed.dropFirst(numbering.count).drop { $0 == " " || $0 == ")" }
            }
            return trimmed.isEmpty ? text : String(trimmed)
        }
        return bare(title)
    }

    static func note(_ errata: [Erratum]) -> String? {
        errata.isEmpty ? nil : errata.map { "\($0.correction) (erratum \($0.id))" }.joined(separator: "\n")
    }

    static func source(_ location: SourceLocation) -> String { "Source: \(location)." }

    /// Whether one of `errata` quotes `text`: then `text` is what the document gets wrong, and no
    /// card may key it as the answer (statement and table cards show the correction instead;
    /// flows and trees have no place for one, so the card is not made).
    static func quoted(_ text: String, by errata: [Erratum]) -> Bool {
        let normalized = normalizedForMatching(text)
        return errata.contains { erratum in
            erratum.quotes.contains { containsBytes(normalized, normalizedForMatching($0)) }
        }
    }

    /// Why a recall card with this prompt and answer is not worth keeping, if it is not.
    static func fault(prompt: String, answer: String) -> DroppedReason? {
        let answerWords = words(answer)
        if answerWords.isEmpty { return .emptyAnswer }
        if let (_, rest) = QuestionShapes.letters(answer, options: 8), rest.isEmpty { return .bareLetter }
        if answer.count > longestAnswer { return .tooLong }
        // Given away when every word of substance in the answer is already in the question
        // (short words and numbers like `a`, `of`, `3` do not count: `t3` must not give away `3`);
        // Chinese and Japanese characters count as a run of two or more found in the question.
        let promptWords = Set(words(prompt))
        let ideographic = answerWords.filter { $0.unicodeScalars.contains(where: SearchIndex.isIdeographic) }
        let latin = answerWords.filter { $0.count >= 3 && !ideographic.contains($0) }
        let run = ideographic.joined()
        if !(latin.isEmpty && run.isEmpty), latin.allSatisfy(promptWords.contains),
            run.isEmpty || (run.count >= 2 && words(prompt).joined().contains(run))
        {
            return .answerInPrompt
        }
        return nil
    }

    /// Lowercase words (runs of letters and digits) for comparing texts; Chinese and Japanese
    /// runs become their characters, as they have no spaces.
    static func words(_ text: String) -> [String] {
        var words: [String] = []
        var word = ""
        for character in text.lowercased() {
            if character.unicodeScalars.contains(where: SearchIndex.isIdeographic) {
                if !word.isEmpty { words.append(word); word = "" }
                words.append(String(character))
            } else if character.isLetter || character.isNumber {
                word.append(character)
            } else if !word.isEmpty {
                words.append(word)
                word = ""
            }
        }
        if !word.isEmpty { words.append(word) }
        return words
    }

    struct Maker {
        var cards: [Question] = []
        var dropped: [DroppedCard] = []
        var language = CardLanguage.english
        var topicName = ""
        /// The parent topic's name: what a `When to Use` section's items are a fit for.
        var parentName: String?
        var usedIDs: Set<String> = []

        mutating func keep(_ question: Question) {
            guard !usedIDs.contains(question.id) else { return }
            usedIDs.insert(question.id)
            cards.append(question)
        }

        mutating func drop(_ id: String, _ prompt: String, _ location: SourceLocation, _ reason: DroppedReason) {
            dropped.append(DroppedCard(id: id, prompt: prompt, location: location, reason: reason))
        }

        mutating func factCard(_ fact: Fact) {
            let id = "card:\(fact.id)"
            let text = PlainText.clean(fact.text)
            switch fact.kind {
            case .definition, .labelled:
                // A mark before the label (`💡 Use Case`) is decoration.
                guard let label = fact.label.map({ String(PlainText.clean($0).drop { !($0.isLetter || $0.isNumber) }) }),
                    !label.isEmpty
                else { return }
                let prompt = language.labelled(topic: topicName, label: label)
                // A statement an erratum corrects must not be memorised as written: the answer to
                // recall is the correction, with the document's wording beside it.
                let answer =
                    fact.errata.isEmpty
                    ? text
                    : fact.errata.map(\.correction).joined(separator: "\n") + "\n(The document says: \(text))"
                // The document's own text is what must be worth recalling; a correction beside it may be long.
                if let fault = ContentCards.fault(prompt: prompt, answer: text) {
                    return drop(id, prompt, fact.location, fault)
                }
                keep(
                    Question(
                        id: id, source: .card(id: id), prompt: prompt, body: .recall(answer: answer),
                        explanation: [text, source(fact.location)], topics: [fact.topicID],
                        erratum: note(fact.errata)))
            case .fit, .notFit:
                // ✅ / ❌ marks elsewhere (a checklist, pros and cons) do not say when the topic fits.
                guard CardLanguage.isFitCaption(fact.group ?? topicName) else { return }
                guard !text.isEmpty else { return drop(id, text, fact.location, .emptyAnswer) }
                let fits = fact.kind == .fit
                // Under a heading `When to Use` (not a caption), the items say when its parent fits.
                let subject = fact.group == nil && CardLanguage.isFitCaption(topicName) ? parentName ?? topicName : topicName
                let prompt = language.fits(topic: subject, text: text)
                let why =
                    fits
                    ? "The document lists \"\(text)\" under \(fact.group.map(PlainText.clean) ?? "when to use it")."
                    : "The document lists \"\(text)\" as not a fit (\(fact.group.map(PlainText.clean) ?? "when to use it"))."
                keep(
                    Question(
                        id: id, source: .card(id: id), prompt: prompt,
                        body: .singleChoice(choices: language.fitChoices.map { Choice(text: $0) }, correct: fits ? 0 : 1),
                        explanation: [why, source(fact.location)], topics: [fact.topicID],
                        erratum: note(fact.errata)))
            case .statement:
                return
            }
        }

        /// Plain bullets under one caption (`Benefits`, `ECS`) become one card: recall the list.
        mutating func listCards(_ topic: Topic) {
            var groups: [(group: String, facts: [Fact])] = []
            for case .fact(let fact) in topic.blocks where fact.kind == .statement {
                guard let group = fact.group else { continue }
                if let i = groups.firstIndex(where: { $0.group == group }) {
                    groups[i].facts.append(fact)
                } else {
                    groups.append((group, [fact]))
                }
            }
            for group in groups where group.facts.count >= 2 {
                let id = "card:\(topic.id)#list-\(slugify(group.group))"
                let items = group.facts.map { PlainText.clean($0.text) }.filter { !$0.isEmpty }
                let prompt = language.list(topic: topicName, group: PlainText.clean(group.group), count: items.count)
                let answer = items.map { "• " + $0 }.joined(separator: "\n")
                if items.count > ContentCards.mostSteps || answer.count > ContentCards.longestAnswer * 2 {
                    drop(id, prompt, group.facts[0].location, .tooLong)
                    continue
                }
                guard items.count >= 2 else { continue }
                keep(
                    Question(
                        id: id, source: .card(id: id), prompt: prompt, body: .recall(answer: answer),
                        explanation: items + [source(group.facts[0].location)],
                        topics: [topic.id], erratum: note(group.facts.flatMap(\.errata))))
            }
        }

        mutating func tableCards(_ table: ContentTable) {
            guard table.header.count >= 2 else { return }
            let caption = ContentCards.bareCaption(table.caption)
            var rowKeys: Set<String> = []
            for row in table.rows {
                guard let rawKey = row.first else { continue }
                let key = PlainText.clean(rawKey)
                guard !key.isEmpty else { continue }
                // Labels in any script have slugs; symbols only (`✅`) get a hash, and a repeated
                // label a number, so every cell has its own id.
                var keySlug = slugify(key).isEmpty ? ContentCards.hashSlug(key) : slugify(key)
                if rowKeys.contains(keySlug) {
                    var n = 2
                    while rowKeys.contains("\(keySlug)-\(n)") { n += 1 }
                    keySlug = "\(keySlug)-\(n)"
                }
                rowKeys.insert(keySlug)
                // A cell an erratum quotes (by row or by column) is wrong in the document: no card teaches it.
                let rowText = normalizedForMatching(row.joined(separator: " | "))
                for column in 1..<min(row.count, table.header.count) {
                    let heading = PlainText.clean(table.header[column])
                    let cell = PlainText.clean(row[column])
                    guard !cell.isEmpty, cell.uppercased() != "N/A", !["-", "—", "–"].contains(cell) else { continue }
                    let quoted = table.errata.contains { erratum in
                        erratum.quotes.map(normalizedForMatching).contains {
                            rowText.contains($0) || normalizedForMatching(heading).contains($0)
                                || normalizedForMatching(key).contains($0)
                        }
                    }
                    if quoted { continue }
                    let headingSlug = slugify(heading).isEmpty ? ContentCards.hashSlug(heading + "\(column)") : slugify(heading)
                    let id = "card:\(table.id)/\(keySlug)/\(headingSlug)"
                    let prompt = language.cell(table: caption, row: key, column: heading.isEmpty ? "\(column + 1)" : heading)
                    let answer = ContentCards.yesNo(cell, language: language) ?? cell
                    // The caption may name the answers to choose from (`CloudWatch vs CloudTrail`);
                    // only the row and column must not give it away.
                    if let fault = ContentCards.fault(prompt: "\(key) \(heading)", answer: answer) {
                        drop(id, prompt, table.location, fault)
                        continue
                    }
                    let explanation = ["\(caption), row \(key), column \(heading): \(cell).", source(table.location)]
                    let body: QuestionBody = Int(cell).map { .numeric(answer: $0, unit: nil) } ?? .recall(answer: answer)
                    keep(
                        Question(
                            id: id, source: .card(id: id), prompt: prompt, body: body,
                            explanation: explanation, topics: [table.topicID],
                            value: Int(cell), erratum: note(table.errata)))
                }
            }
        }

        static let networkModes = ["awsvpc", "bridge", "host", "none"]
        static let kubernetesKinds = ["Deployment", "Service", "Ingress", "NetworkPolicy", "ENIConfig", "ConfigMap"]

        /// Code makes a card only when a question can be answered from the code itself: which
        /// network mode a task definition sets, which kind of object a manifest creates.
        mutating func codeCard(_ code: CodeSample) {
            let id = "card:\(code.id)"
            let fenced = "```\(code.language ?? "")\n\(code.code.hasSuffix("\n") ? String(code.code.dropLast()) : code.code)\n```"
            func field(_ name: String) -> String? {
                // JSON may hold the field anywhere on a line (`{"family": "web", "networkMode": "bridge"}`).
                if code.language == "json", let key = code.code.range(of: "\"\(name)\"") {
                    let rest = code.code[key.upperBound...].drop { $0 == " " || $0 == ":" }
                    if rest.first == "\"" {
                        return String(rest.dropFirst().prefix { $0 != "\"" })
                    }
                }
                for line in code.code.split(separator: "\n") {
                    let trimmed = line.trimmingWhitespace()
                    for prefix in ["\"\(name)\":", "\(name):"] where trimmed.hasPrefix(prefix) {
                        return trimmed.dropFirst(prefix.count)
                            .trimmingCharacters(in: CharacterSet(charactersIn: " \",'"))
                    }
                }
                return nil
            }
            if code.language == "json", let mode = field("networkMode"), let correct = Self.networkModes.firstIndex(of: mode) {
                keep(
                    Question(
                        id: id, source: .card(id: id), prompt: "\(language.networkModeQuestion)\n\n\(fenced)",
                        body: .singleChoice(choices: Self.networkModes.map { Choice(text: $0) }, correct: correct),
                        explanation: ["\"networkMode\": \"\(mode)\" sets it.", source(code.location)],
                        topics: [code.topicID], erratum: note(code.errata)))
                return
            }
            if code.language == "yaml" || code.language == "yml", let kind = field("kind"), !kind.isEmpty,
                code.code.split(separator: "\n").filter({ $0.hasPrefix("kind:") }).count <= 1
            {
                var kinds = Self.kubernetesKinds
                if !kinds.contains(kind) { kinds[kinds.count - 1] = kind }
                let correct = kinds.firstIndex(of: kind)!
                keep(
                    Question(
                        id: id, source: .card(id: id), prompt: "\(language.manifestKindQuestion)\n\n\(fenced)",
                        body: .singleChoice(choices: kinds.map { Choice(text: $0) }, correct: correct),
                        explanation: [
                            "`kind: \(kind)` names it; \(code.caption.map { "the document shows it as: \(PlainText.clean($0))" } ?? "see \(topicName)").",
                            source(code.location),
                        ],
                        topics: [code.topicID], erratum: note(code.errata)))
                return
            }
            // A diagram (no language) is there to read; only code that could have asked something counts as left out.
            if code.language != nil {
                drop(id, code.caption.map(PlainText.clean) ?? topicName, code.location, .codeNotAnswerable)
            }
        }

        mutating func flowCard(_ flow: Flow) {
            let steps = flow.steps.map(PlainText.clean)
            guard steps.count >= 3, Set(steps).count == steps.count else { return }
            // An order that includes a step the errata correct would teach the document's mistake.
            guard !flow.steps.contains(where: { quoted($0, by: flow.errata) }) else { return }
            let id = "card:\(flow.id)"
            let prompt = language.order(topic: topicName, caption: ContentCards.bareCaption(flow.caption))
            if steps.count > ContentCards.mostSteps { return drop(id, prompt, flow.location, .tooManySteps) }
            if steps.contains(where: { $0.count > ContentCards.longestAnswer }) {
                return drop(id, prompt, flow.location, .tooLong)
            }
            var shown = StableHash.scramble(Array(steps.indices), salt: id) { steps[$0] }
            if shown == Array(steps.indices) { shown = Array(shown.dropFirst()) + [shown[0]] }
            let order = steps.indices.map { step in shown.firstIndex(of: step)! }
            let explanation = steps.enumerated().map { "\($0.offset + 1). \($0.element)" } + [source(flow.location)]
            keep(
                Question(
                    id: id, source: .card(id: id), prompt: prompt,
                    body: .ordering(items: shown.map { steps[$0] }, order: order),
                    explanation: explanation, topics: [flow.topicID], erratum: note(flow.errata)))
        }

        mutating func treeCards(_ tree: DecisionTree) {
            let paths = tree.paths.map { path in
                (
                    steps: path.steps.map { (question: PlainText.clean($0.question), answer: PlainText.clean($0.answer)) },
                    outcome: PlainText.clean(path.outcome), raw: path
                )
            }
            let outcomes = Array(Set(paths.map(\.outcome))).sorted()
            guard outcomes.count >= 2 else { return }
            // A path that ends in (or asks) what an erratum corrects would key the document's mistake.
            for path in paths
            where !quoted(path.raw.outcome, by: tree.errata)
                && !path.raw.steps.contains(where: { quoted($0.question, by: tree.errata) })
            {
                let trail = path.steps.map { "\($0.question) \($0.answer)" }.joined(separator: "; ")
                let id =
                    "card:\(tree.id)/\(slugify(path.raw.steps.map { "\($0.question) \($0.answer)" }.joined(separator: "; ")))"
                let others = StableHash.scramble(outcomes.filter { $0 != path.outcome }, salt: id) { $0 }.prefix(3)
                let choices = StableHash.scramble([path.outcome] + others, salt: id + "/choices") { $0 }
                keep(
                    Question(
                        id: id, source: .card(id: id), prompt: language.tree(topic: topicName, trail: trail),
                        body: .singleChoice(
                            choices: choices.map { Choice(text: $0) }, correct: choices.firstIndex(of: path.outcome)!),
                        explanation: path.steps.map { "\($0.question) → \($0.answer)" } + [
                            "→ \(path.outcome)", source(tree.location),
                        ],
                        topics: [tree.topicID], erratum: note(tree.errata)))
            }
        }

        /// The note's own question, with the answer it gives: options and marked letters become a
        /// single- or multiple-choice question, words a recall card. Never a card that teaches an
        /// option as if it were the answer.
        mutating func questionCard(_ question: NoteQuestion) {
            let id = "card:\(question.id)"
            let prompt = PlainText.clean(question.prompt)
            guard question.isAnswered else { return drop(id, prompt, question.location, .noAnswer) }
            let explanation =
                [question.explanation.map(PlainText.clean)].compactMap { $0 }.filter { !$0.isEmpty }
                + [source(question.location)]
            if !question.options.isEmpty {
                let choices = question.options.map { Choice(text: PlainText.clean($0)) }
                let body: QuestionBody =
                    question.correct.count == 1
                    ? .singleChoice(choices: choices, correct: question.correct[0])
                    : .multipleChoice(choices: choices, correct: question.correct)
                let shown = question.correct.count == 1 ? prompt : "\(prompt) \(language.choose(question.correct.count))"
                keep(
                    Question(
                        id: id, source: .card(id: id), prompt: shown, body: body, explanation: explanation,
                        topics: [question.topicID], erratum: note(question.errata)))
                return
            }
            let answer = PlainText.clean(question.answer ?? "")
            if let fault = ContentCards.fault(prompt: prompt, answer: answer) {
                return drop(id, prompt, question.location, fault)
            }
            keep(
                Question(
                    id: id, source: .card(id: id), prompt: prompt, body: .recall(answer: answer),
                    explanation: explanation, topics: [question.topicID], erratum: note(question.errata)))
        }
    }

    /// A caption as a prompt shows it: clean, without a trailing colon.
    static func bareCaption(_ caption: String) -> String {
        var text = bareTitle(caption)
        while let last = text.last, last == ":" || last == "：" { text.removeLast() }
        return text
    }

    /// `✅` / `❌` cells read as yes and no.
    static func yesNo(_ cell: String, language: CardLanguage) -> String? {
        let choices = language.fitChoices
        switch cell {
        case "✅", "✔", "✓", "✔️": return choices[0]
        case "❌", "✗", "✘": return choices[1]
        default: return nil
        }
    }

    /// A short stable id part for a label with no letters or digits.
    static func hashSlug(_ text: String) -> String {
        "x" + String(StableHash.fnv1a(text) & 0xFFFF_FFFF, radix: 16)
    }
}
