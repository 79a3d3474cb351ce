import Foundation

/// Everything in a quiz directory: bank questions, exam blueprints, and every problem found.
public struct QuizCatalog: Sendable, Hashable {
    /// Well-formed bank questions, by file name then file order.
    public var questions: [Question]
    /// Well-formed blueprints, by file name.
    public var blueprints: [Blueprint]
    /// Every problem, by file name then line.
    public var problems: [BankProblem]

    /// A catalog holding the given parts.
    public init(questions: [Question] = [], blueprints: [Blueprint] = [], problems: [BankProblem] = []) {
        self.questions = questions
        self.blueprints = blueprints
        self.problems = problems
    }

    /// The blueprint with `id`, if any.
    public func blueprint(_ id: String) -> Blueprint? { blueprints.first { $0.id == id } }
}

/// Checks and loads the `Quizzes/` directory: `*.md` files except `README.md` are banks,
/// `*.blueprint` files are blueprints.
public enum QuizLoader {
    /// The file-name suffix of blueprints.
    public static let blueprintExtension = "blueprint"

    /// Parses already-read files; a pure function, for tests and for callers that read files
    /// their own way. Files are taken in name order so results are deterministic.
    public static func check(_ files: [QuizFile], knownTopics: Set<String>) -> QuizCatalog {
        let sorted = files.sorted { $0.name < $1.name }
        let banks = sorted.filter(isBank)
        let bankResult = BankParser(knownTopics: knownTopics).parse(banks)
        var catalog = QuizCatalog(questions: bankResult.questions, problems: bankResult.problems)
        let blueprintParser = BlueprintParser(knownTopics: knownTopics)
        for file in sorted where isBlueprint(file) {
            let result = blueprintParser.parse(file)
            catalog.problems += result.problems
            if let blueprint = result.blueprint { catalog.blueprints.append(blueprint) }
        }
        catalog.problems = catalog.problems.enumerated()
            .sorted { ($0.element.file, $0.offset) < ($1.element.file, $1.offset) }
            .map(\.element)
        return catalog
    }

    /// Reads every bank and blueprint file directly in `directory` and checks them.
    /// A file that cannot be read becomes a problem; a missing directory is one problem.
    public static func load(directory: URL, knownTopics: Set<String>) -> QuizCatalog {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            return QuizCatalog(problems: [
                BankProblem(
                    file: directory.lastPathComponent, line: nil,
                    issue: .unreadable(reason: error.localizedDescription))
            ])
        }
        var files: [QuizFile] = []
        var problems: [BankProblem] = []
        for name in names.sorted() {
            let probe = QuizFile(name: name, text: "")
            guard isBank(probe) || isBlueprint(probe) else { continue }
            let url = directory.appendingPathComponent(name)
            do {
                let data = try Data(contentsOf: url)
                guard let text = String(data: data, encoding: .utf8) else {
                    problems.append(BankProblem(file: name, line: nil, issue: .unreadable(reason: "not UTF-8 text")))
                    continue
                }
                files.append(QuizFile(name: name, text: text))
            } catch {
                problems.append(BankProblem(file: name, line: nil, issue: .unreadable(reason: error.localizedDescription)))
            }
        }
        var catalog = check(files, knownTopics: knownTopics)
        catalog.problems = (problems + catalog.problems).enumerated()
            .sorted { ($0.element.file, $0.offset) < ($1.element.file, $1.offset) }
            .map(\.element)
        return catalog
    }

    static func isBank(_ file: QuizFile) -> Bool {
        file.name.hasSuffix(".md") && file.name.lowercased() != "readme.md" && !file.name.hasPrefix(".")
    }

    static func isBlueprint(_ file: QuizFile) -> Bool {
        file.name.hasSuffix("." + blueprintExtension) && !file.name.hasPrefix(".")
    }
}
