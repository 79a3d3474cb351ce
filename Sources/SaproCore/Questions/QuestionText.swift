/// Plain-text rendering of questions and their feedback, shared by the REPL's drill, quiz and
/// exam screens.
public enum QuestionText {
    /// The question as shown before answering: prompt, lettered options or numbered items, and
    /// how to answer.
    public static func prompt(_ question: Question, width: Int = 80) -> String {
        var lines = wrapKeepingCode(question.prompt, width: width)
        switch question.body {
        case .numeric(_, let unit):
            lines.append("")
            lines.append("(answer with a whole number\(unit.map { " of \($0)" } ?? ""))")
        case .singleChoice(let choices, _):
            lines.append("")
            lines += options(choices, width: width)
        case .multipleChoice(let choices, let correct):
            lines.append("")
            lines += options(choices, width: width)
            lines.append("(choose \(correct.count): letters separated by spaces or commas)")
        case .ordering(let items, _):
            lines.append("")
            for (i, item) in items.enumerated() {
                lines += hanging("  \(i + 1). ", item, width: width)
            }
            lines.append("(give the item numbers in the right order, e.g. \(Array(1...items.count).reversed().map(String.init).joined(separator: " ")))")
        case .recall:
            lines.append("")
            lines.append("(think of the answer, then press Enter to reveal it)")
        }
        return lines.joined(separator: "\n")
    }

    /// What follows grading: the verdict, the explanation of the chosen and the right options,
    /// the worked steps, and any erratum.
    public static func feedback(_ question: Question, grade: Grade, given: ParsedAnswer? = nil, width: Int = 80) -> String {
        var lines = TextWidth.wrap(grade.message, width: width)
        switch question.body {
        case .singleChoice(let choices, let correct):
            var shown = Set<Int>()
            if case .choice(let picked)? = given, picked != correct, picked < choices.count,
               let why = choices[picked].explanation {
                lines += hanging("  \(Question.letter(picked))) ", why, width: width)
                shown.insert(picked)
            }
            if let why = choices[correct].explanation, !shown.contains(correct) {
                lines += hanging("  \(Question.letter(correct))) ", why, width: width)
            }
        case .multipleChoice(let choices, _):
            for (i, choice) in choices.enumerated() {
                if let why = choice.explanation { lines += hanging("  \(Question.letter(i))) ", why, width: width) }
            }
        case .recall(let answer):
            if case .selfRated = grade {} else { lines += ["Answer:"] + answer.split(separator: "\n").flatMap { TextWidth.wrap(String($0), width: width - 2) }.map { "  " + $0 } }
        case .numeric, .ordering:
            break
        }
        var steps = question.explanation
        if case .recall(let answer) = question.body { steps.removeAll { $0 == answer } }
        if !steps.isEmpty {
            lines.append("Why:")
            for step in steps { lines += hanging("  - ", step, width: width) }
        }
        if let erratum = question.erratum {
            for part in erratum.split(separator: "\n") { lines += hanging("  ⚠ ", String(part), width: width) }
        }
        return lines.joined(separator: "\n")
    }

    /// The revealed answer of a recall card.
    public static func reveal(_ question: Question, width: Int = 80) -> String {
        guard case .recall(let answer) = question.body else { return "" }
        var lines = ["Answer:"] + answer.split(separator: "\n").flatMap { TextWidth.wrap(String($0), width: width - 2) }.map { "  " + $0 }
        if let erratum = question.erratum {
            for part in erratum.split(separator: "\n") { lines += hanging("  ⚠ ", String(part), width: width) }
        }
        return lines.joined(separator: "\n")
    }

    static func options(_ choices: [Choice], width: Int) -> [String] {
        choices.enumerated().flatMap { hanging("  \(Question.letter($0.offset))) ", $0.element.text, width: width) }
    }

    static func hanging(_ lead: String, _ text: String, width: Int) -> [String] {
        let indent = String(repeating: " ", count: TextWidth.of(lead))
        return TextWidth.wrap(text, width: max(20, width - TextWidth.of(lead))).enumerated().map { i, line in
            (i == 0 ? lead : indent) + line
        }
    }

    /// Wraps prose but keeps indented or code-like lines (manifests, task definitions) as they are.
    static func wrapKeepingCode(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var inFence = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let s = String(line)
            // Markdown fences mean nothing on a terminal: indent the code instead.
            if s.trimmingWhitespace().hasPrefix("```") {
                inFence.toggle()
                continue
            }
            if inFence {
                lines.append("    " + s)
            } else if s.hasPrefix(" ") || s.contains("{") || s.contains("}") || s.hasSuffix(":") || s.isEmpty {
                lines.append(s)
            } else {
                lines += TextWidth.wrap(s, width: width)
            }
        }
        return lines
    }
}

extension Question {
    /// The letter shown for option `index`: 0 → `a`.
    public static func letter(_ index: Int) -> String { QuestionBody.letter(index) }
}
