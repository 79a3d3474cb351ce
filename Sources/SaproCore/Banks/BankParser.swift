import Foundation

/// One file's name and text, as handed to the parsers. The parsers never read files themselves.
public struct QuizFile: Sendable, Hashable {
    /// The name used in problems and in `QuestionSource.bank(file:id:)`, e.g. `ecs-networking.md`.
    public var name: String
    /// The file's whole text.
    public var text: String

    /// A file called `name` holding `text`.
    public init(name: String, text: String) {
        self.name = name
        self.text = text
    }
}

/// What parsing one or more bank files produced: every well-formed question and every problem.
/// A question with a problem is left out of `questions`.
public struct BankParseResult: Sendable, Hashable {
    /// Questions in file order.
    public var questions: [Question]
    /// Problems in file order, then line order.
    public var problems: [BankProblem]

    /// A result holding `questions` and `problems`.
    public init(questions: [Question] = [], problems: [BankProblem] = []) {
        self.questions = questions
        self.problems = problems
    }

    /// The questions, or every problem as a `BankError`.
    public func get() throws(BankError) -> [Question] {
        if !problems.isEmpty { throw .problems(problems) }
        return questions
    }
}

/// Parses hand-written question banks (the format in `Quizzes/README.md`) into `Question`s.
///
/// A bank is Markdown-like text: one `## id` heading per question, a block of `name: value`
/// fields, a blank line, the prompt, the options (`- [x] right`, `- [ ] wrong`, each followed by
/// an indented `  > why` line; ordering steps as `- [n] text` with their correct position), and
/// an `explanation:` section.
public struct BankParser: Sendable {
    /// Content topic ids a question may name.
    public var knownTopics: Set<String>
    /// Whether every question must name its source page (`source: https://…`).
    public var strict: Bool

    /// A parser that accepts the topic ids in `knownTopics`.
    /// With `strict` (the default) a question without a `source:` link is a problem.
    public init(knownTopics: Set<String>, strict: Bool = true) {
        self.knownTopics = knownTopics
        self.strict = strict
    }

    /// Parses one bank file.
    public func parse(_ file: QuizFile) -> BankParseResult {
        var seen: [String: (file: String, line: Int)] = [:]
        return parse(file, seen: &seen)
    }

    /// Parses several bank files, also reporting an id defined in more than one of them.
    public func parse(_ files: [QuizFile]) -> BankParseResult {
        var seen: [String: (file: String, line: Int)] = [:]
        var result = BankParseResult()
        for file in files {
            let one = parse(file, seen: &seen)
            result.questions += one.questions
            result.problems += one.problems
        }
        return result
    }

    private func parse(_ file: QuizFile, seen: inout [String: (file: String, line: Int)]) -> BankParseResult {
        var result = BankParseResult()
        let blocks = Self.questionBlocks(in: file.text)
        if blocks.isEmpty {
            result.problems.append(BankProblem(file: file.name, line: nil, issue: .noQuestions))
            return result
        }
        for block in blocks {
            var parser = QuestionBlockParser(
                file: file.name, heading: block.heading, lines: block.lines,
                knownTopics: knownTopics, strict: strict)
            let question = parser.parse()
            var problems = parser.problems
            if let id = parser.id {
                if let first = seen[id] {
                    problems.insert(
                        BankProblem(
                            file: file.name, line: block.heading.number,
                            issue: .duplicateID(id, firstFile: first.file, firstLine: first.line)),
                        at: 0)
                } else {
                    seen[id] = (file.name, block.heading.number)
                }
            }
            // Stable by line, so a block's problems read top to bottom.
            problems = problems.enumerated()
                .sorted { ($0.element.line ?? 0, $0.offset) < ($1.element.line ?? 0, $1.offset) }
                .map(\.element)
            result.problems += problems
            if problems.isEmpty, let question { result.questions.append(question) }
        }
        return result
    }

    /// Splits a file into `## ` blocks, dropping the preamble and HTML comments.
    /// A `## ` inside a fenced code block is not a heading.
    static func questionBlocks(in text: String) -> [(heading: SourceLine, lines: [SourceLine])] {
        var blocks: [(heading: SourceLine, lines: [SourceLine])] = []
        var inFence = false
        var inComment = false
        for line in SourceLine.split(text) {
            let trimmed = line.text.trimmingWhitespace()
            if !inFence {
                if inComment {
                    if trimmed.contains("-->") { inComment = false }
                    continue
                }
                if trimmed.hasPrefix("<!--") {
                    if !trimmed.contains("-->") { inComment = true }
                    continue
                }
            }
            if trimmed.hasPrefix("```") { inFence.toggle() }
            if !inFence, line.text == "##" || line.text.hasPrefix("## ") {
                blocks.append((line, []))
            } else if !blocks.isEmpty {
                blocks[blocks.count - 1].lines.append(line)
            }
        }
        return blocks
    }
}

/// A line of a file with its 1-based number.
struct SourceLine: Sendable, Hashable {
    var number: Int
    var text: String

    var isBlank: Bool { text.allSatisfy(\.isWhitespace) }

    static func split(_ text: String) -> [SourceLine] {
        // "\r\n" is a single Character in Swift, so it must be named as a separator itself.
        text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .enumerated().map { offset, raw in SourceLine(number: offset + 1, text: String(raw)) }
    }
}

/// Parses the lines of one `## id` block; collects problems as it goes.
private struct QuestionBlockParser {
    let file: String
    let heading: SourceLine
    let lines: [SourceLine]
    let knownTopics: Set<String>
    let strict: Bool
    var problems: [BankProblem] = []
    var id: String?
    /// Set when an option line could not be read; count-based checks would only echo it.
    var sawMalformedOption = false

    static let fieldNames = ["topic", "topics", "source", "domain", "kind", "erratum", "answer", "unit"]
    /// The shortest stem a shipped choice question may have.
    static let minimumStemWords = 30
    static let kindNames: [String: QuestionKind] = [
        "single": .singleChoice, "single-choice": .singleChoice,
        "multiple": .multipleChoice, "multiple-choice": .multipleChoice,
        "ordering": .ordering, "numeric": .numeric, "recall": .recall,
    ]

    init(file: String, heading: SourceLine, lines: [SourceLine], knownTopics: Set<String>, strict: Bool) {
        self.file = file
        self.heading = heading
        self.lines = lines
        self.knownTopics = knownTopics
        self.strict = strict
    }

    struct Option {
        var line: Int
        var box: String
        var text: String
        var explanation: [String] = []
    }

    mutating func report(_ line: Int?, _ issue: BankIssue) {
        problems.append(BankProblem(file: file, line: line, issue: issue))
    }

    mutating func parse() -> Question? {
        let rawID = heading.text.dropFirst(2).trimmingWhitespace()
        if rawID.isEmpty {
            report(heading.number, .missingID)
        } else if !rawID.allSatisfy({ ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" })
            || rawID.hasPrefix("-")
        {
            report(heading.number, .invalidID(rawID))
        } else {
            id = rawID
        }

        var index = 0
        while index < lines.count, lines[index].isBlank { index += 1 }

        // Fields: the contiguous non-blank lines after the heading.
        var fields: [String: (line: Int, value: String)] = [:]
        var topics: [(line: Int, id: String)] = []
        var sources: [String] = []
        var sawSourceLine = false
        while index < lines.count, !lines[index].isBlank, !lines[index].text.hasPrefix("- [") {
            let line = lines[index]
            index += 1
            guard let colon = line.text.firstIndex(of: ":") else {
                report(line.number, .malformedField(line.text.trimmingWhitespace()))
                continue
            }
            let name = line.text[..<colon].trimmingWhitespace().lowercased()
            let value = line.text[line.text.index(after: colon)...].trimmingWhitespace()
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0 == "-" || $0 == "_" }) else {
                report(line.number, .malformedField(line.text.trimmingWhitespace()))
                continue
            }
            if name == "topic" || name == "topics" {
                for part in value.split(separator: ",") {
                    let topic = part.trimmingWhitespace()
                    if !topic.isEmpty { topics.append((line.number, topic)) }
                }
            } else if name == "source" {
                // Repeatable, like topic: one line per page.
                sawSourceLine = true
                for part in value.split(separator: " ") where !part.isEmpty {
                    let link = String(part)
                    if link.hasPrefix("https://"), link.count > "https://".count {
                        sources.append(link)
                    } else {
                        report(line.number, .badSourceLink(link))
                    }
                }
            } else if Self.fieldNames.contains(name) {
                if let first = fields[name] {
                    report(line.number, .duplicateField(name, firstLine: first.line))
                } else {
                    fields[name] = (line.number, value)
                }
            } else {
                report(line.number, .unknownField(name, suggestions: Fuzzy.closest(to: name, among: Self.fieldNames)))
            }
        }

        // Prompt: up to the first option or the explanation.
        var promptLines: [SourceLine] = []
        var inFence = false
        while index < lines.count {
            let line = lines[index]
            if !inFence, line.text.hasPrefix("- [") || Self.isExplanationStart(line) { break }
            if line.text.trimmingWhitespace().hasPrefix("```") { inFence.toggle() }
            promptLines.append(line)
            index += 1
        }
        let prompt = Reflow.paragraphs(promptLines).joined(separator: "\n\n")

        // Options and their explanations.
        var options: [Option] = []
        while index < lines.count, !Self.isExplanationStart(lines[index]) {
            let line = lines[index]
            index += 1
            if line.isBlank { continue }
            if line.text.hasPrefix("- [") {
                if let option = parseOption(line) { options.append(option) }
            } else if line.text.first == " " || line.text.first == "\t" {
                let trimmed = line.text.trimmingWhitespace()
                guard !options.isEmpty else {
                    report(line.number, .unexpectedLine(trimmed))
                    continue
                }
                if trimmed.hasPrefix(">") {
                    let text = trimmed.dropFirst().trimmingWhitespace()
                    options[options.count - 1].explanation.append(text)
                } else if options[options.count - 1].explanation.isEmpty {
                    options[options.count - 1].text += " " + trimmed
                } else {
                    options[options.count - 1].explanation.append(trimmed)
                }
            } else {
                report(line.number, .unexpectedLine(line.text))
            }
        }

        // Overall explanation.
        var explanation: [String] = []
        var explanationLine: Int?
        if index < lines.count {
            let start = lines[index]
            explanationLine = start.number
            let rest = start.text.drop(while: { $0 != ":" }).dropFirst().trimmingWhitespace()
            var body = [SourceLine(number: start.number, text: rest)]
            body += lines[(index + 1)...]
            explanation = Reflow.paragraphs(body)
        }

        // Checks common to every kind.
        var kind: QuestionKind?
        if let field = fields["kind"] {
            let name = field.value.lowercased()
            if let known = Self.kindNames[name] {
                kind = known
            } else {
                let names = ["single", "multiple", "ordering", "numeric", "recall"]
                report(field.line, .unknownKind(field.value, suggestions: Fuzzy.closest(to: name, among: names)))
            }
        } else {
            report(heading.number, .missingKind)
        }
        if topics.isEmpty { report(heading.number, .missingTopic) }
        if strict, !sawSourceLine { report(heading.number, .missingSourceLink) }
        var domain: ExamDomain?
        if let field = fields["domain"] {
            if let known = ExamDomain(rawValue: field.value.lowercased()) {
                domain = known
            } else {
                let names = ExamDomain.allCases.map(\.rawValue)
                report(
                    field.line,
                    .unknownDomain(field.value, suggestions: Fuzzy.closest(to: field.value.lowercased(), among: names)))
            }
        } else if strict {
            report(heading.number, .missingDomain)
        }
        for topic in topics where !knownTopics.contains(topic.id) {
            let suggestions = Fuzzy.closest(to: topic.id, among: knownTopics.sorted())
            report(topic.line, .unknownTopic(topic.id, suggestions: suggestions))
        }
        if prompt.isEmpty { report(heading.number, .emptyPrompt) }
        if explanation.isEmpty { report(explanationLine ?? heading.number, .missingExplanation) }

        guard let kind else { return nil }
        let body = makeBody(
            kind: kind, prompt: prompt, promptLine: promptLines.first { !$0.isBlank }?.number,
            options: options, fields: fields, explanation: &explanation)
        if strict, !sawMalformedOption {
            // The shipped banks' exam shape (SAP-C02): single answer of 4 options, choose N of 5 or
            // more, and a stem long enough to carry a scenario's constraints.
            if kind == .singleChoice, options.count != 4 {
                report(
                    options.first?.line ?? heading.number,
                    .notExamShaped("a single-answer question has \(options.count) options; the exam's have 4"))
            }
            if kind == .multipleChoice, options.count < 5 {
                report(
                    options.first?.line ?? heading.number,
                    .notExamShaped("a choose-N question has \(options.count) options; the exam's have 5 or more"))
            }
            let words = prompt.split(whereSeparator: { $0 == " " || $0 == "\n" }).count
            if kind == .singleChoice || kind == .multipleChoice, words < Self.minimumStemWords {
                report(
                    promptLines.first { !$0.isBlank }?.number ?? heading.number,
                    .notExamShaped(
                        "the stem has \(words) words; an exam item states its constraints in at least \(Self.minimumStemWords)"))
            }
        }
        guard let id, let body, problems.isEmpty else { return nil }
        if !sources.isEmpty {
            explanation.append((sources.count == 1 ? "Source: " : "Sources: ") + sources.joined(separator: " ; "))
        }
        var uniqueTopics: [String] = []
        for topic in topics.map(\.id) where !uniqueTopics.contains(topic) { uniqueTopics.append(topic) }
        return Question(
            id: id, source: .bank(file: file, id: id), prompt: prompt, body: body,
            explanation: explanation, topics: uniqueTopics,
            value: { if case let .numeric(answer, _) = body { answer } else { nil } }(),
            erratum: fields["erratum"].map(\.value).flatMap { $0.isEmpty ? nil : $0 }, domain: domain)
    }

    static func isExplanationStart(_ line: SourceLine) -> Bool {
        line.text.lowercased().hasPrefix("explanation:")
    }

    mutating func parseOption(_ line: SourceLine) -> Option? {
        let afterDash = line.text.dropFirst(2)
        guard let close = afterDash.firstIndex(of: "]") else {
            report(line.number, .malformedOption(line.text))
            sawMalformedOption = true
            return nil
        }
        let box = String(afterDash[afterDash.index(after: afterDash.startIndex)..<close])
        let text = afterDash[afterDash.index(after: close)...].trimmingWhitespace()
        let trimmedBox = box.trimmingWhitespace().lowercased()
        guard trimmedBox.isEmpty || trimmedBox == "x" || Int(trimmedBox) != nil else {
            report(line.number, .malformedOption(line.text))
            sawMalformedOption = true
            return nil
        }
        if text.isEmpty {
            report(line.number, .emptyOption)
            sawMalformedOption = true
            return nil
        }
        return Option(line: line.number, box: trimmedBox, text: text)
    }

    mutating func makeBody(
        kind: QuestionKind, prompt: String, promptLine: Int?, options: [Option],
        fields: [String: (line: Int, value: String)], explanation: inout [String]
    ) -> QuestionBody? {
        let firstOptionLine = options.first?.line ?? heading.number
        if kind != .numeric, let unit = fields["unit"] {
            report(unit.line, .fieldNotAllowed("unit", kind: kind))
        }
        switch kind {
        case .numeric, .recall:
            if !options.isEmpty { report(firstOptionLine, .optionsNotAllowed(kind: kind)) }
            guard let answer = fields["answer"], !answer.value.isEmpty else {
                report(heading.number, .missingAnswerField(kind: kind))
                return nil
            }
            if kind == .recall { return .recall(answer: answer.value) }
            guard let number = Int(answer.value) else {
                report(answer.line, .answerNotANumber(answer.value))
                return nil
            }
            let unit = fields["unit"].map(\.value).flatMap { $0.isEmpty ? nil : $0 }
            return .numeric(answer: number, unit: unit)

        case .singleChoice, .multipleChoice:
            if let answer = fields["answer"] { report(answer.line, .fieldNotAllowed("answer", kind: kind)) }
            var firstByText: [String: Int] = [:]
            for option in options {
                if !option.box.isEmpty, option.box != "x" {
                    report(option.line, .positionInChoiceQuestion("[\(option.box)]"))
                }
                if let first = firstByText[option.text.lowercased()] {
                    report(option.line, .duplicateOption(option.text, firstLine: first))
                } else {
                    firstByText[option.text.lowercased()] = option.line
                }
                if option.explanation.isEmpty { report(option.line, .missingOptionExplanation(option.text)) }
            }
            guard !sawMalformedOption else { return nil }
            guard options.count <= QuestionLimits.choices else {
                report(firstOptionLine, .tooManyOptions(found: options.count, allowed: QuestionLimits.choices))
                return nil
            }
            let needed = kind == .singleChoice ? 2 : 3
            guard options.count >= needed else {
                report(firstOptionLine, .tooFewOptions(kind: kind, found: options.count, needed: needed))
                return nil
            }
            let correct = options.indices.filter { options[$0].box == "x" }
            let choices = options.map { Choice(text: $0.text, explanation: $0.explanation.joined(separator: " ")) }
            if correct.isEmpty {
                report(firstOptionLine, .missingAnswer)
                return nil
            }
            if kind == .singleChoice {
                if correct.count > 1 { report(firstOptionLine, .singleChoiceHasSeveralAnswers(marked: correct.count)) }
                return .singleChoice(choices: choices, correct: correct[0])
            }
            if correct.count == options.count { report(firstOptionLine, .everyOptionCorrect) }
            guard let stated = Self.chooseCount(in: prompt) else {
                report(promptLine ?? heading.number, .missingChooseCount)
                return nil
            }
            if stated < 2 {
                report(promptLine ?? heading.number, .chooseCountTooSmall(stated))
            } else if stated != correct.count {
                report(firstOptionLine, .wrongNumberOfAnswers(stated: stated, marked: correct.count))
            }
            return .multipleChoice(choices: choices, correct: correct)

        case .ordering:
            if let answer = fields["answer"] { report(answer.line, .fieldNotAllowed("answer", kind: kind)) }
            var lineByPosition: [Int: Int] = [:]
            var valid = true
            for option in options {
                guard let position = Int(option.box) else {
                    report(option.line, .checkboxInOrdering)
                    valid = false
                    continue
                }
                if position < 1 || position > options.count {
                    report(option.line, .stepPositionOutOfRange(position, count: options.count))
                    valid = false
                } else if let first = lineByPosition[position] {
                    report(option.line, .duplicateStepPosition(position, firstLine: first))
                    valid = false
                } else {
                    lineByPosition[position] = option.line
                }
            }
            guard !sawMalformedOption else { return nil }
            guard options.count >= 3 else {
                report(firstOptionLine, .tooFewOptions(kind: kind, found: options.count, needed: 3))
                return nil
            }
            guard valid else { return nil }
            let order = options.indices.sorted { Int(options[$0].box)! < Int(options[$1].box)! }
            if order == Array(options.indices) { report(firstOptionLine, .stepsListedInOrder) }
            // Step reasons, in the correct order, come before the overall explanation.
            let reasons = order.enumerated().compactMap { rank, index -> String? in
                let option = options[index]
                guard !option.explanation.isEmpty else { return nil }
                return "\(rank + 1). \(option.text): \(option.explanation.joined(separator: " "))"
            }
            explanation = reasons + explanation
            return .ordering(items: options.map(\.text), order: order)
        }
    }

    /// The N in "Choose N" / "Select N" (digits or ONE...SIX), case-insensitive.
    static func chooseCount(in prompt: String) -> Int? {
        let words = ["one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6]
        let tokens = prompt.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber })
        for (offset, token) in tokens.enumerated() where token == "choose" || token == "select" {
            guard offset + 1 < tokens.count else { continue }
            let next = String(tokens[offset + 1])
            if let count = words[next] ?? Int(next) { return count }
        }
        return nil
    }
}

/// Turns source lines into paragraphs: lines of a paragraph join with a space, a list item
/// (`- `, `* `, `1. `) starts a new line, and a fenced code block is kept verbatim.
enum Reflow {
    static func paragraphs(_ lines: [SourceLine]) -> [String] {
        var paragraphs: [String] = []
        var current = ""
        var fence: [String]?
        func flush() {
            if !current.isEmpty { paragraphs.append(current) }
            current = ""
        }
        for line in lines {
            let trimmed = line.text.trimmingWhitespace()
            if var block = fence {
                block.append(line.text)
                if trimmed.hasPrefix("```") {
                    paragraphs.append(block.joined(separator: "\n"))
                    fence = nil
                } else {
                    fence = block
                }
                continue
            }
            if trimmed.hasPrefix("```") {
                flush()
                fence = [line.text]
            } else if trimmed.isEmpty {
                flush()
            } else if current.isEmpty {
                current = trimmed
            } else if isListItem(trimmed) {
                current += "\n" + trimmed
            } else {
                current += " " + trimmed
            }
        }
        if let block = fence { paragraphs.append(block.joined(separator: "\n")) }
        flush()
        return paragraphs
    }

    static func isListItem(_ text: String) -> Bool {
        if text.hasPrefix("- ") || text.hasPrefix("* ") { return true }
        let digits = text.prefix(while: \.isNumber)
        return !digits.isEmpty && text.dropFirst(digits.count).hasPrefix(". ")
    }
}
