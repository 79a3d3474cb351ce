import Foundation

/// A question while it is being read, before it becomes a `NoteQuestion` block.
struct PendingQuestion {
    var prompt: String
    var line: Int
    var options: [String] = []
    /// Options the note marks as right (bold, ✅, `(correct)`).
    var marked: [Int] = []
    var correct: [Int] = []
    var answer: String?
    var explanation: String?
    /// Opened by a `Q:` marker (a question even without options).
    var explicit: Bool

    var awaitsOptions: Bool { answer == nil && correct.isEmpty }

    /// Takes an answer line's text: letters naming options, an option's own text, or words.
    mutating func take(answer text: String) {
        if !options.isEmpty {
            if let (indices, rest) = QuestionShapes.letters(text, options: options.count) {
                correct = indices
                if !rest.isEmpty { explanation = [explanation, rest].compactMap { $0 }.joined(separator: " ") }
                return
            }
            if let index = options.firstIndex(where: { normalizedForMatching($0) == normalizedForMatching(text) }) {
                correct = [index]
                return
            }
        }
        answer = [answer, text].compactMap { $0 }.joined(separator: " ")
    }
}

extension DocumentParser.Builder {
    /// Reads a paragraph as question material when it opens a question (`Q:`, or a stem followed by
    /// lettered options) or continues the one being read (options, `Answer:`, `Explanation:`).
    /// Returns false, consuming nothing, for any other paragraph.
    mutating func questionParagraph(_ node: MarkdownNode) -> Bool {
        let lines = node.textLines.map { (text: PlainText.clean($0.text), raw: $0.text, bold: $0.bold) }.filter {
            !$0.text.isEmpty
        }
        guard let first = lines.first else { return false }
        var i = 0
        if let asked = QuestionShapes.question(first.text) {
            flushQuestion()
            pending = PendingQuestion(prompt: asked, line: node.startLine, explicit: true)
            i = 1
            while i < lines.count, !isQuestionMaterial(lines[i].text) {
                pending!.prompt += " " + lines[i].text
                i += 1
            }
        } else if pending == nil {
            // A stem and its options in one paragraph: `Which…?` then `A. …`, `B. …`.
            guard let firstOption = lines.firstIndex(where: { QuestionShapes.option($0.text)?.index == 0 }), firstOption > 0,
                lines.count > firstOption + 1, QuestionShapes.option(lines[firstOption + 1].text)?.index == 1
            else { return false }
            pending = PendingQuestion(
                prompt: lines[..<firstOption].map(\.text).joined(separator: " "), line: node.startLine, explicit: false)
            i = firstOption
        } else if !isQuestionMaterial(first.text) {
            return false
        }
        while i < lines.count {
            let line = lines[i]
            // `A: …` with no `B` after it answers; with one, it is the first option.
            let lone =
                QuestionShapes.answer(line.text) != nil
                && (i + 1 >= lines.count || QuestionShapes.option(lines[i + 1].text)?.index != 1)
            if !lone, pending!.awaitsOptions, let (index, text) = QuestionShapes.option(line.text),
                index == pending!.options.count
            {
                pending!.options.append(QuestionShapes.unmarked(text))
                if line.bold || QuestionShapes.marksCorrect(line.raw) { pending!.marked.append(index) }
            } else if let text = QuestionShapes.answer(line.text) {
                pending!.take(answer: text)
            } else if let text = QuestionShapes.explanation(line.text) {
                pending!.explanation = text
            } else if pending!.explanation != nil {
                pending!.explanation! += " " + line.text
            } else if pending!.answer != nil {
                pending!.answer! += " " + line.text
            } else if i == 0 {
                return false
            } else {
                pending!.prompt += " " + line.text
            }
            i += 1
        }
        return true
    }

    func isQuestionMaterial(_ text: String) -> Bool {
        QuestionShapes.answer(text) != nil || QuestionShapes.explanation(text) != nil
            || (pending?.awaitsOptions ?? false && QuestionShapes.option(text)?.index == pending?.options.count)
            || (pending == nil && QuestionShapes.option(text)?.index == 0)
    }

    /// Reads a list as question material: the options of the question being read (or of the stem
    /// just before), its answer lines, or items that are questions themselves. A numbered list of
    /// questions is a quiz whose answers a later key gives; a numbered list answering one is that key.
    mutating func questionList(_ node: MarkdownNode) -> Bool {
        let items = node.children.filter { $0.type == "item" }
        let firsts = items.map { $0.children.first { $0.type == "paragraph" } }
        let lines = firsts.map { $0.map { (PlainText.clean($0.plainText), $0.textLines.first?.bold ?? false) } }
        let options = lines.enumerated().map { offset, line in
            line.flatMap { QuestionShapes.option($0.0) }.flatMap { $0.index == offset ? $0.text : nil }
        }
        let allOptions = items.count >= 2 && options.allSatisfy { $0 != nil }
        if allOptions {
            if pending == nil, let asked = lastAsked, asked.topic < topics.count, asked.block < topics[asked.topic].blocks.count {
                // The paragraph just read was this question's stem.
                topics[asked.topic].blocks.remove(at: asked.block)
                pending = PendingQuestion(prompt: asked.text, line: asked.line, explicit: false)
                lastAsked = nil
            }
            if var question = pending, question.awaitsOptions, question.options.isEmpty {
                for (offset, item) in items.enumerated() {
                    question.options.append(QuestionShapes.unmarked(options[offset]!))
                    let raw = firsts[offset]?.plainText ?? ""
                    if lines[offset]?.1 == true || QuestionShapes.marksCorrect(raw) { question.marked.append(offset) }
                    // Answer lines nested in the options list (`- D. …` then `  Answer: B`).
                    for child in item.children.dropFirst() where child.type == "paragraph" {
                        for line in child.textLines.map({ PlainText.clean($0.text) }) {
                            if let text = QuestionShapes.answer(line) { question.take(answer: text) }
                        }
                    }
                }
                pending = question
                return true
            }
        }
        if pending != nil,
            lines.allSatisfy({ line in
                line.map { QuestionShapes.answer($0.0) != nil || QuestionShapes.explanation($0.0) != nil } ?? false
            })
        {
            for item in items { for child in item.children where child.type == "paragraph" { _ = questionParagraph(child) } }
            return true
        }
        // Items that are questions with their options or answers (`1. Which…?` / `- A. …` / `Answer: B`).
        let questionItems = items.indices.filter { index in
            let item = items[index]
            // The item's first paragraph, cleaned above, when it is the item's first child.
            guard let first = item.children.first, first.type == "paragraph", let text = lines[index]?.0 else { return false }
            let nestedOptions = item.children.contains { child in
                child.type == "list"
                    && child.children.first.flatMap { $0.children.first }.map {
                        QuestionShapes.option(PlainText.clean($0.plainText))?.index == 0
                    } ?? false
            }
            let textLines = first.textLines.map { PlainText.clean($0.text) }
            let hasAnswer = textLines.contains { QuestionShapes.answer($0) != nil }
            return QuestionShapes.question(text) != nil && (hasAnswer || item.children.count > 1)
                || nestedOptions
                || (textLines.count > 2 && textLines.dropFirst().contains { QuestionShapes.option($0)?.index == 0 })
        }
        if !questionItems.isEmpty && questionItems.count * 2 >= items.count {
            flushQuestion()
            for item in items {
                for child in item.children { block(child) }
                flushQuestion()
            }
            return true
        }
        // A numbered quiz: every item asks, none answers.
        if node.isOrdered, items.count >= 2, let index = currentTopic,
            firsts.allSatisfy({ $0.map { QuestionShapes.asks($0.plainText) } ?? false }),
            items.allSatisfy({ $0.children.count == 1 })
        {
            flushQuestion()
            if let caption = takeCaption() { append(.caption(caption), line: node.startLine) }
            var group: [(topic: Int, block: Int, number: Int)] = []
            for (offset, first) in firsts.enumerated() {
                let prompt = QuestionShapes.withoutBlank(PlainText.clean(first!.plainText))
                let id = uniqueID("\(topics[index].id)#q-\(idSegment(prompt, limit: 40))")
                append(
                    .question(
                        NoteQuestion(id: id, topicID: topics[index].id, prompt: prompt, location: location(first!.startLine))),
                    line: first!.startLine)
                group.append((index, topics[index].blocks.count - 1, node.listStart + offset))
            }
            quizGroups.append(group)
            return true
        }
        // The key to a quiz read before: `1) …`, `2) …` answering its items by number.
        if node.isOrdered, !quizGroups.isEmpty, !firsts.contains(where: { $0.map { QuestionShapes.asks($0.plainText) } ?? true })
        {
            let key = firsts.enumerated().map { (node.listStart + $0.offset, PlainText.clean($0.element?.plainText ?? "")) }
            if fill(key: key) { keyList = true }
        }
        return false
    }

    /// Answers the latest quiz whose numbers the key covers; true when it did.
    @discardableResult
    mutating func fill(key: [(number: Int, text: String)]) -> Bool {
        guard key.count >= 2 else { return false }
        for g in quizGroups.indices.reversed() {
            let numbers = Set(quizGroups[g].map(\.number))
            guard key.allSatisfy({ numbers.contains($0.number) }) else { continue }
            for (number, text) in key {
                guard let item = quizGroups[g].first(where: { $0.number == number }),
                    item.block < topics[item.topic].blocks.count,
                    case .question(var question) = topics[item.topic].blocks[item.block]
                else { continue }
                question.answer = text
                topics[item.topic].blocks[item.block] = .question(question)
            }
            quizGroups.remove(at: g)
            return true
        }
        return false
    }

    /// A paragraph of `1) …` lines (after an optional caption line) answering a quiz read before.
    mutating func fillAnswerKey(lines: [String]) {
        guard !quizGroups.isEmpty else { return }
        let keyed = lines.compactMap(QuestionShapes.keyLine)
        guard keyed.count >= 2, keyed.count >= lines.count - 1 else { return }
        fill(key: keyed)
    }

    /// `<details><summary>…</summary>…</details>`: the answer to the question being read, or a
    /// question (the summary) with its answer (the body).
    mutating func htmlBlock(_ node: MarkdownNode) {
        let html = node.literal ?? ""
        guard html.lowercased().contains("<details") else {
            flushQuestion()
            return
        }
        var summary = ""
        if let open = html.range(of: "<summary>", options: .caseInsensitive),
            let close = html.range(of: "</summary>", options: .caseInsensitive, range: open.upperBound..<html.endIndex)
        {
            summary = PlainText.clean(String(html[open.upperBound..<close.lowerBound]))
        }
        var body = html
        if let close = html.range(of: "</summary>", options: .caseInsensitive) { body = String(html[close.upperBound...]) }
        let bodyLines = body.split(separator: "\n").map { PlainText.clean(String($0)) }.filter { !$0.isEmpty }
        details = (summary, bodyLines, node.startLine)
        if html.lowercased().contains("</details>") { closeDetails() }
    }

    mutating func collectDetails(_ node: MarkdownNode) {
        // A `</details>` inside a list item closes the block; what follows it is read as usual.
        guard details != nil else { return block(node) }
        // A heading ends an unclosed block: the rest of the document is not its answer.
        if node.type == "heading" {
            closeDetails()
            return block(node)
        }
        if node.type == "html_block", (node.literal ?? "").lowercased().contains("</details>") {
            let before = (node.literal ?? "").components(separatedBy: "</details>").first ?? ""
            details!.body += before.split(separator: "\n").map { PlainText.clean(String($0)) }.filter { !$0.isEmpty }
            closeDetails()
            return
        }
        switch node.type {
        case "paragraph":
            details!.body += node.textLines.map { PlainText.clean($0.text) }.filter { !$0.isEmpty }
            if node.children.contains(where: {
                $0.type == "html_inline" && ($0.literal ?? "").lowercased().hasPrefix("</details")
            }) {
                closeDetails()
            }
        case "list":
            for item in node.children { for child in item.children { collectDetails(child) } }
        case "code_block": details!.body.append(node.literal ?? "")
        default: details!.body.append(PlainText.clean(node.plainText))
        }
    }

    mutating func closeDetails() {
        guard let (summary, body, line) = details else { return }
        details = nil
        let lines = body.filter { !$0.isEmpty }
        if pending != nil {
            for (i, text) in lines.enumerated() {
                if let answer = QuestionShapes.answer(text) {
                    pending!.take(answer: answer)
                } else if let explanation = QuestionShapes.explanation(text) {
                    pending!.explanation = explanation
                } else if i == 0 && pending!.awaitsOptions {
                    pending!.take(answer: text)
                } else if pending!.explanation != nil || !pending!.options.isEmpty {
                    pending!.explanation = [pending!.explanation, text].compactMap { $0 }.joined(separator: " ")
                } else {
                    pending!.answer = [pending!.answer, text].compactMap { $0 }.joined(separator: " ")
                }
            }
            flushQuestion()
            return
        }
        let asked = QuestionShapes.question(summary) ?? (QuestionShapes.asks(summary) ? summary : nil)
        if let asked {
            pending = PendingQuestion(prompt: asked, line: line, explicit: true)
            let answer = lines.map { QuestionShapes.answer($0) ?? $0 }.joined(separator: " ")
            if !answer.isEmpty { pending!.answer = answer }
            flushQuestion()
        } else if !lines.isEmpty {
            append(.text(([summary] + lines).filter { !$0.isEmpty }.joined(separator: " ")), line: line)
        }
    }

    /// Ends the question being read: it becomes a block of the current topic.
    mutating func flushQuestion() {
        lastAsked = nil
        guard var question = pending else { return }
        pending = nil
        guard question.explicit || question.options.count >= 2 else {
            append(.text(question.prompt), line: question.line)
            return
        }
        // Bold or ticked options are the answer only when not every option is marked.
        if question.correct.isEmpty, !question.marked.isEmpty, question.marked.count < question.options.count {
            question.correct = question.marked
        }
        guard let index = currentTopic else {
            append(.text(question.prompt), line: question.line)
            return
        }
        let prompt = question.prompt.trimmingWhitespace()
        let id = uniqueID(
            "\(topics[index].id)#q-\(idSegment(prompt, limit: 40).isEmpty ? "question" : idSegment(prompt, limit: 40))")
        append(
            .question(
                NoteQuestion(
                    id: id, topicID: topics[index].id, prompt: prompt, options: question.options, correct: question.correct,
                    answer: question.answer?.trimmingWhitespace(), explanation: question.explanation?.trimmingWhitespace(),
                    location: location(question.line))), line: question.line)
    }
}
