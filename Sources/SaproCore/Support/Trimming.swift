extension StringProtocol {
    /// The text without leading and trailing spaces and tabs (what Foundation's
    /// `.whitespaces` set holds: tab and every space separator), as a native `String`.
    /// Foundation's `trimmingCharacters(in:)` goes through `NSString` and dominated loading time.
    public func trimmingWhitespace() -> String {
        trimming { $0 == "\t" || $0.properties.generalCategory == .spaceSeparator }
    }

    /// The text without leading and trailing whitespace and line breaks (Foundation's
    /// `.whitespacesAndNewlines`: tab, space separators, U+000A–U+000D, U+0085, U+2028, U+2029).
    public func trimmingWhitespaceAndNewlines() -> String {
        trimming { scalar in
            switch scalar.value {
            case 0x09...0x0D, 0x85, 0x2028, 0x2029: true
            default: scalar.properties.generalCategory == .spaceSeparator
            }
        }
    }

    private func trimming(_ drop: (Unicode.Scalar) -> Bool) -> String {
        let scalars = unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        // ASCII letters are never dropped: a quick test before the property lookup.
        func dropped(_ scalar: Unicode.Scalar) -> Bool {
            scalar.value > 0x20 && scalar.value < 0x7F ? false : drop(scalar)
        }
        while start < end, dropped(scalars[start]) { start = scalars.index(after: start) }
        while start < end {
            let before = scalars.index(before: end)
            guard dropped(scalars[before]) else { break }
            end = before
        }
        return String(decoding: utf8[start..<end], as: UTF8.self)
    }
}
