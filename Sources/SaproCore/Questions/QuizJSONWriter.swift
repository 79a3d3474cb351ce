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
        return quiz.questions.allSatisfy { $0.params.values.allSatisfy(exact) }
    }

    /// Writes the whole quiz and its trailing newline, then flushes.
    mutating func write(_ quiz: Quiz) throws {
        openObject()
        key("questions", first: true)
        if quiz.questions.isEmpty {
            emptyContainer(open: UInt8(ascii: "["), close: UInt8(ascii: "]"))
        } else {
            openArray()
            for (index, question) in quiz.questions.enumerated() {
                separator(first: index == 0)
                writeIndent()
                write(Quiz.export(question))
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

    /// One question; the keys are in sorted (UTF-8) order, as the encoder sorts them.
    private mutating func write(_ question: Quiz.ExportedQuestion) {
        openObject()
        var first = true
        func field(_ name: StaticString, _ body: (inout QuizJSONWriter) -> Void) {
            key(name, first: first)
            first = false
            body(&self)
        }
        field("answer") { $0.string(question.answer) }
        if let value = question.bankFile { field("bankFile") { $0.string(value) } }
        if let value = question.choices { field("choices") { $0.strings(value) } }
        if let value = question.erratum { field("erratum") { $0.string(value) } }
        field("explanation") { $0.string(question.explanation) }
        if let value = question.generator { field("generator") { $0.string(value) } }
        field("id") { $0.string(question.id) }
        field("kind") { $0.string(question.kind) }
        if let value = question.misconceptions {
            field("misconceptions") { writer in
                writer.object(value) { writer, misconception in
                    writer.openObject()
                    writer.key("id", first: true)
                    writer.string(misconception.id)
                    writer.key("summary", first: false)
                    writer.string(misconception.summary)
                    writer.closeObject()
                }
            }
        }
        if let value = question.params { field("params") { $0.object(value) { $0.value($1) } } }
        field("prompt") { $0.string(question.prompt) }
        if let value = question.seed { field("seed") { $0.raw(String(value)) } }
        if let value = question.source { field("source") { $0.string(value) } }
        field("topic") { $0.string(question.topic) }
        field("topics") { $0.strings(question.topics) }
        if let value = question.unit { field("unit") { $0.string(value) } }
        if let value = question.value { field("value") { $0.raw(String(value)) } }
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
        buffer.append(contentsOf: [UInt8(ascii: "{"), UInt8(ascii: "\n")])
        indent += 1
    }

    private mutating func closeObject() {
        buffer.append(UInt8(ascii: "\n"))
        indent -= 1
        writeIndent()
        buffer.append(UInt8(ascii: "}"))
    }

    private mutating func openArray() {
        buffer.append(contentsOf: [UInt8(ascii: "["), UInt8(ascii: "\n")])
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
        if !first { buffer.append(contentsOf: [UInt8(ascii: ","), UInt8(ascii: "\n")]) }
    }

    /// `"name" : ` on its own indented line.
    private mutating func key(_ name: StaticString, first: Bool) {
        separator(first: first)
        writeIndent()
        buffer.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { buffer.append(contentsOf: $0) }
        buffer.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: " "), UInt8(ascii: ":"), UInt8(ascii: " ")])
    }

    private mutating func key(_ name: String, first: Bool) {
        separator(first: first)
        writeIndent()
        string(name)
        buffer.append(contentsOf: [UInt8(ascii: " "), UInt8(ascii: ":"), UInt8(ascii: " ")])
    }

    private mutating func writeIndent() {
        for _ in 0..<indent { buffer.append(contentsOf: [UInt8(ascii: " "), UInt8(ascii: " ")]) }
    }

    /// Text known to need no escaping (numbers, literals).
    private mutating func raw(_ text: String) {
        buffer.append(contentsOf: text.utf8)
    }

    // MARK: - Strings

    /// A quoted string with the encoder's escapes; runs of plain bytes are copied at once.
    private mutating func string(_ text: String) {
        buffer.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            var start = 0
            for index in bytes.indices {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
                start = index + 1
                switch byte {
                case UInt8(ascii: "\""): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
                case UInt8(ascii: "\\"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
                case 0x08: buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
                case 0x0C: buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
                case UInt8(ascii: "\n"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
                case UInt8(ascii: "\r"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
                case UInt8(ascii: "\t"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
                default:
                    let hex = Array("0123456789abcdef".utf8)
                    buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                               hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
                }
            }
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
        }
        buffer.append(UInt8(ascii: "\""))
    }

    private mutating func flushIfFull() throws {
        if let flush, buffer.count >= chunkSize { try flush(&buffer) }
    }
}
