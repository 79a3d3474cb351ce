import Foundation

/// The C library's character handling, set once at start-up. libedit decodes the prompt and the
/// typed line with the C library's multibyte functions; in the "C" locale (a program's default
/// until it calls `setlocale`) a non-ASCII byte makes them fail, and libedit then dereferences
/// NULL. Only `LC_CTYPE` is taken from the environment: `LC_NUMERIC` stays "C", because the
/// snapshot reader parses numbers with `strtod`, which would read `0,9` in a German locale.
enum CharacterLocale {
    /// Whether the C library now decodes UTF-8 (so libedit may be handed any text).
    nonisolated(unsafe) private(set) static var isUTF8 = false

    /// Takes `LC_CTYPE` from the environment; where that leaves plain "C" or "POSIX" (LANG unset,
    /// or LANG=C), uses C.UTF-8 when the system has it, as Python does (PEP 538). Idempotent.
    static func configure() {
        _ = setlocale(LC_CTYPE, "")
        if !codesetIsUTF8() {
            let current = setlocale(LC_CTYPE, nil).map { String(cString: $0) } ?? "C"
            if current == "C" || current == "POSIX" {
                if setlocale(LC_CTYPE, "C.UTF-8") == nil { _ = setlocale(LC_CTYPE, "C.utf8") }
            }
        }
        isUTF8 = codesetIsUTF8()
    }

    private static func codesetIsUTF8() -> Bool {
        guard let codeset = nl_langinfo(nl_item(CODESET)) else { return false }
        let name = String(cString: codeset).uppercased()
        return name == "UTF-8" || name == "UTF8"
    }

    /// `text` as libedit can take it in the current locale: unchanged under UTF-8, otherwise with
    /// every non-ASCII character replaced by `?`.
    static func safeForLineEditor(_ text: String) -> String {
        if isUTF8 { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { $0.isASCII ? $0 : "?" }))
    }
}
