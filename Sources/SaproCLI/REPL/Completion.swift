import ArgumentParser
import Foundation
import SaproCore

/// Tab completion, derived from the command tree swift-argument-parser builds (the description it
/// prints for `--experimental-dump-help`): every visible command, subcommand, option and
/// enumerated value it knows is offered, so completion cannot drift from the commands. Only
/// values the parser cannot know (topic ids, instance types, generators, blueprints, setting
/// keys) come from the loaded content, matched by the argument's value name.
struct Completion: Sendable {
    /// One command of the tree.
    struct Node: Sendable {
        var name: String
        var visible: Bool
        var subcommands: [Node]
        var defaultSubcommand: String?
        var options: [Option]
        /// Value names of the positional arguments, in order.
        var positionals: [String]
        var repeatsLastPositional: Bool

        fileprivate init(_ info: CommandInfo) {
            name = info.commandName
            visible = info.shouldDisplay
            subcommands = (info.subcommands ?? []).map(Node.init)
            defaultSubcommand = info.defaultSubcommand
            let arguments = (info.arguments ?? []).filter(\.shouldDisplay)
            options = arguments.compactMap(Option.init)
            let positional = arguments.filter { $0.kind == .positional }
            positionals = positional.map { $0.valueName ?? "" }
            repeatsLastPositional = positional.last?.isRepeating ?? false
        }

        init(empty name: String) {
            self.name = name
            visible = true
            subcommands = []
            options = []
            positionals = []
            repeatsLastPositional = false
        }

        func subcommand(_ name: String) -> Node? { subcommands.first { $0.name == name && $0.visible } }
        func option(_ name: String) -> Option? { options.first { $0.names.contains(name) } }
    }

    struct Option: Sendable {
        var names: [String]
        var takesValue: Bool
        var valueName: String
        var values: [String]

        fileprivate init?(_ info: ArgumentInfo) {
            guard info.kind != .positional else { return nil }
            let long = (info.names ?? []).filter { $0.kind == "long" }.map { "--" + $0.name }
            // The REPL has its data directory; help and version are REPL commands of their own.
            guard !long.isEmpty, !long.contains(where: { ["--help", "--version", "--data-dir"].contains($0) }) else { return nil }
            names = long
            takesValue = info.kind == .option
            valueName = info.valueName ?? ""
            values = info.allValues ?? []
        }
    }

    /// The tree of `Sapro`'s commands.
    static let tree: Node = {
        let json = Data(Sapro._dumpHelp().utf8)
        // The parser's own description of its own commands: decoding it cannot fail short of a
        // broken parser, and then completion offers nothing rather than stopping the REPL.
        guard let info = try? JSONDecoder().decode(ToolInfo.self, from: json) else { return Node(empty: "sapro") }
        return Node(info.command)
    }()

    /// Values from the content, by the value name of the argument or option that takes them.
    nonisolated(unsafe) static var pools: [String: [String]] = [:]

    /// Fills the pools from what the REPL loaded.
    static func load(topicIDs: [String], instanceTypes: [String], generators: [String], blueprints: [String]) {
        // Full ids, and the last part of each (what `read` also accepts).
        let topics = Array(Set(topicIDs + topicIDs.compactMap { $0.split(separator: "/").last.map(String.init) }))
        pools = [
            "topic": topics, "type": instanceTypes, "generator": generators, "blueprint": blueprints,
            "key": Settings.keys.map(\.key),
        ]
    }

    /// The REPL's command names: the tree's visible commands and the REPL's own.
    static var commandNames: [String] {
        tree.subcommands.filter { $0.visible && !REPL.replOnly.contains($0.name) }.map(\.name) + REPL.replOnly
    }

    /// What may complete `word`, the last (possibly empty) word of `line`.
    @Sendable static func candidates(line: String, word: String) -> [String] {
        var words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        if !word.isEmpty, words.last == word { words.removeLast() }
        return offers(after: words).filter { $0.hasPrefix(word) }.sorted()
    }

    /// What may follow the complete words `words`.
    static func offers(after words: [String]) -> [String] {
        guard let first = words.first else { return commandNames }
        if first == "help" {
            return words.count == 1
                ? commandNames : (walk(words.dropFirst()).node?.subcommands.filter(\.visible).map(\.name) ?? [])
        }
        guard let (node, positional, pendingValue) = walk(words[...]).state else { return [] }
        if let pendingValue {
            // The value of an option: its enumerated values, the content's, or the user's own.
            return pendingValue.values.isEmpty ? pools[pendingValue.valueName] ?? [] : pendingValue.values
        }
        var offers = node.subcommands.filter(\.visible).map(\.name)
        var target = node
        if let name = node.defaultSubcommand, let fallback = node.subcommand(name) {
            target = fallback
        }
        offers += target.options.map { $0.names[0] }
        if positional < target.positionals.count || (target.repeatsLastPositional && !target.positionals.isEmpty) {
            let name = target.positionals[min(positional, target.positionals.count - 1)]
            offers += pools[name] ?? []
        }
        return offers
    }

    /// Follows `words` down the tree: the command reached, how many positional values it has
    /// been given, and the option whose value comes next, if any.
    private static func walk(_ words: ArraySlice<String>) -> (node: Node?, state: (Node, Int, Option?)?) {
        var node = tree
        var positional = 0
        var pending: Option?
        for word in words {
            if pending != nil {
                pending = nil
                continue
            }
            if positional == 0, let sub = node.subcommand(word) {
                node = sub
                continue
            }
            if let name = node.defaultSubcommand, let fallback = node.subcommand(name) { node = fallback }
            if word.hasPrefix("--") {
                guard let option = node.option(word) else { continue }
                if option.takesValue { pending = option }
            } else {
                positional += 1
            }
        }
        return (node, (node, positional, pending))
    }
}

// The parts of swift-argument-parser's dump-help JSON (`ToolInfoV0`, serialization version 0)
// that completion reads. Its own types live in a module the package does not export.
private struct ToolInfo: Decodable {
    var command: CommandInfo
}

private struct CommandInfo: Decodable {
    var commandName: String
    var shouldDisplay: Bool = true
    var defaultSubcommand: String?
    var subcommands: [CommandInfo]?
    var arguments: [ArgumentInfo]?

    enum CodingKeys: String, CodingKey { case commandName, shouldDisplay, defaultSubcommand, subcommands, arguments }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        commandName = try c.decode(String.self, forKey: .commandName)
        shouldDisplay = try c.decodeIfPresent(Bool.self, forKey: .shouldDisplay) ?? true
        defaultSubcommand = try c.decodeIfPresent(String.self, forKey: .defaultSubcommand)
        subcommands = try c.decodeIfPresent([CommandInfo].self, forKey: .subcommands)
        arguments = try c.decodeIfPresent([ArgumentInfo].self, forKey: .arguments)
    }
}

private struct ArgumentInfo: Decodable {
    enum Kind: String, Decodable { case positional, option, flag }
    struct Name: Decodable {
        var kind: String
        var name: String
    }
    var kind: Kind
    var shouldDisplay: Bool
    var isRepeating: Bool
    var names: [Name]?
    var valueName: String?
    var allValues: [String]?
}
