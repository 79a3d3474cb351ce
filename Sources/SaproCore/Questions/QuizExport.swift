import Foundation

/// Export formats for a quiz.
public enum QuizFormat: String, Sendable, CaseIterable {
    /// `{"seed": S, "questions": [...]}`, sorted keys; `Quiz(json:)` reads it back.
    case json
    /// A printable quiz with an answer key and explanations at the end.
    case md
    /// Moodle GIFT import format.
    case gift
}

extension Quiz {
    /// The quiz in `format`. The same quiz always renders to the same bytes.
    public func render(_ format: QuizFormat) throws(QuizError) -> String {
        switch format {
        case .json: jsonText()
        case .md: markdown()
        case .gift: gift()
        }
    }

    /// Writes the quiz in `format` to the file at `path` (replaced atomically; see `OutputFile`).
    public func write(_ format: QuizFormat, toFile path: String) throws {
        let file = try OutputFile(path: path)
        do {
            try file.write(format == .json ? QuizJSONWriter.text(self) : Array(try render(format).utf8))
        } catch {
            file.discard()
            throw error
        }
        try file.commit()
    }

    // MARK: - JSON

    /// One question as exported. Optional fields are left out when empty.
    struct ExportedQuestion: Codable {
        var id: String
        var generator: String?
        /// The generator seed that reproduces this one question.
        var seed: UInt64?
        /// `card` or `bank` for questions that do not come from a generator.
        var source: String?
        var bankFile: String?
        var kind: String
        var topic: String
        var topics: [String]
        var params: [String: JSONValue]?
        var prompt: String
        var choices: [String]?
        /// Misconceptions behind wrong options, keyed by option letter.
        var misconceptions: [String: Misconception]?
        var unit: String?
        var answer: String
        var value: Int?
        var explanation: String
        var erratum: String?
        /// The SAP-C02 domain, where the question has one.
        var domain: String?
        /// In an exam form: whether the item counts towards the score.
        var scored: Bool?
    }

    struct ExportedQuiz: Codable {
        var seed: UInt64
        var questions: [ExportedQuestion]
    }

    static func export(_ question: Question) -> ExportedQuestion {
        var exported = ExportedQuestion(
            id: question.id, kind: question.kind.rawValue, topic: question.primaryTopic, topics: question.topics,
            prompt: question.prompt, answer: question.expectedAnswer, value: question.value,
            explanation: question.explanation.joined(separator: "\n"), erratum: question.erratum,
            domain: question.domain?.rawValue)
        switch question.source {
        case let .generator(id, seed):
            exported.generator = id
            exported.seed = seed
            exported.params = question.params
        case .card:
            exported.source = "card"
        case let .bank(file, _):
            exported.source = "bank"
            exported.bankFile = file
        }
        switch question.body {
        case let .singleChoice(choices, _), let .multipleChoice(choices, _):
            exported.choices = choices.map(\.text)
            var notes: [String: Misconception] = [:]
            for (index, choice) in choices.enumerated() {
                if let misconception = choice.misconception { notes[QuestionBody.letter(index)] = misconception }
            }
            exported.misconceptions = notes.isEmpty ? nil : notes
        case let .ordering(items, _):
            exported.choices = items
        case let .numeric(_, unit):
            exported.unit = unit
        case .recall:
            break
        }
        return exported
    }

    func jsonText() -> String {
        String(decoding: QuizJSONWriter.text(self), as: UTF8.self)
    }

    /// The JSON text from `JSONEncoder`: the reference the tests hold `QuizJSONWriter` to.
    func encodedJSONText() throws(QuizError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            let exported = questions.indices.map { index in
                var question = Self.export(questions[index])
                question.scored = unscored.map { !$0.contains(index) }
                return question
            }
            let data = try encoder.encode(ExportedQuiz(seed: seed, questions: exported))
            return String(decoding: data, as: UTF8.self) + "\n"
        } catch {
            throw .badQuizFile(reason: "could not encode the quiz: \(error)", question: nil)
        }
    }

    /// Reads a quiz saved with `render(.json)`.
    public init(json text: String) throws(QuizError) {
        let decoded: ExportedQuiz
        do {
            decoded = try JSONDecoder().decode(ExportedQuiz.self, from: Data(text.utf8))
        } catch let DecodingError.keyNotFound(key, context) {
            throw .badQuizFile(reason: "missing \"\(key.stringValue)\" at \(Self.path(context.codingPath))", question: nil)
        } catch let DecodingError.typeMismatch(_, context) {
            throw .badQuizFile(
                reason: "wrong type at \(Self.path(context.codingPath)): \(context.debugDescription)", question: nil)
        } catch {
            throw .badQuizFile(reason: "not a sapro quiz JSON file (\(error.localizedDescription))", question: nil)
        }
        guard decoded.questions.count <= QuestionLimits.questionsPerFile else {
            throw .badQuizFile(
                reason: "\(decoded.questions.count) questions; a quiz file holds at most \(QuestionLimits.questionsPerFile)",
                question: nil)
        }
        var questions: [Question] = []
        for (index, exported) in decoded.questions.enumerated() {
            questions.append(try Self.question(from: exported, number: index + 1))
        }
        self.init(seed: decoded.seed, questions: questions)
    }

    static func path(_ codingPath: [CodingKey]) -> String {
        codingPath.isEmpty ? "the top level" : codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
    }

    static func question(from exported: ExportedQuestion, number: Int) throws(QuizError) -> Question {
        func fail(_ reason: String) -> QuizError { .badQuizFile(reason: reason, question: number) }
        guard let kind = QuestionKind(rawValue: exported.kind) else {
            throw fail(
                "unknown kind '\(exported.kind)' (known: \(QuestionKind.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let choices = exported.choices ?? []
        let limit = QuestionLimits.self
        guard choices.count <= limit.choices else {
            throw fail("\(choices.count) choices; at most \(limit.choices) (a to z)")
        }
        for (name, text) in [("prompt", exported.prompt), ("answer", exported.answer), ("explanation", exported.explanation)]
        where text.count > limit.text {
            throw fail("the \(name) has \(text.count) characters; at most \(limit.text)")
        }
        if let long = choices.firstIndex(where: { $0.count > limit.text }) {
            throw fail("choice \(long + 1) has \(choices[long].count) characters; at most \(limit.text)")
        }
        guard exported.topics.count <= limit.topics else {
            throw fail("\(exported.topics.count) topics; at most \(limit.topics)")
        }
        let body: QuestionBody
        switch kind {
        case .numeric:
            guard let answer = Int(exported.answer) else { throw fail("answer '\(exported.answer)' is not a whole number") }
            body = .numeric(answer: answer, unit: exported.unit)
        case .singleChoice, .multipleChoice:
            guard choices.count >= 2 else { throw fail("a choice question needs at least two choices") }
            let built = choices.enumerated().map { index, text in
                Choice(text: text, misconception: exported.misconceptions?[QuestionBody.letter(index)])
            }
            switch QuestionBody.parseLetters(exported.answer, count: choices.count) {
            case let .failure(error):
                throw fail("answer '\(exported.answer)': \(error.localizedDescription)")
            case let .success(indices):
                if kind == .singleChoice {
                    guard indices.count == 1 else { throw fail("a single-choice answer is one letter, not '\(exported.answer)'") }
                    body = .singleChoice(choices: built, correct: indices[0])
                } else {
                    body = .multipleChoice(choices: built, correct: indices.sorted())
                }
            }
        case .ordering:
            guard choices.count >= 2 else { throw fail("an ordering question needs at least two items") }
            let probe = QuestionBody.ordering(items: choices, order: Array(choices.indices))
            guard case let .success(.order(order)) = probe.parse(exported.answer) else {
                throw fail("answer '\(exported.answer)' is not an order of the \(choices.count) items")
            }
            body = .ordering(items: choices, order: order)
        case .recall:
            body = .recall(answer: exported.answer)
        }
        let source: QuestionSource
        if let generator = exported.generator {
            source = .generator(id: generator, seed: exported.seed ?? 0)
        } else if exported.source == "bank" {
            source = .bank(file: exported.bankFile ?? "", id: exported.id)
        } else {
            source = .card(id: exported.id)
        }
        let topics = exported.topics.isEmpty && !exported.topic.isEmpty ? [exported.topic] : exported.topics
        return Question(
            id: exported.id, source: source, prompt: exported.prompt, body: body,
            explanation: exported.explanation.isEmpty ? [] : exported.explanation.components(separatedBy: "\n"),
            topics: topics, params: exported.params ?? [:], value: exported.value, erratum: exported.erratum,
            domain: exported.domain.flatMap(ExamDomain.init(rawValue:)))
    }

    // MARK: - Markdown

    func markdown() -> String {
        var out = ["# sapro quiz", "", "Seed \(seed) · \(questions.count) question\(questions.count == 1 ? "" : "s")", ""]
        for (index, question) in questions.enumerated() {
            out.append("## Question \(index + 1)")
            out.append("")
            out.append(question.prompt)
            out.append("")
            let options = question.body.optionLines
            if !options.isEmpty {
                // Choices as a bullet list; ordering items are already numbered lines.
                out += options.map { question.kind == .ordering ? $0 : "- \($0)" }
                out.append("")
            }
            out.append("_\(question.body.answerHint)_")
            out.append("")
        }
        out += ["---", "", "## Answer key", ""]
        for (index, question) in questions.enumerated() {
            var line = "**\(index + 1).** `\(question.expectedAnswer)`"
            if case let .singleChoice(choices, correct) = question.body { line += " \(choices[correct].text)" }
            out.append(line)
            out.append("")
            // The erratum gets its own line below: a step that only repeats it is left out.
            let corrections = Set((question.erratum ?? "").split(separator: "\n").map { String($0).trimmingWhitespace() })
            out += question.explanation.filter { !corrections.contains($0.trimmingWhitespace()) }.map { "- \($0)" }
            if case let .singleChoice(choices, _) = question.body {
                for (choiceIndex, choice) in choices.enumerated() {
                    if let misconception = choice.misconception {
                        out.append(
                            "- Option \(QuestionBody.letter(choiceIndex)) is the misconception \"\(misconception.id)\": \(misconception.summary)"
                        )
                    }
                }
            }
            if let erratum = question.erratum { out.append("- Erratum: \(erratum)") }
            out.append("- Source: \(Self.sourceLine(question))")
            out.append("")
        }
        return out.joined(separator: "\n")
    }

    static func sourceLine(_ question: Question) -> String {
        switch question.source {
        case let .generator(id, seed): "generator \(id), seed \(seed)"
        case let .card(id): "card \(id)"
        case let .bank(file, id): "bank \(file), \(id)"
        }
    }

    // MARK: - GIFT

    /// Escapes GIFT's special characters and turns newlines into `\n`.
    public static func giftEscape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\\": out += "\\\\"
            case "~", "=", "#", "{", "}", ":": out += "\\\(character)"
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }

    func gift() -> String {
        var out: [String] = ["// sapro quiz, seed \(seed)", ""]
        for (index, question) in questions.enumerated() {
            let e = Self.giftEscape
            let feedback = "####" + e(question.explanation.joined(separator: "\n"))
            var text = question.prompt
            if case let .ordering(items, _) = question.body {
                text += "\n\n" + items.enumerated().map { "\($0.offset + 1). \($0.element)" }.joined(separator: "\n")
                text += "\n\nAnswer with the item numbers in order, separated by spaces."
            }
            out.append("// \(question.id)")
            let head = "::\(e("Q\(index + 1) \(question.id)"))::[markdown]\(e(text))"
            switch question.body {
            case let .numeric(answer, _):
                out.append("\(head) {#\(answer)\(feedback)}")
            case let .singleChoice(choices, correct):
                out.append("\(head) {")
                for (choiceIndex, choice) in choices.enumerated() {
                    let note = choice.misconception.map { "#" + e("Misconception: \($0.summary)") } ?? ""
                    out.append((choiceIndex == correct ? "=" : "~") + e(choice.text) + note)
                }
                out.append(feedback)
                out.append("}")
            case let .multipleChoice(choices, correct):
                // GIFT cannot say all-or-nothing: each right option earns its share, and the wrong
                // options share -100% among them, so ticking every option scores 0 (no reward for
                // guessing) while one slip among five options does not cost the whole question.
                let share = Self.giftWeight(100.0 / Double(correct.count))
                let wrongCount = max(1, choices.count - correct.count)
                let penalty = "-" + Self.giftWeight(100.0 / Double(wrongCount))
                out.append("\(head) {")
                for (choiceIndex, choice) in choices.enumerated() {
                    out.append("~%\(correct.contains(choiceIndex) ? share : penalty)%" + e(choice.text))
                }
                out.append(feedback)
                out.append("}")
            case let .ordering(_, order):
                let numbers = order.map { String($0 + 1) }
                let forms = [numbers.joined(separator: " "), numbers.joined(separator: ","), numbers.joined(separator: ", ")]
                out.append("\(head) {" + forms.map { "=" + e($0) }.joined(separator: " ") + feedback + "}")
            case let .recall(answer):
                out.append("\(head) {####\(e("Answer: \(answer)\n") + e(question.explanation.joined(separator: "\n")))}")
            }
            out.append("")
        }
        return out.joined(separator: "\n")
    }

    static func giftWeight(_ value: Double) -> String {
        let rounded = (value * 100_000).rounded() / 100_000
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
