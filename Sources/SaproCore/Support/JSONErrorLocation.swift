import Foundation

/// Where in a JSON text a decoding error is, for messages that name the line.
public enum JSONErrorLocation {
    /// The 1-based line of `error` in `data`: the parser's own "line N" for a syntax error, or
    /// the line of the last key of the error's coding path for a value of the wrong type.
    public static func line(of error: Error, in data: Data) -> Int? {
        if let line = syntaxLine(in: data) { return line }
        guard let decoding = error as? DecodingError else { return nil }
        let path: [CodingKey]
        switch decoding {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c): path = c.codingPath
        case .keyNotFound(_, let c): path = c.codingPath
        @unknown default: return nil
        }
        guard let key = path.last(where: { $0.intValue == nil })?.stringValue,
            let text = String(data: data, encoding: .utf8),
            let range = text.range(of: "\"\(key)\"")
        else { return nil }
        return text[..<range.lowerBound].reduce(1) { $0 + ($1 == "\n" ? 1 : 0) }
    }

    /// A short reason: the key and what was wrong with it, without Swift's type names.
    public static func summary(of error: Error) -> String {
        guard let decoding = error as? DecodingError else { return "not valid JSON" }
        func at(_ path: [CodingKey]) -> String {
            let keys = path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? "" : " at \(keys.joined(separator: "."))"
        }
        switch decoding {
        case .typeMismatch(let type, let c): return "a value of the wrong type\(at(c.codingPath)) (expected \(describe(type)))"
        case .valueNotFound(let type, let c): return "a missing value\(at(c.codingPath)) (expected \(describe(type)))"
        case .keyNotFound(let key, let c): return "the key \"\(key.stringValue)\" is missing\(at(c.codingPath))"
        case .dataCorrupted(let c):
            if c.codingPath.isEmpty { return "not valid JSON" }
            // Our own checks say what is wrong; Foundation's own descriptions are left out.
            let why = c.debugDescription
            let ours = !why.isEmpty && !why.hasPrefix("The given data") && !why.hasPrefix("Cannot initialize")
            return "a value that is not allowed\(at(c.codingPath))\(ours ? " (\(why))" : "")"
        @unknown default: return "not valid JSON"
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type: "a whole number"
        case is Double.Type: "a number"
        case is Bool.Type: "true or false"
        case is String.Type: "text"
        default: "\(type)".contains("Array") ? "a list" : "a value of another type"
        }
    }

    /// The line of the first syntax error: JSONSerialization names the character ("around
    /// character 21"), or the end of the file when the text stops short.
    private static func syntaxLine(in data: Data) -> Int? {
        let error: NSError
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            return nil
        } catch let e as NSError {
            error = e
        }
        let text = (error.userInfo[NSDebugDescriptionErrorKey] as? String) ?? ""
        var offset = data.count
        if let r = text.range(of: "character ") {
            offset = Int(text[r.upperBound...].prefix { $0.isNumber }) ?? data.count
        }
        let bytes = data.prefix(max(0, min(offset, data.count)))
        // A file ending in a newline stops on its last line, not the empty one after it.
        let newlines = bytes.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        return newlines + (offset >= data.count && data.last == 0x0A ? 0 : 1)
    }
}
