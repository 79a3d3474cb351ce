import Foundation

/// Writes a quiz as JSON, byte for byte what `JSONEncoder` gives for `Quiz.ExportedQuiz` with
/// `[.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]` (swift-foundation's writer), plus
/// the trailing newline `jsonText()` adds. It exists because the encoder is slow on large quizzes
/// (it builds a tree of boxed values and sorts every object's keys) and holds the whole file in memory.
///
/// The rules copied from the encoder:
/// - two spaces of indentation per level; `"key" : value`; `,\n` between elements;
/// - object keys sorted by their UTF-8 bytes (the fixed keys below are written in that order);
/// - an empty array is `[\n\n<indent>]`, an empty object `{\n\n<indent>}`;
/// - strings escape `"`, `\`, `\b`, `\f`, `\n`, `\r`, `\t` and other bytes below 0x20 as `\u00xx`
///   (lowercase hex); `/` and non-ASCII text are written as they are;
/// - integers are written with `description`.
///
/// Doubles are not handled (the encoder's float formatting is not reproduced here); callers check
/// `canWrite` and fall back to `JSONEncoder` for quizzes whose parameters contain one.
struct QuizJSONWriter {
    /// Bytes written and not yet handed to `flush`.
    private(set) var buffer: [UInt8] = []
    private var indent = 0
    /// Called with the buffer once it holds at least `chunkSize` bytes, and by `finish()`.
    private let flush: ((inout [UInt8]) throws -> Void)?
    private let chunkSize: Int

    /// A writer that hands the text to `flush` in chunks of about `chunkSize` bytes; `flush`
    /// must empty the buffer. With no `flush`, everything stays in `buffer`.
    init(chunkSize: Int = 1 << 20, flush: ((inout [UInt8]) throws -> Void)? = nil) {
        self.chunkSize = chunkSize
        self.flush = flush
        buffer.reserveCapacity(flush == nil ? chunkSize : chunkSize + chunkSize / 4)
    }

    /// True when every value in the quiz can be written exactly (no doubles in `params`).
    static func canWrite(_ quiz: Quiz) -> Bool {
        func exact(_ value: JSONValue) -> Bool {
            switch value {
            case .double: false
            case .string, .int, .bool, .null: true
            case let .array(values): values.allSatisfy(exact)
            case let .object(values): values.values.allSatisfy(exact)
            }
        }
        return quiz.questions.indices.allSatisfy { index in
            quiz.questions[index].params.isEmpty || quiz.questions[index].params.values.allSatisfy(exact)
        }
    }

    /// Writes the whole quiz and its trailing newline, then flushes.
    mutating func write(_ quiz: Quiz) throws {
        openObject()
        key("questions", first: true)
        if quiz.questions.isEmpty {
            emptyContainer(open: UInt8(ascii: "["), close: UInt8(ascii: "]"))
        } else {
            openArray()
            // By index: the element is passed borrowed rather than copied out of the array.
            for index in quiz.questions.indices {
                separator(first: index == 0)
                writeIndent()
                write(quiz.questions[index])
                try flushIfFull()
            }
            closeArray()
        }
        key("seed", first: false)
        raw(String(quiz.seed))
        closeObject()
        buffer.append(UInt8(ascii: "\n"))
        try finish()
    }

    /// Hands whatever is buffered to `flush`.
    mutating func finish() throws {
        if let flush, !buffer.isEmpty { try flush(&buffer) }
    }

    // MARK: - Questions

    /// One question, with the fields `Quiz.export` gives it, written straight from the question
    /// (no `ExportedQuestion` in between). The keys are in sorted (UTF-8) order, as the encoder
    /// sorts them; keep this in step with `Quiz.export`.
    private mutating func write(_ question: Question) {
        openObject()
        var first = true
        func field(_ name: StaticString) {
            key(name, first: first)
            first = false
        }
        var generatorID: String?, generatorSeed: UInt64?, source: String?, bankFile: String?
        switch question.source {
        case let .generator(id, seed): (generatorID, generatorSeed) = (id, seed)
        case .card: source = "card"
        case let .bank(file, _): (source, bankFile) = ("bank", file)
        }
        var choices: [Choice] = [], items: [String]?, unit: String?
        switch question.body {
        case let .singleChoice(options, _), let .multipleChoice(options, _): choices = options
        case let .ordering(list, _): items = list
        case let .numeric(_, numericUnit): unit = numericUnit
        case .recall: break
        }
        let isChoice = question.kind == .singleChoice || question.kind == .multipleChoice

        field("answer"); string(question.expectedAnswer)
        if let bankFile { field("bankFile"); string(bankFile) }
        if isChoice {
            field("choices")
            strings(choices.map(\.text))
        } else if let items {
            field("choices")
            strings(items)
        }
        if let erratum = question.erratum { field("erratum"); string(erratum) }
        // The steps joined by newlines, as one string.
        field("explanation")
        buffer.append(UInt8(ascii: "\""))
        for (index, step) in question.explanation.enumerated() {
            if index > 0 { append(UInt8(ascii: "\\"), UInt8(ascii: "n")) }
            stringContents(step)
        }
        buffer.append(UInt8(ascii: "\""))
        if let generatorID { field("generator"); string(generatorID) }
        field("id"); string(question.id)
        field("kind"); string(question.kind.rawValue)
        // Keyed by option letter; letters rise with the index, so index order is sorted order.
        if choices.contains(where: { $0.misconception != nil }) {
            field("misconceptions")
            openObject()
            var firstNote = true
            for (index, choice) in choices.enumerated() {
                guard let misconception = choice.misconception else { continue }
                key(QuestionBody.letter(index), first: firstNote)
                firstNote = false
                openObject()
                key("id", first: true)
                string(misconception.id)
                key("summary", first: false)
                string(misconception.summary)
                closeObject()
            }
            closeObject()
        }
        if generatorID != nil { field("params"); object(question.params) { $0.value($1) } }
        field("prompt"); string(question.prompt)
        if let generatorSeed { field("seed"); raw(String(generatorSeed)) }
        if let source { field("source"); string(source) }
        field("topic"); string(question.primaryTopic)
        field("topics"); strings(question.topics)
        if let unit { field("unit"); string(unit) }
        if let value = question.value { field("value"); raw(String(value)) }
        closeObject()
    }

    private mutating func value(_ value: JSONValue) {
        switch value {
        case let .string(text): string(text)
        case let .int(number): raw(String(number))
        case let .bool(flag): raw(flag ? "true" : "false")
        case .null: raw("null")
        case let .array(values):
            guard !values.isEmpty else { return emptyContainer(open: UInt8(ascii: "["), close: UInt8(ascii: "]")) }
            openArray()
            for (index, element) in values.enumerated() {
                separator(first: index == 0)
                writeIndent()
                self.value(element)
            }
            closeArray()
        case let .object(values):
            object(values) { $0.value($1) }
        case .double:
            preconditionFailure("QuizJSONWriter cannot write doubles; check canWrite first")
        }
    }

    // MARK: - Containers

    private mutating func strings(_ values: [String]) {
        guard !values.isEmpty else { return emptyContainer(open: UInt8(ascii: "["), close: UInt8(ascii: "]")) }
        openArray()
        for (index, element) in values.enumerated() {
            separator(first: index == 0)
            writeIndent()
            string(element)
        }
        closeArray()
    }

    /// An object with its keys in UTF-8 byte order, as `.sortedKeys` orders them.
    private mutating func object<Value>(_ values: [String: Value], _ write: (inout QuizJSONWriter, Value) -> Void) {
        guard !values.isEmpty else { return emptyContainer(open: UInt8(ascii: "{"), close: UInt8(ascii: "}")) }
        openObject()
        let sorted = values.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        for (index, element) in sorted.enumerated() {
            key(element.key, first: index == 0)
            write(&self, element.value)
        }
        closeObject()
    }

    private mutating func openObject() {
        append(UInt8(ascii: "{"), UInt8(ascii: "\n"))
        indent += 1
    }

    private mutating func closeObject() {
        buffer.append(UInt8(ascii: "\n"))
        indent -= 1
        writeIndent()
        buffer.append(UInt8(ascii: "}"))
    }

    private mutating func openArray() {
        append(UInt8(ascii: "["), UInt8(ascii: "\n"))
        indent += 1
    }

    private mutating func closeArray() {
        buffer.append(UInt8(ascii: "\n"))
        indent -= 1
        writeIndent()
        buffer.append(UInt8(ascii: "]"))
    }

    /// What the encoder writes for an empty array or object: the newlines stay, the elements go.
    private mutating func emptyContainer(open: UInt8, close: UInt8) {
        buffer.append(contentsOf: [open, UInt8(ascii: "\n"), UInt8(ascii: "\n")])
        writeIndent()
        buffer.append(close)
    }

    private mutating func separator(first: Bool) {
        if !first { append(UInt8(ascii: ","), UInt8(ascii: "\n")) }
    }

    /// `"name" : ` on its own indented line.
    private mutating func key(_ name: StaticString, first: Bool) {
        separator(first: first)
        writeIndent()
        buffer.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { buffer.append(contentsOf: $0) }
        buffer.append(UInt8(ascii: "\""))
        append(UInt8(ascii: " "), UInt8(ascii: ":"))
        buffer.append(UInt8(ascii: " "))
    }

    private mutating func key(_ name: String, first: Bool) {
        separator(first: first)
        writeIndent()
        string(name)
        append(UInt8(ascii: " "), UInt8(ascii: ":"))
        buffer.append(UInt8(ascii: " "))
    }

    private mutating func writeIndent() {
        for _ in 0..<indent { append(UInt8(ascii: " "), UInt8(ascii: " ")) }
    }

    private mutating func append(_ first: UInt8, _ second: UInt8) {
        buffer.append(first)
        buffer.append(second)
    }

    /// Text known to need no escaping (numbers, literals).
    private mutating func raw(_ text: String) {
        buffer.append(contentsOf: text.utf8)
    }

    // MARK: - Strings

    /// A quoted string with the encoder's escapes; runs of plain bytes are copied at once.
    private mutating func string(_ text: String) {
        buffer.append(UInt8(ascii: "\""))
        stringContents(text)
        buffer.append(UInt8(ascii: "\""))
    }

    /// The escaped text without its quotes.
    private mutating func stringContents(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            var start = 0
            for index in bytes.indices {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
                start = index + 1
                switch byte {
                case UInt8(ascii: "\""): append(UInt8(ascii: "\\"), UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): append(UInt8(ascii: "\\"), UInt8(ascii: "\\"))
                case 0x08: append(UInt8(ascii: "\\"), UInt8(ascii: "b"))
                case 0x0C: append(UInt8(ascii: "\\"), UInt8(ascii: "f"))
                case UInt8(ascii: "\n"): append(UInt8(ascii: "\\"), UInt8(ascii: "n"))
                case UInt8(ascii: "\r"): append(UInt8(ascii: "\\"), UInt8(ascii: "r"))
                case UInt8(ascii: "\t"): append(UInt8(ascii: "\\"), UInt8(ascii: "t"))
                default:
                    let hex = Array("0123456789abcdef".utf8)
                    buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                               hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
                }
            }
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
        }
    }

    private mutating func flushIfFull() throws {
        if let flush, buffer.count >= chunkSize { try flush(&buffer) }
    }
}
