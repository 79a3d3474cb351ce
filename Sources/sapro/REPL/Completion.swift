import ArgumentParser
import Foundation
import SaproCore

/// Tab completion: command names, then options, topic ids, instance types and generator names
/// depending on the command.
enum Completion {
    nonisolated(unsafe) static var topicIDs: [String] = []
    nonisolated(unsafe) static var instanceTypes: [String] = []
    nonisolated(unsafe) static var generatorIDs: [String] = []
    nonisolated(unsafe) static var blueprintIDs: [String] = []

    static let options: [String: [String]] = [
        "read": ["--no-subtopics", "--content"],
        "search": ["--limit", "--content"],
        "calc": ["max-pods", "ecs-tasks", "subnet"],
        "max-pods": ["--custom-networking", "--prefix-delegation"],
        "ecs-tasks": ["--trunking"],
        "set": Settings.keys.map(\.key),
        "content": ["check"],
        "drill": ["--limit"],
        "quiz": ["generate", "take", "--topic", "--seed"],
        "generate": ["--count", "--seed", "--topic", "--generator", "--format", "--out"],
        "exam": ["history", "--questions", "--minutes", "--seed"],
        "report": ["--format", "--out", "--since"],
        "srs": ["replay"],
        "--format": ["md", "html", "csv", "json", "gift"],
    ]

    @Sendable static func candidates(line: String, word: String) -> [String] {
        let words = line.split(separator: " ").map(String.init)
        let pool: [String]
        if words.isEmpty {
            pool = REPL.visibleCommandNames
        } else {
            let command = words[0].lowercased()
            let last = words.last!.lowercased()
            switch (command, last) {
            case (_, "--limit"), (_, "--count"), (_, "--seed"), (_, "--questions"), (_, "--minutes"), (_, "--out"), (_, "--since"):
                // A value of the user's own: nothing to offer.
                pool = []
            case ("read", _), ("drill", _), (_, "--topic"):
                // Full ids, and the last part of each (what `read` also accepts).
                let lastParts = topicIDs.compactMap { $0.split(separator: "/").last.map(String.init) }
                pool = Array(Set(topicIDs + lastParts)) + (options[command] ?? [])
            case ("help", _):
                pool = REPL.visibleCommandNames
            case ("calc", "max-pods"), ("calc", "ecs-tasks"):
                pool = instanceTypes
            case ("calc", _) where words.count >= 3:
                pool = options[words[1]] ?? []
            case (_, "--generator"):
                pool = generatorIDs
            case (_, "--format"):
                pool = options["--format"] ?? []
            case ("exam", _) where words.count == 1:
                pool = blueprintIDs + (options["exam"] ?? [])
            case ("quiz", "generate"):
                pool = options["generate"] ?? []
            default:
                pool = options[command] ?? []
            }
        }
        return pool.filter { $0.hasPrefix(word) }.sorted()
    }
}
