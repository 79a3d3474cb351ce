/// Text checks every question must pass, generated or hand-written: what `content check` runs
/// over a sample of each generator's questions (audit R13 and issue 14's bank lint).
public enum QuestionLint {
    /// Count units the generators write; "1 pods" or an option "0 instances" is a slip.
    static let units = [
        "instances", "tasks", "ENIs", "pods", "nodes", "addresses", "ports", "prefixes", "secondaries", "AZs", "endpoints",
    ]

    /// What is wrong with `question`'s text, one message each; empty when nothing is.
    public static func problems(in question: Question) -> [String] {
        var found: [String] = []
        let texts = [question.prompt] + question.explanation + question.body.optionLines
        for text in texts {
            for unit in units where containsCount(1, of: unit, in: text) {
                found.append("'1 \(unit)' should be singular: \"\(text.clipped(80))\"")
            }
        }
        let choices: [Choice]
        let correct: Set<Int>
        switch question.body {
        case let .singleChoice(list, index): (choices, correct) = (list, [index])
        case let .multipleChoice(list, indices): (choices, correct) = (list, Set(indices))
        default: (choices, correct) = ([], [])
        }
        var seen: Set<String> = []
        for (index, choice) in choices.enumerated() {
            if !seen.insert(choice.text).inserted { found.append("option '\(choice.text.clipped(60))' is repeated") }
            // A wrong option says why it is wrong, in words or by the misconception it stands for;
            // the right one is explained by the question's worked explanation.
            if !correct.contains(index), choice.explanation?.isEmpty ?? true, choice.misconception == nil {
                found.append("wrong option '\(choice.text.clipped(60))' has neither an explanation nor a misconception")
            }
            if choice.text.hasPrefix("0 "), units.contains(where: { choice.text.hasSuffix(" \($0)") }) {
                found.append("option '\(choice.text)' is a count of zero, no plausible answer to 'how many'")
            }
        }
        return found
    }

    /// Whether `text` holds the number `n` followed by `unit` as whole words.
    static func containsCount(_ n: Int, of unit: String, in text: String) -> Bool {
        let needle = "\(n) \(unit)"
        var search = text[...]
        while let range = search.range(of: needle) {
            let before = range.lowerBound == text.startIndex ? nil : text[text.index(before: range.lowerBound)]
            let after = range.upperBound == text.endIndex ? nil : text[range.upperBound]
            let startsWord = before.map { !$0.isNumber && !$0.isLetter && $0 != "." && $0 != "," } ?? true
            // "ENIs − 1 tasks" is arithmetic, not a count of one.
            let operand = text[..<range.lowerBound].hasSuffix("− ") || text[..<range.lowerBound].hasSuffix("+ ")
            let endsWord = after.map { !$0.isLetter } ?? true
            if startsWord && endsWord && !operand { return true }
            search = text[range.upperBound...]
        }
        return false
    }
}
