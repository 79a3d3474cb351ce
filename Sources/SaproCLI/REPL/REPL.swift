import ArgumentParser
import Foundation
import SaproCore

/// The interactive loop: every line goes through the same command tree as the command line.
struct REPL {
    let app: App
    /// Lines whose command failed; a piped session then exits with status 1, so scripts notice.
    private(set) var failures = 0

    /// Commands only the REPL has, besides the subcommands of `sapro`.
    static let replOnly = ["help", "quit", "exit"]

    /// Longer lines are refused (answers inside a question are cut to the same length): no
    /// command needs more, and closest-name suggestions and search slow down with the length.
    static let maximumLineLength = 2000

    static var commandNames: [String] {
        Sapro.configuration.subcommands.compactMap { $0.configuration.commandName ?? defaultName($0) } + replOnly
    }

    /// The commands help lists and completion offers (not the hidden developer tools).
    static var visibleCommandNames: [String] {
        var names: [String] = []
        for type in Sapro.configuration.subcommands where type.configuration.shouldDisplay {
            names.append(type.configuration.commandName ?? defaultName(type))
        }
        return names + replOnly
    }

    static func defaultName(_ type: ParsableCommand.Type) -> String {
        // ArgumentParser's default: the type name, lowercased with dashes between words.
        var out = ""
        for (i, ch) in String(describing: type).enumerated() {
            if ch.isUppercase && i > 0 { out.append("-") }
            out.append(Character(ch.lowercased()))
        }
        return out
    }

    mutating func run() -> Int32 {
        if app.reader.isInteractive {
            print("sapro \(SaproCore.version) — type 'help' for commands, 'quit' or Ctrl-D to leave.")
        }
        while true {
            let input = app.reader.read(prompt: prompt())
            switch input {
            case .endOfInput:
                if app.reader.isInteractive { print("") }
                return finish()
            case .interrupted:
                continue
            case .line(let line):
                let outcome = handle(line)
                app.sayNotices()
                if case .quit = outcome { return finish() }
            }
        }
    }

    enum Outcome { case next, quit }

    func prompt() -> String {
        let status = Prompt.status(app)
        return status.isEmpty ? "sapro> " : "sapro [\(status)]> "
    }

    func finish() -> Int32 {
        app.reader.saveHistory()
        Prompt.close(app)
        app.sayNotices()
        return failures > 0 && !app.reader.isInteractive ? 1 : 0
    }

    mutating func handle(_ line: String) -> Outcome {
        let succeeded = run(line)
        if case .failed = succeeded { failures += 1 }
        if case .quit = succeeded { return .quit }
        return .next
    }

    enum LineResult { case done, failed, quit }

    func run(_ line: String) -> LineResult {
        if line.count > REPL.maximumLineLength {
            Terminal.warn(
                "error: the line is too long (\(line.count) characters; at most \(REPL.maximumLineLength)); nothing was run")
            return .failed
        }
        let words: [String]
        switch splitWords(line) {
        case .failure(let error):
            Terminal.warn("error: \(error.message)")
            return .failed
        case .success(let w):
            words = w
        }
        guard let first = words.first else { return .done }
        let name = first.lowercased()
        switch name {
        case "quit", "exit":
            return .quit
        case "help", "?":
            return help(Array(words.dropFirst())) ? .done : .failed
        default:
            break
        }
        guard REPL.commandNames.contains(name) else {
            let suggestions = Fuzzy.closest(to: name, among: REPL.visibleCommandNames, limit: 2)
            let hint =
                suggestions.isEmpty
                ? "type 'help' for the list" : "did you mean \(suggestions.map { "'\($0)'" }.joined(separator: " or "))?"
            Terminal.warn("error: unknown command '\(String(first.prefix(40)))'; \(hint)")
            return .failed
        }
        var arguments = words
        arguments[0] = name
        arguments = HelpRequest.normalized(arguments)
        do {
            var command = try Sapro.parseAsRoot(arguments)
            if command is Sapro {
                return .done
            }
            if let command = command as? SaproCommand {
                try command.run(in: RunContext(repl: app))
            } else {
                try command.run()
            }
        } catch let error as ExitCode where error == .success {
        } catch let error as ExitCode {
            _ = error  // the command already printed its message
            return .failed
        } catch {
            let message = Sapro.message(for: error)
            // A help request (`calc max-pods --help`) arrives as an error whose exit code is success.
            if Sapro.exitCode(for: error) == .success {
                if !message.isEmpty { print(message) }
                return .done
            }
            if !message.isEmpty {
                Terminal.warn(message.hasPrefix("Error") || message.hasPrefix("error") ? message : "error: \(message)")
            }
            if error is ValidationError || "\(type(of: error))".contains("CommandError") {
                Terminal.warn("(try 'help \(name)')")
            }
            return .failed
        }
        return .done
    }

    /// Prints the REPL's command list, or one command's help; false when there is no such command.
    func help(_ path: [String]) -> Bool {
        if let command = path.first {
            let name = command.lowercased()
            if var type = Sapro.configuration.subcommands.first(where: {
                ($0.configuration.commandName ?? REPL.defaultName($0)) == name
            }) {
                // `help calc max-pods`: down the command tree, one word at a time.
                for word in path.dropFirst() {
                    guard let sub = HelpRequest.subcommand(of: type, named: word.lowercased()) else {
                        Terminal.warn(
                            "error: '\(name)' has no subcommand '\(word.clipped())'; type 'help \(name)' for its subcommands")
                        return false
                    }
                    type = sub
                }
                print(type.helpMessage(includeHidden: false, columns: app.width))
            } else if REPL.replOnly.contains(name) {
                print(
                    name == "help"
                        ? "help [COMMAND]: list the commands, or show one command's options." : "\(name): save and leave sapro.")
            } else {
                Terminal.warn("error: no command '\(command)'; type 'help' for the list")
                return false
            }
            return true
        }
        print("Commands (type 'help COMMAND' for its options):")
        for type in Sapro.configuration.subcommands where type.configuration.shouldDisplay {
            let name = type.configuration.commandName ?? REPL.defaultName(type)
            print("  " + TextWidth.pad(name, to: 10) + type.configuration.abstract)
        }
        print("  " + TextWidth.pad("help", to: 10) + "List the commands, or show one command's options.")
        print("  " + TextWidth.pad("quit", to: 10) + "Save and leave (also Ctrl-D).")
        return true
    }
}

/// The prompt's status and the work done when the REPL closes; filled in by the study layer.
enum Prompt {
    /// `3 due, 20 new` when there is something to drill (ASCII: the prompt goes through libedit).
    static func status(_ app: App) -> String {
        if app.storage.storeFailure != nil && app.storage.store == nil { return "" }
        guard let store = try? app.openStore() else { return "" }
        let now = Date()
        var due = 0
        for card in app.studiedItems(store).values where card.due <= now { due += 1 }
        let fresh = app.newAllowance(store, now: now)
        var parts: [String] = []
        if due > 0 { parts.append("\(due) due") }
        if fresh > 0 { parts.append("\(fresh) new") }
        return parts.joined(separator: ", ")
    }

    /// Writes the final snapshot so the next start reads little.
    static func close(_ app: App) {
        if let store = app.storage.store { try? store.close() }
    }
}
