/// Splits a REPL line into words like a shell: spaces separate, quotes group, backslash escapes.
func splitWords(_ line: String) -> Result<[String], WordsError> {
    var words: [String] = []
    var current = ""
    var inWord = false
    var quote: Character?
    var escaped = false
    for ch in line {
        if escaped {
            current.append(ch)
            escaped = false
            continue
        }
        if ch == "\\" && quote != "'" {
            escaped = true
            inWord = true
            continue
        }
        if let q = quote {
            if ch == q { quote = nil } else { current.append(ch) }
            continue
        }
        if ch == "\"" || ch == "'" {
            quote = ch
            inWord = true
        } else if ch == " " {
            if inWord { words.append(current) }
            current = ""
            inWord = false
        } else {
            current.append(ch)
            inWord = true
        }
    }
    if let quote { return .failure(.unterminatedQuote(quote)) }
    if inWord { words.append(current) }
    return .success(words)
}

enum WordsError: Error, Equatable {
    case unterminatedQuote(Character)
    var message: String {
        switch self {
        case .unterminatedQuote(let q): "unterminated \(q) quote"
        }
    }
}
