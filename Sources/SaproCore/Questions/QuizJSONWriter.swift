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
/// Doubles (only an imported quiz can hold one) are formatted by the encoder itself.
///
/// A quiz can be written in pieces: `begin()`, `append(_:)` per question, `end(seed:)`, taking
/// the text out of `buffer` and calling `removeAll()` in between.
public struct QuizJSONWriter: Sendable {
    /// The text written so far (or since `removeAll()`).
    public private(set) var buffer: [UInt8] = []
    private var indent = 0
    private var written = 0

    /// An empty writer; `begin()` starts the quiz.
    public init(capacity: Int = 1 << 16) {
        buffer.reserveCapacity(capacity)
    }

    /// The whole quiz as JSON text.
    static func text(_ quiz: Quiz) -> [UInt8] {
        var writer = QuizJSONWriter()
        writer.begin()
        for index in quiz.questions.indices {
            writer.append(quiz.questions[index], scored: quiz.unscored.map { !$0.contains(index) })
        }
        writer.end(seed: quiz.seed)
        return writer.buffer
    }

    /// Opens the quiz object and its question array.
    public mutating func begin() {
        openObject()
        key("questions", first: true)
        buffer.append(UInt8(ascii: "["))
        indent += 1
    }

    /// Writes the next question.
    public mutating func append(_ question: Question, scored: Bool? = nil) {
        if written > 0 { buffer.append(UInt8(ascii: ",")) }
        buffer.append(UInt8(ascii: "\n"))
        writeIndent()
        write(question, scored: scored)
        written += 1
    }

    /// One question's JSON text as `append(_:)` writes it, for `append(encoded:)`: questions can be
    /// encoded on several threads and written in order.
    public static func encode(_ question: Question) -> [UInt8] {
        var writer = QuizJSONWriter(capacity: 4096)
        writer.indent = 2
        writer.write(question)
        return writer.buffer
    }

    /// Writes the next question from its `encode(_:)` text.
    public mutating func append(encoded text: [UInt8]) {
        if written > 0 { buffer.append(UInt8(ascii: ",")) }
        buffer.append(UInt8(ascii: "\n"))
        writeIndent()
        buffer.append(contentsOf: text)
        written += 1
    }

    /// Closes the question array, writes the seed and closes the quiz, with a trailing newline.
    public mutating func end(seed: UInt64) {
        // An empty array keeps the encoder's blank line: `[\n\n  ]`.
        buffer.append(UInt8(ascii: "\n"))
        if written == 0 { buffer.append(UInt8(ascii: "\n")) }
        indent -= 1
        writeIndent()
        buffer.append(UInt8(ascii: "]"))
        key("seed", first: false)
        raw(String(seed))
        closeObject()
        buffer.append(UInt8(ascii: "\n"))
    }

    /// Empties the buffer (keeping its capacity) once its text has been written out.
    public mutating func removeAll() {
        buffer.removeAll(keepingCapacity: true)
    }

    // MARK: - Questions

    /// One question, with the fields `Quiz.export` gives it, written straight from the question
    /// (no `ExportedQuestion` in between). The keys are in sorted (UTF-8) order, as the encoder
    /// sorts them; keep this in step with `Quiz.export`.
    private mutating func write(_ question: Question, scored: Bool? = nil) {
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
            openArray()
            for index in choices.indices {
                separator(first: index == 0)
                writeIndent()
                string(choices[index].text)
            }
            closeArray()
        } else if let items {
            field("choices")
            strings(items)
        }
        if let domain = question.domain { field("domain"); string(domain.rawValue) }
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
        if let scored { field("scored"); raw(scored ? "true" : "false") }
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
        case let .double(number):
            raw(Self.encoderText(number))
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
        for (index, element) in values.sorted(by: { Self.bytesPrecede($0.key, $1.key) }).enumerated() {
            key(element.key, first: index == 0)
            write(&self, element.value)
        }
        closeObject()
    }

    /// UTF-8 byte order, compared with `memcmp` (the generic comparison of UTF-8 views is slow).
    static func bytesPrecede(_ a: String, _ b: String) -> Bool {
        var a = a, b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                let common = min(x.count, y.count)
                let order = common == 0 ? 0 : memcmp(x.baseAddress!, y.baseAddress!, common)
                return order != 0 ? order < 0 : x.count < y.count
            }
        }
    }

    private mutating func openObject() { open(UInt8(ascii: "{")) }
    private mutating func closeObject() { close(UInt8(ascii: "}")) }
    private mutating func openArray() { open(UInt8(ascii: "[")) }
    private mutating func closeArray() { close(UInt8(ascii: "]")) }

    private mutating func open(_ bracket: UInt8) {
        append(bracket, UInt8(ascii: "\n"))
        indent += 1
    }

    private mutating func close(_ bracket: UInt8) {
        buffer.append(UInt8(ascii: "\n"))
        indent -= 1
        writeIndent()
        buffer.append(bracket)
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
        // Native strings are contiguous: read them in place, without a copy to make them so.
        if let done: Void = text.utf8.withContiguousStorageIfAvailable({ escape($0) }) { return done }
        var text = text
        text.withUTF8 { escape($0) }
    }

    private mutating func escape(_ bytes: UnsafeBufferPointer<UInt8>) {
        JSONText.appendEscaped(bytes, to: &buffer)
    }

    /// A double as the encoder writes it, from the encoder itself: its float formatting is not
    /// reproduced here. Generators never make doubles; only imported quizzes can hold them.
    static func encoderText(_ value: Double) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }
}
