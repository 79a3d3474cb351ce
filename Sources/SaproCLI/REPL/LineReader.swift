import CEditLine
import Foundation

/// What one attempt to read a line produced.
enum LineInput: Equatable {
    case line(String)
    /// Ctrl-C: abandon the current line or question.
    case interrupted
    /// Ctrl-D or end of input.
    case endOfInput
}

/// Reads lines from the user.
protocol LineReader: AnyObject {
    /// A line; `remember` puts it into the command history (answers to questions stay out).
    func read(prompt: String, remember: Bool) -> LineInput
    /// Waits until `date`; false when Ctrl-C cut the wait short.
    func wait(until date: Date) -> Bool
    /// Whether the reader is interactive (a terminal on both ends).
    var isInteractive: Bool { get }
    func saveHistory()
}

extension LineReader {
    func read(prompt: String) -> LineInput { read(prompt: prompt, remember: true) }
}

/// Strips control characters (a tab becomes a space) and whole escape sequences, so escape
/// sequences and stray bytes typed or piped in cannot reach the terminal or the parser. Dropping
/// only the ESC would leave the rest behind: an arrow key's `ESC [ A` would become `[A`, which a
/// choice question reads as the answer `a`.
func sanitize(_ raw: String) -> String {
    var out = String.UnicodeScalarView()
    let scalars = Array(raw.unicodeScalars)
    var i = 0
    while i < scalars.count {
        let scalar = scalars[i]
        i += 1
        if scalar == "\u{1B}" || scalar == "\u{9B}" {
            // CSI (ESC [ or 0x9B): parameter and intermediate bytes, then one final byte.
            // OSC, DCS and the like (ESC ] P X ^ _): up to BEL or ESC \. SS2/SS3 (ESC N, ESC O):
            // the next character too. Any other ESC x: the x.
            let kind: Unicode.Scalar? = scalar == "\u{9B}" ? "[" : (i < scalars.count ? scalars[i] : nil)
            if scalar == "\u{1B}", kind != nil { i += 1 }
            switch kind {
            case "[":
                while i < scalars.count, (0x20...0x3F).contains(scalars[i].value) { i += 1 }
                if i < scalars.count, (0x40...0x7E).contains(scalars[i].value) { i += 1 }
            case "]", "P", "X", "^", "_":
                while i < scalars.count, scalars[i] != "\u{07}", scalars[i] != "\u{1B}" { i += 1 }
                if i < scalars.count, scalars[i] == "\u{07}" {
                    i += 1
                } else if i + 1 < scalars.count, scalars[i + 1] == "\\" {
                    i += 2
                }
            case "N", "O":
                if i < scalars.count { i += 1 }
            default:
                break
            }
            continue
        }
        if scalar == "\t" {
            out.append(" ")
        } else if scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value) {
            continue
        } else {
            out.append(scalar)
        }
    }
    return String(out)
}

/// Plain line reading for pipes and scripts: no prompt, no history, same commands.
final class PlainLineReader: LineReader {
    var isInteractive: Bool { false }
    func wait(until date: Date) -> Bool {
        let seconds = date.timeIntervalSinceNow
        if seconds > 0 { usleep(UInt32(min(seconds, 3600) * 1_000_000)) }
        return true
    }
    func read(prompt: String, remember: Bool) -> LineInput {
        // A pipe gets block-buffered output: flush so whoever drives sapro through pipes sees the
        // question before it must answer. (fflush(nil): Swift 6 rejects the C global `stdout`.)
        fflush(nil)
        // readLine repairs invalid UTF-8 with replacement characters rather than failing.
        guard let line = readLine(strippingNewline: true) else { return .endOfInput }
        return .line(sanitize(line))
    }
    func saveHistory() {}
}

/// The candidates the completion callback offers; written before each `readline()` call.
nonisolated(unsafe) private var completionProvider: (@Sendable (_ line: String, _ word: String) -> [String])?
nonisolated(unsafe) private var completionMatches: [String] = []
nonisolated(unsafe) private var completionIndex = 0
nonisolated(unsafe) private var sigintReceived: sig_atomic_t = 0

private func completionGenerator(_ text: UnsafePointer<CChar>?, _ state: Int32) -> UnsafeMutablePointer<CChar>? {
    if state == 0 { completionIndex = 0 }
    guard completionIndex < completionMatches.count else { return nil }
    defer { completionIndex += 1 }
    return strdup(completionMatches[completionIndex])
}

private func attemptedCompletion(_ text: UnsafePointer<CChar>?, _ start: Int32, _ end: Int32)
    -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
{
    sapro_set_completion_over(1)  // never fall back to file names
    let word = text.map { String(cString: $0) } ?? ""
    let buffer = sapro_line_buffer().map { String(cString: $0) } ?? ""
    let line = String(buffer.utf8.prefix(Int(max(start, 0)))) ?? ""
    // Candidates go back through libedit's decoder: outside UTF-8 only ASCII ones are safe.
    completionMatches = (completionProvider?(line, word) ?? []).filter { CharacterLocale.isUTF8 || $0.allSatisfy(\.isASCII) }
    guard !completionMatches.isEmpty else { return nil }
    return rl_completion_matches(text, completionGenerator)
}

/// libedit line editing: history in the data directory, tab completion, Ctrl-C abandons the line.
final class EditLineReader: LineReader {
    let historyFile: URL
    var isInteractive: Bool { true }

    init(historyFile: URL, completions: @escaping @Sendable (_ line: String, _ word: String) -> [String]) {
        self.historyFile = historyFile
        completionProvider = completions
        sapro_set_readline_name("sapro")
        sapro_set_catch_signals(0)
        sapro_set_completion(attemptedCompletion)
        sapro_set_completion_append(Int32(UInt8(ascii: " ")))
        using_history()
        stifle_history(1000)  // history_truncate_file would drop libedit's header line
        _ = read_history(historyFile.path)
        // Without SA_RESTART the pending read() fails with EINTR, so readline() returns and the
        // REPL can drop the line instead of the whole process dying.
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in sigintReceived = 1 }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGINT, &action, nil)
        // A launcher may hand us SIGINT blocked (the mask is inherited); then Ctrl-C would stay
        // pending, and neither drop the line nor let Ctrl-D leave.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
    }

    func wait(until date: Date) -> Bool {
        sigintReceived = 0
        while Date() < date {
            if sigintReceived != 0 {
                sigintReceived = 0
                return false
            }
            usleep(50_000)
        }
        return true
    }

    func read(prompt: String, remember: Bool) -> LineInput {
        sigintReceived = 0
        guard let raw = readline(CharacterLocale.safeForLineEditor(prompt)) else {
            if sigintReceived != 0 {
                print("")
                return .interrupted
            }
            return .endOfInput
        }
        defer { free(raw) }
        if sigintReceived != 0 {
            sigintReceived = 0
            return .interrupted
        }
        let line = sanitize(String(decoding: UnsafeRawBufferPointer(start: raw, count: strlen(raw)), as: UTF8.self))
        if remember, !line.trimmingWhitespace().isEmpty { add_history(CharacterLocale.safeForLineEditor(line)) }
        return .line(line)
    }

    func saveHistory() {
        _ = write_history(historyFile.path)
    }
}
