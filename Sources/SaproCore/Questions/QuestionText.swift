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
            lines.append(
                "(give the item numbers in the right order, e.g. \(Array(1...items.count).reversed().map(String.init).joined(separator: " ")))"
            )
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
                let why = choices[picked].explanation
            {
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
            if case .selfRated = grade {
            } else {
                lines +=
                    ["Answer:"]
                    + answer.split(separator: "\n").flatMap { TextWidth.wrap(String($0), width: width - 2) }.map { "  " + $0 }
            }
        case .ordering(let items, let order):
            // Numbered as in the question, so the right order reads against what was shown.
            let given: [Int]? = { if case .order(let o)? = given { return o } else { return nil } }()
            if grade.isCorrect != true {
                lines.append("The right order, numbered as in the question:")
                for (k, item) in order.enumerated() where item < items.count {
                    var mark = "  "
                    var note = ""
                    if let given, k < given.count, given[k] != item {
                        mark = "✗ "
                        if let at = given.firstIndex(of: item) { note = " (you put it " + ordinal(at + 1) + ")" }
                    }
                    lines += hanging("\(mark)\(k + 1). [\(item + 1)] ", items[item] + note, width: width)
                }
                if given != nil { lines.append("✗ marks the items out of place; [n] is the item's number in the question.") }
            }
        case .numeric:
            break
        }
        var steps = question.explanation
        if case .recall(let answer) = question.body { steps.removeAll { $0 == answer } }
        if case .ordering(let items, _) = question.body {
            // The steps restated in order: shown above, with the question's numbers.
            let restated = Set(items.indices.flatMap { i in (1...items.count).map { "\($0). \(items[i])" } })
            steps.removeAll { restated.contains($0) }
        }
        // Each correction once: the erratum is shown below with its mark.
        if let erratum = question.erratum {
            let parts = Set(erratum.split(separator: "\n").map { String($0).trimmingWhitespace() })
            steps.removeAll { parts.contains($0.trimmingWhitespace()) }
        }
        if !steps.isEmpty {
            lines.append("Why:")
            for step in steps { lines += hanging("  - ", step, width: width) }
        }
        if let erratum = question.erratum {
            for part in erratum.split(separator: "\n") { lines += hanging("  ⚠ ", String(part), width: width) }
        }
        return lines.joined(separator: "\n")
    }

    static func ordinal(_ n: Int) -> String {
        let suffix: String
        switch (n % 10, n % 100) {
        case (1, let h) where h != 11: suffix = "st"
        case (2, let h) where h != 12: suffix = "nd"
        case (3, let h) where h != 13: suffix = "rd"
        default: suffix = "th"
        }
        return "\(n)\(suffix)"
    }

    /// The revealed answer of a recall card.
    public static func reveal(_ question: Question, width: Int = 80) -> String {
        guard case .recall(let answer) = question.body else { return "" }
        var lines =
            ["Answer:"] + answer.split(separator: "\n").flatMap { TextWidth.wrap(String($0), width: width - 2) }.map { "  " + $0 }
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
