import ArgumentParser

/// Help for a subcommand however it is asked: `help calc max-pods`, `calc max-pods --help` and
/// `calc help max-pods` all become the first form, which swift-argument-parser answers.
enum HelpRequest {
    /// `arguments` (without the program name) with a `help` word inside a command path moved to
    /// the front. A `help` that is not followed by a subcommand of the command before it (say
    /// `search help`, a search for the word) is left alone.
    static func normalized(_ arguments: [String]) -> [String] {
        guard let at = arguments.firstIndex(of: "help"), at > 0 else { return arguments }
        var command: ParsableCommand.Type = Sapro.self
        for word in arguments[..<at] {
            guard let sub = subcommand(of: command, named: word) else { return arguments }
            command = sub
        }
        let subs = command.configuration.subcommands
        guard !subs.isEmpty else { return arguments }
        let rest = Array(arguments[(at + 1)...])
        if let next = rest.first, subcommand(of: command, named: next) == nil { return arguments }
        return ["help"] + arguments[..<at] + rest
    }

    static func subcommand(of command: ParsableCommand.Type, named name: String) -> ParsableCommand.Type? {
        command.configuration.subcommands.first {
            ($0.configuration.commandName ?? REPL.defaultName($0)) == name || $0.configuration.aliases.contains(name)
        }
    }
}
