import ArgumentParser
import Foundation
import SaproCore

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Export sapro's questions for other tools.", subcommands: [Anki.self])

    struct Anki: SaproCommand {
        static let configuration = CommandConfiguration(
            commandName: "anki",
            abstract: "Write an Anki package (.apkg): the content cards, bank questions and generated questions.",
            discussion: """
                One deck per document with a subdeck per topic; note types for recall, choice and ordering \
                questions with the answer, the explanation, any correction and the source on the back. Note \
                ids and guids come from sapro's ids, so a later export imports as updates, not duplicates.
                """)

        @Option(help: "The package to write.") var out = "sapro.apkg"
        @Option(help: "Only questions on this topic (an id or its last part); may be repeated.") var topic: [String] = []
        @Option(help: "Fresh questions from each generator, from 0 to 1000.") var generated = 20
        @Flag(help: "Replace an existing file.") var force = false
        @Flag(
            help:
                "Carry each card's state, due date, FSRS memory and review history (Anki keeps it only with \"Import any learning progress\" ticked)."
        )
        var withProgress = false
        @OptionGroup var data: DataOptions
        @OptionGroup var content: ContentOptions

        func validate() throws {
            try OptionRange.check(generated, 0...1000, "--generated")
            guard out.hasSuffix(".apkg") else {
                throw ValidationError("--out must end in .apkg (a .colpkg would replace the learner's whole collection)")
            }
        }

        func run(in context: RunContext) throws {
            let app = try context.app(data: data, content: content)
            let url = URL(fileURLWithPath: out)
            if FileKind.of(url.path) != .missing && !force {
                throw fail(AnkiExportError.exists(file: out).localizedDescription)
            }
            var questions = app.cards + app.quizzes.questions
            for generator in Generators.all {
                for seed in 1...max(generated, 1) where generated > 0 {
                    if let q = try? generator.generate(catalog: app.content.catalog, seed: UInt64(seed)) { questions.append(q) }
                }
            }
            if !topic.isEmpty {
                let scopes = try topic.map { try app.topicScope(app.topicID($0) ?? $0) }
                questions = questions.filter { q in q.topics.contains { t in scopes.contains { $0.contains(t) } } }
            }
            var notes = AnkiExport.notes(questions)
            let now = Date()
            let dayStart = app.startOfDay(app.day(now))!.addingTimeInterval(-86_400 + 4 * 3600)
            var reviews = 0
            if withProgress {
                let store = try app.openStore()
                let log = try reporting { try store.compactReviewLog(details: true) }
                let progress = AnkiExport.Progress(
                    cards: store.cards, log: log, scheduler: try app.scheduler().fsrs, dayStart: dayStart)
                AnkiExport.attach(progress, to: &notes)
                reviews = notes.reduce(0) { $0 + $1.revlog.count }
            }
            try reporting { try AnkiPackage.write(notes, to: url, now: now, dayStart: dayStart) }
            print(
                "Wrote \(out): \(notes.count) notes in \(Set(notes.map(\.deck)).count) decks"
                    + (withProgress
                        ? ", \(notes.filter { $0.schedule != nil }.count) with progress and \(reviews) reviews." : "."))
            if withProgress {
                print(
                    "In Anki: File > Import and tick \"Import any learning progress\", or Anki drops the progress. With FSRS on, Anki "
                        + "recomputes stability from the review log with its own day counting.")
            }
            print("A later export of the same questions updates their text in Anki; it never changes schedules there.")
        }
    }
}
