import ArgumentParser
import Foundation
import SaproCore

/// Prints `message` as an error and fails the command with exit status 1.
func fail(_ message: String) -> ExitCode {
    Terminal.warn("error: \(message)")
    return ExitCode.failure
}

/// Runs `body`, turning a LocalizedError into a clear one-line message and exit status 1.
@discardableResult
func reporting<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as ExitCode {
        throw error
    } catch let error as ValidationError {
        throw error
    } catch let error as LocalizedError {
        throw fail(error.errorDescription ?? "\(error)")
    }
}

struct Topics: SaproCommand {
    static let configuration = CommandConfiguration(
        commandName: "topics", abstract: "Show the topic tree of the content library.")
    @OptionGroup var content: ContentOptions

    func run(in context: RunContext) throws {
        let loaded = try content.load(in: context)
        print(TerminalRenderer(color: Terminal.colorEnabled()).renderTree(loaded.library), terminator: "")
    }
}

struct Read: SaproCommand {
    static let configuration = CommandConfiguration(
        commandName: "read",
        abstract: "Read one section: tables aligned, code framed, errata shown.",
        discussion: "TOPIC is a topic id from 'sapro topics', or its last part (e.g. host-mode).")
    @Argument(help: "The topic to read.") var topic: String
    @Flag(name: .customLong("no-subtopics"), help: "Show only this section, not the sections under it.")
    var noSubtopics = false
    @OptionGroup var content: ContentOptions

    func run(in context: RunContext) throws {
        let loaded = try content.load(in: context)
        let found = try reporting { try loaded.library.resolve(topic) }
        let others = loaded.library.alsoNamed(topic, besides: found.id)
        if !others.isEmpty { Terminal.warn("also in: " + others.map { "\($0.id) (\($0.location))" }.joined(separator: ", ")) }
        let renderer = TerminalRenderer(width: Terminal.width(), color: Terminal.colorEnabled())
        print(renderer.render(topicID: found.id, in: loaded.library, withSubtopics: !noSubtopics), terminator: "")
    }
}

struct Search: SaproCommand {
    static let configuration = CommandConfiguration(
        commandName: "search", abstract: "Search the content; ranked matches with their topics.")
    @Argument(help: "Words to look for.") var words: [String]
    @Option(help: "Show at most N matches.") var limit = 10
    @OptionGroup var content: ContentOptions

    func validate() throws {
        guard !words.joined().trimmingWhitespace().isEmpty else {
            throw ValidationError("give at least one word to search for")
        }
        try OptionRange.check(limit, 1...1000, "--limit")
    }

    func run(in context: RunContext) throws {
        let loaded = try content.load(in: context)
        let hits = SearchIndex(library: loaded.library).search(words.joined(separator: " "), limit: limit)
        if hits.isEmpty {
            print("No matches for '\(words.joined(separator: " "))'.")
            return
        }
        let style = Terminal.colorEnabled()
        for (i, hit) in hits.enumerated() {
            let id = style ? "\u{1B}[36m\(hit.topicID)\u{1B}[0m" : hit.topicID
            print("\(i + 1). \(hit.title)  \(id)  (\(hit.location))")
            let snippet = hit.snippet.count > 100 ? String(hit.snippet.prefix(97)) + "…" : hit.snippet
            print("   \(snippet)")
        }
    }
}

struct ContentGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "content", abstract: "Work with the content library.", subcommands: [Check.self, Stats.self])

    struct Stats: SaproCommand {
        static let configuration = CommandConfiguration(
            commandName: "stats",
            abstract: "Per document: topics, cards by kind, and the cards left out and why.",
            discussion:
                "Without DIR: the shipped library and any --content folders. --cards lists every card (id, question, answer) and every card left out with its reason."
        )
        @Argument(help: "Show the documents in DIR instead of the shipped ones.")
        var directory: String?
        @Flag(help: "List each card and each card left out.") var cards = false
        @Flag(help: "Print JSON instead of a table.") var json = false
        @OptionGroup var content: ContentOptions

        func run(in context: RunContext) throws {
            let options = content.replacingShipped(with: directory)
            let loaded = try options.load(in: context, quiet: true)
            let yield = ContentCards.build(from: loaded.library)
            var stats = ContentStats.make(library: loaded.library, yield: yield)
            // A file that gave no topic at all (empty, not UTF-8) is listed with why.
            let listed = Set(stats.map(\.file))
            var why: [String: String] = [:]
            for problem in loaded.problems where !listed.contains(problem.location.file) && problem.location.file.hasSuffix(".md")
            {
                if why[problem.location.file] == nil {
                    why[problem.location.file] = problem.message
                    stats.append(DocumentStats(file: problem.location.file, topics: 0, cards: [:], dropped: [:]))
                }
            }
            if json {
                struct Output: Encodable {
                    var documents: [DocumentStats]
                    var problems: [String]
                    var cards: [Card]?
                    var dropped: [DroppedCard]?
                }
                struct Card: Encodable {
                    var id, kind, prompt, answer: String
                }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                let output = Output(
                    documents: stats, problems: loaded.problems.map(\.description),
                    cards: cards
                        ? yield.cards.map {
                            Card(id: $0.id, kind: $0.kind.rawValue, prompt: $0.prompt, answer: $0.expectedAnswer)
                        }
                        : nil,
                    dropped: cards ? yield.dropped : nil)
                print(String(decoding: try encoder.encode(output), as: UTF8.self))
                return
            }
            let kinds = QuestionKind.allCases.map(\.rawValue)
            let header = ["document", "topics", "cards"] + kinds + ["left out"]
            var rows = stats.map { doc in
                [doc.file, "\(doc.topics)", "\(doc.cardCount)"] + kinds.map { "\(doc.cards[$0] ?? 0)" } + ["\(doc.droppedCount)"]
            }
            rows.append(
                ["total", "\(stats.reduce(0) { $0 + $1.topics })", "\(yield.cards.count)"]
                    + kinds.map { kind in "\(stats.reduce(0) { $0 + ($1.cards[kind] ?? 0) })" } + ["\(yield.dropped.count)"])
            let widths = header.indices.map { i in ([header] + rows).map { TextWidth.of($0[i]) }.max() ?? 0 }
            func line(_ cells: [String]) -> String {
                cells.enumerated().map { i, cell in
                    let pad = String(repeating: " ", count: widths[i] - TextWidth.of(cell))
                    return i == 0 ? cell + pad : pad + cell
                }.joined(separator: "  ")
            }
            print(line(header))
            for row in rows { print(line(row)) }
            for doc in stats where doc.droppedCount > 0 || why[doc.file] != nil || doc.cardCount == 0 {
                var reasons = doc.dropped.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                    .map { "\($0.value) \($0.key)" }
                if let problem = why[doc.file] { reasons.insert(problem, at: 0) }
                if doc.cardCount == 0 && reasons.isEmpty {
                    reasons = ["no labelled facts, tables, steps, trees or questions to make cards from"]
                }
                print("\(doc.file): \(reasons.joined(separator: "; "))")
            }
            if cards {
                var byFile: [String: [String]] = [:]
                let fileOfTopic = Dictionary(
                    loaded.library.topics.map { ($0.id, $0.location.file) }, uniquingKeysWith: { a, _ in a })
                for card in yield.cards {
                    let file = card.topics.first.flatMap { fileOfTopic[$0] } ?? ""
                    let prompt = card.prompt.split(separator: "\n").first.map(String.init) ?? ""
                    byFile[file, default: []].append(
                        "  \(card.id)  [\(card.kind.rawValue)]\n    \(prompt)\n    → \(card.expectedAnswer.replacingOccurrences(of: "\n", with: " "))"
                    )
                }
                for card in yield.dropped {
                    byFile[card.location.file, default: []].append(
                        "  \(card.id)  [left out: \(card.reason.rawValue)]\n    \(card.prompt.split(separator: "\n").first.map(String.init) ?? "")"
                    )
                }
                for doc in stats where byFile[doc.file] != nil {
                    print("")
                    print("\(doc.file):")
                    for entry in byFile[doc.file]! { print(entry) }
                }
            }
        }
    }

    struct Check: SaproCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Validate documents, errata, facts, question banks and generated questions.",
            discussion:
                "Each problem is printed as file:line: message (generator ID seed S: message for the first 200 questions of each generator). Exit status 1 if there is any."
        )
        @Argument(help: "Check the documents in DIR instead of the shipped ones.")
        var directory: String?
        @Option(
            name: .customLong("quizzes"),
            help: ArgumentHelp("Check the banks and blueprints in DIR instead of the shipped ones.", valueName: "DIR"))
        var quizzes: String?
        @OptionGroup var content: ContentOptions

        func run(in context: RunContext) throws {
            let options = content.replacingShipped(with: directory)
            // Banks name topics: check them against the shipped library plus whatever DIR adds.
            let loaded = try options.load(in: context, quiet: true)
            var topics = Set(loaded.library.topicIDs)
            if directory != nil { topics.formUnion(try content.load(in: context, quiet: true).library.topicIDs) }
            var problems = loaded.problems.map(\.description)
            let quizDir = quizzes.map { URL(fileURLWithPath: $0) } ?? (directory == nil ? Resources.quizzesDirectory() : nil)
            if let quizDir {
                let shown = quizzes ?? "Quizzes"
                let catalog = QuizLoader.load(directory: quizDir, knownTopics: topics)
                problems += catalog.problems.map { problem in
                    var p = problem
                    p.file = shown.hasSuffix("/") ? shown + p.file : shown + "/" + p.file
                    return p.description
                }
            }
            if directory == nil {
                // What the generators write is content too: a sample of each is held to the same text rules.
                problems += GeneratorLint.problems(catalog: GeneratorCatalog(loaded.catalog))
            }
            for problem in problems { print(problem) }
            let summary = "\(problems.count) problem\(problems.count == 1 ? "" : "s") in \(loaded.library.topics.count) topics"
            Terminal.warn(summary)
            if !problems.isEmpty { throw ExitCode.failure }
        }
    }
}
