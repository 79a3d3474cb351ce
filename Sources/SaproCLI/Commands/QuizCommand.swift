import ArgumentParser
import Foundation
import SaproCore

// The command is `Sapro.Quiz`, which hides SaproCore's `Quiz` inside it; this alias names the
// core type from file scope, where no executable type shadows it.
private typealias QuizPaper = Quiz

extension Sapro {
    /// `sapro quiz`: generate printable or importable quizzes, and take a saved one.
    struct Quiz: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "quiz",
            abstract: "Practice quiz (quiz [N] --topic T --seed S); generate or take a saved quiz.",
            subcommands: [Practice.self, Generate.self, Take.self],
            defaultSubcommand: Practice.self
        )
    }
}

extension Sapro.Quiz {
    struct Generate: SaproCommand {
        static let configuration = CommandConfiguration(
            commandName: "generate",
            abstract: "Generate a quiz as JSON, Markdown or Moodle GIFT.",
            discussion: """
                The same --seed (with the same filters and count) always gives the same quiz. \
                Without --seed a seed is picked and printed to stderr so the quiz can be repeated. \
                Generators: \(Generators.all.map(\.id).joined(separator: ", ")).
                """
        )

        @Option(help: "How many questions (not with --blueprint).")
        var count: Int?

        @Option(
            help:
                "Write the sitting that 'exam BLUEPRINT --seed S' presents, each item with its domain, kind and whether it is scored."
        )
        var blueprint: String?

        @Option(help: "Seed for a reproducible quiz (a whole number).")
        var seed: UInt64?

        @Option(
            name: .customLong("topic"), help: "Keep questions on this topic (an id, its last part, or an id prefix; repeatable).")
        var topics: [String] = []

        @Option(name: .customLong("generator"), help: "Use only this generator (repeatable).")
        var generators: [String] = []

        @Option(help: "Output format.")
        var format: QuizFormat

        @Option(help: "Write to this file instead of standard output.")
        var out: String?

        @OptionGroup var content: ContentOptions

        func validate() throws {
            try OptionRange.check(count, 1...10_000_000, "--count")
            if blueprint == nil, count == nil { throw ValidationError("give --count N, or --blueprint B for an exam form") }
            if blueprint != nil, count != nil || !topics.isEmpty || !generators.isEmpty {
                throw ValidationError("--blueprint draws the exam's own form: it takes no --count, --topic or --generator")
            }
            for id in generators where Generators.named(id) == nil {
                let hint = Fuzzy.closest(to: id, among: Generators.all.map(\.id))
                throw ValidationError(
                    "unknown generator '\(id)'" + (hint.isEmpty ? "" : "; did you mean \(hint.joined(separator: ", "))?")
                        + " Known: \(Generators.all.map(\.id).joined(separator: ", ")).")
            }
        }

        func run(in context: RunContext) throws {
            let seed =
                self.seed
                ?? {
                    // Small enough to retype; the executable may use the system generator, the core may not.
                    let picked = UInt64.random(in: 0...UInt64(UInt32.max))
                    FileHandle.standardError.write(Data("seed: \(picked) (repeat with --seed \(picked))\n".utf8))
                    return picked
                }()
            let loaded = try content.load(in: context)
            // A topic's last part or id, as `quiz --topic` and `read` take it; else an id prefix.
            let topics = self.topics.map { (try? loaded.library.resolve($0).id) ?? $0 }
            let bank =
                Resources.quizzesDirectory().map {
                    QuizLoader.load(directory: $0, knownTopics: Set(loaded.library.topicIDs)).questions
                } ?? []
            let cards = ContentCards.make(from: loaded.library)
            if let blueprint {
                let quizzes = Resources.quizzesDirectory().map {
                    QuizLoader.load(directory: $0, knownTopics: Set(loaded.library.topicIDs))
                }
                guard let plan = quizzes?.blueprint(blueprint) else {
                    let names = quizzes?.blueprints.map(\.id) ?? []
                    let near = Fuzzy.closest(to: blueprint, among: names)
                    throw fail(
                        "unknown blueprint '\(blueprint)'\(near.isEmpty ? "" : "; did you mean \(near.joined(separator: ", "))?") (known: \(names.joined(separator: ", ")))"
                    )
                }
                let form = Exam.form(plan, bank: bank, cards: cards, catalog: loaded.catalog, seed: seed)
                try emit(Quiz(seed: seed, questions: form.questions, unscored: form.unscored))
                return
            }
            let count = count ?? 1
            let builder = QuizBuilder(catalog: loaded.catalog, cards: cards, bank: bank)
            guard format == .json else {
                // Markdown and GIFT put the answer key after every question: they need the whole quiz.
                try emit(try reporting { try builder.build(count: count, seed: seed, topics: topics, generatorIDs: generators) })
                return
            }
            try Self.streamJSON(builder, count: count, seed: seed, topics: topics, generators: generators, to: out)
        }

        /// A whole quiz in `format`, to `--out` or standard output.
        private func emit(_ quiz: Quiz) throws {
            if let out {
                try reporting { try quiz.write(format, toFile: out) }
            } else {
                let text = try quiz.render(format)
                print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
            }
        }

        /// JSON is written as it is built (`QuizBuilder.writeJSON`). On standard output, an error
        /// after the first batch leaves the JSON unfinished (the exit status says so); a file is
        /// only put in place when complete.
        private static func streamJSON(
            _ builder: QuizBuilder, count: Int, seed: UInt64, topics: [String], generators: [String], to out: String?
        ) throws {
            let file = try reporting { try out.map(OutputFile.init(path:)) ?? OutputFile.standardOutput() }
            do {
                try builder.writeJSON(count: count, seed: seed, topics: topics, generatorIDs: generators, to: file)
            } catch {
                file.discard()
                switch error {
                case .quiz(let quiz): throw fail(quiz.localizedDescription)
                case .write(let write): throw fail(write.localizedDescription)
                }
            }
            try reporting { try file.commit() }
        }
    }

    struct Take: SaproCommand {
        static let configuration = CommandConfiguration(
            commandName: "take",
            abstract: "Take a quiz saved with `quiz generate --format json`, answering on standard input.",
            discussion: """
                Answers: a number (29), a letter (b), letters (a, c), or an order (3 1 2 4 or c a b d). \
                An answer of the wrong shape is explained and asked again. Works with piped input.
                """
        )

        @Argument(help: "A quiz JSON file.")
        var file: String

        @OptionGroup var data: DataOptions

        func run(in context: RunContext) throws {
            let text: String
            do {
                // A quiz of the largest size `quiz generate` writes is about 2 GB; a file to take
                // at the terminal is far smaller, and a bigger one is refused before it is read.
                let size = (try FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.intValue ?? 0
                guard size <= 256 << 20 else {
                    throw QuizCommandError.cannotRead(file, "it is \(size >> 20) MiB; a quiz file to take is at most 256 MiB")
                }
                text = try String(contentsOfFile: file, encoding: .utf8)
            } catch let error as QuizCommandError {
                throw error
            } catch {
                throw QuizCommandError.cannotRead(file, error.localizedDescription)
            }
            let quiz = try QuizPaper(json: text)
            QuizRunner(quiz: quiz, app: try context.app(data: data, content: ContentOptions.defaults())).run()
        }
    }
}

/// Asks each question with the same loop as drills and scores the quiz; nothing is scheduled.
private struct QuizRunner {
    let quiz: QuizPaper
    let app: App

    func run() {
        let total = quiz.questions.count
        // A quiz file is scored, not recorded: the reviews `take` makes are not kept.
        var run = PracticeQuiz(id: "quiz-file", questions: quiz.questions, started: Date())
        var interrupts = InterruptTracker()
        loop: while let question = run.current {
            let index = run.index
            let asker = QuestionLoop(app: app)
            let outcome = asker.ask(question, header: "Question \(index + 1) of \(total)  [\(question.primaryTopic)]")
            if interrupts.leaves(after: outcome) {
                print("Stopped after \(index) of \(total) questions.")
                break loop
            }
            switch outcome {
            case .answered(let grade, let input, let seconds, _):
                _ = run.take(.answered(grade, input: input, seconds: seconds), at: Date(), day: "")
                print(asker.feedback(question, grade: grade, input: input))
            case .explained(let seconds):
                _ = run.take(.explained(seconds: seconds), at: Date(), day: "")
            case .skipped, .interrupted, .undo:
                _ = run.take(.skipped, at: Date(), day: "")
            case .quit, .endOfInput:
                print("")
                print("Stopped after \(index) of \(total) questions.")
                break loop
            }
        }
        print("")
        print("Score: \(run.scoreLine)")
    }
}

/// Errors from the quiz command's file handling.
enum QuizCommandError: Error, LocalizedError {
    case cannotRead(String, String)

    var errorDescription: String? {
        switch self {
        case let .cannotRead(path, reason): "cannot read \(path): \(reason)"
        }
    }
}

// The format names are `QuizFormat`'s cases: help, validation and completion all come from them.
extension QuizFormat: ExpressibleByArgument {}
