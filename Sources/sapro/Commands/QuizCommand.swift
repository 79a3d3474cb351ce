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
    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Generate a quiz as JSON, Markdown or Moodle GIFT.",
            discussion: """
                The same --seed (with the same filters and count) always gives the same quiz. \
                Without --seed a seed is picked and printed to stderr so the quiz can be repeated. \
                Generators: \(Generators.all.map(\.id).joined(separator: ", ")).
                """
        )

        @Option(help: "How many questions.")
        var count: Int

        @Option(help: "Seed for a reproducible quiz (a whole number).")
        var seed: UInt64?

        @Option(name: .customLong("topic"), help: "Keep questions whose topic id starts with this (repeatable).")
        var topics: [String] = []

        @Option(name: .customLong("generator"), help: "Use only this generator (repeatable).")
        var generators: [String] = []

        @Option(help: "Output format: \(QuizFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
        var format: String

        @Option(help: "Write to this file instead of standard output.")
        var out: String?

        func validate() throws {
            guard count >= 1 else { throw ValidationError("--count must be at least 1") }
            guard QuizFormat(rawValue: format) != nil else {
                throw ValidationError("--format must be one of \(QuizFormat.allCases.map(\.rawValue).joined(separator: ", ")), not '\(format)'")
            }
            for id in generators where Generators.named(id) == nil {
                let hint = Fuzzy.closest(to: id, among: Generators.all.map(\.id))
                throw ValidationError("unknown generator '\(id)'" + (hint.isEmpty ? "" : "; did you mean \(hint.joined(separator: ", "))?")
                    + " Known: \(Generators.all.map(\.id).joined(separator: ", ")).")
            }
        }

        func run() throws {
            let seed = self.seed ?? {
                // Small enough to retype; the executable may use the system generator, the core may not.
                let picked = UInt64.random(in: 0...UInt64(UInt32.max))
                FileHandle.standardError.write(Data("seed: \(picked) (repeat with --seed \(picked))\n".utf8))
                return picked
            }()
            let catalog = try QuizContent.catalog()
            let builder = QuizBuilder(catalog: catalog)
            let quiz = try builder.build(count: count, seed: seed, topics: topics, generatorIDs: generators)
            let text = try quiz.render(QuizFormat(rawValue: format)!)
            if let out {
                do {
                    try text.write(toFile: out, atomically: true, encoding: .utf8)
                } catch {
                    throw QuizCommandError.cannotWrite(out, error.localizedDescription)
                }
            } else {
                print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
            }
        }
    }

    struct Take: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Take a quiz saved with `quiz generate --format json`, answering on standard input.",
            discussion: """
                Answers: a number (29), a letter (b), letters (a, c), or an order (3 1 2 4 or c a b d). \
                An answer of the wrong shape is explained and asked again. Works with piped input.
                """
        )

        @Argument(help: "A quiz JSON file.")
        var file: String

        func run() throws {
            let text: String
            do {
                text = try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                throw QuizCommandError.cannotRead(file, error.localizedDescription)
            }
            let quiz = try QuizPaper(json: text)
            var runner = QuizRunner(quiz: quiz)
            runner.run()
        }
    }
}

/// Asks each question on standard output and reads answers from standard input.
private struct QuizRunner {
    let quiz: QuizPaper
    var answered = 0
    var correct = 0

    init(quiz: QuizPaper) {
        self.quiz = quiz
    }

    mutating func run() {
        let total = quiz.questions.count
        for (index, question) in quiz.questions.enumerated() {
            say("")
            say("Question \(index + 1) of \(total)" + (question.primaryTopic.isEmpty ? "" : "  [\(question.primaryTopic)]"))
            say(question.prompt)
            let options = question.body.optionLines
            if !options.isEmpty {
                say("")
                options.forEach { say("  \($0)") }
            }
            say(question.body.answerHint)
            guard let grade = ask(question) else {
                say("")
                say("Stopped after \(answered) of \(total) questions.")
                break
            }
            answered += 1
            if grade.isCorrect == true { correct += 1 }
            say(grade.message)
            if !question.explanation.isEmpty {
                say("Explanation:")
                question.explanation.forEach { say("  \($0)") }
            }
            if let erratum = question.erratum { say("Erratum: \(erratum)") }
        }
        say("")
        let percent = answered == 0 ? 0 : (correct * 100 + answered / 2) / answered
        say("Score: \(correct)/\(answered) (\(percent)%)")
    }

    /// Reads until the answer has the right shape; `nil` at end of input.
    func ask(_ question: Question) -> Grade? {
        if case let .recall(answer) = question.body {
            prompt("Press Enter to reveal the answer. ")
            guard readLine() != nil else { return nil }
            say("Answer: \(answer)")
            while true {
                prompt("How well did you recall it? again, hard, good, easy (1-4): ")
                guard let line = readLine() else { return nil }
                if let rating = SelfRating(parsing: line) { return question.body.grade(rating: rating) }
                say("Please answer again, hard, good or easy (or 1 to 4).")
            }
        }
        while true {
            prompt("> ")
            guard let line = readLine() else { return nil }
            let grade = question.grade(line)
            if case .wrongShape = grade {
                say(grade.message + " Try again.")
                continue
            }
            return grade
        }
    }

    func say(_ text: String) {
        print(text)
    }

    func prompt(_ text: String) {
        print(text, terminator: "")
        // fflush(nil) flushes every stream without touching the C global `stdout`, which Swift 6 rejects.
        fflush(nil)
    }
}

/// Errors from the quiz command's file handling.
enum QuizCommandError: Error, LocalizedError {
    case cannotRead(String, String)
    case cannotWrite(String, String)
    case noContentDirectory(tried: [String])
    case badCatalog(String)

    var errorDescription: String? {
        switch self {
        case let .cannotRead(path, reason): "cannot read \(path): \(reason)"
        case let .cannotWrite(path, reason): "cannot write \(path): \(reason)"
        case let .noContentDirectory(tried):
            "cannot find sapro's Content directory; set SAPRO_SHARE to the folder holding Content/. Tried: \(tried.joined(separator: ", "))"
        case let .badCatalog(message): message
        }
    }
}

/// Finds `Content/` and loads the instance catalog. A stand-in until the shared resource
/// locator lands.
private enum QuizContent {
    static func contentDirectory() throws -> URL {
        let fm = FileManager.default
        var candidates: [URL] = []
        if let share = ProcessInfo.processInfo.environment["SAPRO_SHARE"], !share.isEmpty {
            candidates.append(URL(fileURLWithPath: share).appendingPathComponent("Content"))
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let executableDirectory = (Bundle.main.executableURL?.resolvingSymlinksInPath() ?? executable).deletingLastPathComponent()
        candidates.append(executableDirectory.appendingPathComponent("../share/sapro/Content").standardizedFileURL)
        var directory = executableDirectory
        while directory.path != "/" {
            if fm.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
                candidates.append(directory.appendingPathComponent("Content"))
                break
            }
            directory = directory.deletingLastPathComponent()
        }
        // Sources/sapro/Commands/QuizCommand.swift → repository root.
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(repository.appendingPathComponent("Content"))
        for candidate in candidates {
            var isDirectory: ObjCBool = false
            if fm.fileExists(atPath: candidate.path, isDirectory: &isDirectory), isDirectory.boolValue {
                return candidate
            }
        }
        throw QuizCommandError.noContentDirectory(tried: candidates.map(\.path))
    }

    static func catalog() throws -> InstanceCatalog {
        let file = try contentDirectory().appendingPathComponent("facts/ec2-instance-types.csv")
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw QuizCommandError.cannotRead(file.path, error.localizedDescription)
        }
        return try InstanceCatalog.parse(csv: text, file: file.path)
    }
}
