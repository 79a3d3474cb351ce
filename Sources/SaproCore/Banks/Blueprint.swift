import Foundation

/// Where an exam's questions come from.
public enum ExamSource: String, Sendable, Hashable, Codable, CodingKeyRepresentable, CaseIterable {
    /// Hand-written bank questions (`Quizzes/*.md`).
    case bank
    /// Seeded scenario generators.
    case generators
    /// Cards derived from the content library.
    case cards

    static var allNames: [String] { allCases.map(\.rawValue) }
}

/// A share of the exam given to every topic whose id is `topic` or starts with `topic/`.
public struct TopicWeight: Sendable, Hashable, Codable {
    /// A content topic id, used as a prefix.
    public var topic: String
    /// Percent of the exam's questions, 0...100.
    public var percent: Int

    /// `percent` of the exam for `topic` and its descendants.
    public init(topic: String, percent: Int) {
        self.topic = topic
        self.percent = percent
    }

    /// Whether `topicID` is this topic or one of its descendants.
    public func covers(_ topicID: String) -> Bool {
        topicID == topic || topicID.hasPrefix(topic + "/")
    }
}

/// An exam's shape: how many questions, how long, the pass mark, which topics and which sources.
///
/// Parsed from a `*.blueprint` file in `Quizzes/` (format in `Quizzes/README.md`).
public struct Blueprint: Sendable, Hashable, Codable {
    /// The lowest and highest scaled scores, as on AWS exams.
    public static var scoreRange: ClosedRange<Int> { ScaledScore.range }

    /// The file name without its extension, e.g. `container-networking`.
    public var id: String
    /// The `# ` heading or `title:` field; the id when neither is given.
    public var title: String
    /// Scored questions in one sitting.
    public var questionCount: Int
    /// Time allowed.
    public var minutes: Int
    /// The lowest passing scaled score, within `scoreRange`.
    public var passMark: Int
    /// Topic shares in file order; they add up to 100 and do not overlap.
    public var weights: [TopicWeight]
    /// Percent of questions from each source; they add up to 100. Absent sources are 0.
    public var sources: [ExamSource: Int]
    /// Unscored questions added to the scored ones, drawn from the same pool, not identified to
    /// the candidate and left out of the score (SAP-C02: 10 of 75).
    public var unscored: Int
    /// SAP-C02 domain shares in percent, adding up to 100; empty for a blueprint without domains.
    /// With domains, a sitting holds only exam-shaped items (single answer of 4, or choose N of 5+).
    public var domains: [ExamDomain: Int]

    /// A blueprint with every part given.
    public init(
        id: String, title: String, questionCount: Int, minutes: Int, passMark: Int,
        weights: [TopicWeight], sources: [ExamSource: Int], unscored: Int = 0, domains: [ExamDomain: Int] = [:]
    ) {
        self.id = id
        self.title = title
        self.questionCount = questionCount
        self.minutes = minutes
        self.passMark = passMark
        self.weights = weights
        self.sources = sources
        self.unscored = unscored
        self.domains = domains
    }

    /// Items in one sitting: the scored ones and the unscored ones.
    public var itemCount: Int { questionCount + unscored }

    /// How many of `total` items each domain gets (largest remainder, domains in exam order).
    public func questionsPerDomain(_ total: Int) -> [(domain: ExamDomain, count: Int)] {
        let order = ExamDomain.allCases
        let counts = Self.apportion(total, by: order.map { domains[$0] ?? 0 })
        return zip(order, counts).map { ($0, $1) }
    }

    /// The weight whose prefix covers `topicID`, if any.
    public func weight(for topicID: String) -> TopicWeight? {
        weights.first { $0.covers(topicID) }
    }

    /// How many of `questionCount` questions each weighted topic gets, in file order.
    /// Largest-remainder rounding: the counts always add up to `questionCount`, and ties go to
    /// the topic listed first.
    public func questionsPerTopic() -> [(topic: String, count: Int)] {
        let counts = Self.apportion(questionCount, by: weights.map(\.percent))
        return zip(weights, counts).map { ($0.topic, $1) }
    }

    /// How many of `questionCount` questions each source gives, by the same rounding.
    public func questionsPerSource() -> [ExamSource: Int] {
        let cases = ExamSource.allCases
        let counts = Self.apportion(questionCount, by: cases.map { sources[$0] ?? 0 })
        return Dictionary(uniqueKeysWithValues: zip(cases, counts))
    }

    /// The scaled score (100–1000) for `correct` right answers out of `total` (see `ScaledScore`).
    public func scaledScore(correct: Int, outOf total: Int) -> Int {
        ScaledScore.of(correct: correct, outOf: total)
    }

    /// Whether a scaled score reaches the pass mark.
    public func passes(scaledScore: Int) -> Bool { scaledScore >= passMark }

    /// Splits `total` in proportion to `percents` (which add up to 100), largest remainder first.
    static func apportion(_ total: Int, by percents: [Int]) -> [Int] {
        let sum = percents.reduce(0, +)
        guard sum > 0 else { return percents.map { _ in 0 } }
        var counts = percents.map { total * $0 / sum }
        let remainders = percents.map { total * $0 % sum }
        let left = total - counts.reduce(0, +)
        let ranked = percents.indices.sorted { (remainders[$1], $0) < (remainders[$0], $1) }
        for index in ranked.prefix(left) { counts[index] += 1 }
        return counts
    }
}

/// What parsing a blueprint file produced.
public struct BlueprintParseResult: Sendable, Hashable {
    /// The blueprint, or `nil` when it has problems.
    public var blueprint: Blueprint?
    /// Every problem found, by line.
    public var problems: [BankProblem]

    /// A result holding `blueprint` and `problems`.
    public init(blueprint: Blueprint?, problems: [BankProblem]) {
        self.blueprint = blueprint
        self.problems = problems
    }

    /// The blueprint, or every problem as a `BankError`.
    public func get() throws(BankError) -> Blueprint {
        guard let blueprint, problems.isEmpty else { throw .problems(problems) }
        return blueprint
    }
}

/// Parses exam blueprint files. Like `BankParser`, it is handed text and never reads files.
public struct BlueprintParser: Sendable {
    /// Content topic ids that weights may name.
    public var knownTopics: Set<String>

    /// A parser that accepts weights on the topic ids in `knownTopics`.
    public init(knownTopics: Set<String>) {
        self.knownTopics = knownTopics
    }

    static let fieldNames = ["title", "questions", "unscored", "minutes", "pass"]
    static let sectionNames = ["weights", "sources", "domains"]

    /// Parses one blueprint; `file.name` without its extension becomes the blueprint's id.
    public func parse(_ file: QuizFile) -> BlueprintParseResult {
        var problems: [BankProblem] = []
        func report(_ line: Int?, _ issue: BankIssue) {
            problems.append(BankProblem(file: file.name, line: line, issue: issue))
        }

        var title: String?
        var fields: [String: (line: Int, value: String)] = [:]
        var section: String?
        var sectionLines: [String: Int] = [:]
        var weights: [(line: Int, weight: TopicWeight)] = []
        var sources: [ExamSource: (line: Int, percent: Int)] = [:]
        var domains: [ExamDomain: (line: Int, percent: Int)] = [:]
        var inComment = false

        for line in SourceLine.split(file.text) {
            let text = line.text.trimmingWhitespace()
            if inComment {
                if text.contains("-->") { inComment = false }
                continue
            }
            if text.hasPrefix("<!--") {
                if !text.contains("-->") { inComment = true }
                continue
            }
            if text.isEmpty { continue }
            if text.hasPrefix("## ") {
                let name = text.dropFirst(3).trimmingWhitespace().lowercased()
                if Self.sectionNames.contains(name) {
                    section = name
                    sectionLines[name] = sectionLines[name] ?? line.number
                } else {
                    section = "?"
                    report(line.number, .unknownSection(name, suggestions: Fuzzy.closest(to: name, among: Self.sectionNames)))
                }
                continue
            }
            if text.hasPrefix("# ") && section == nil && title == nil {
                title = text.dropFirst(2).trimmingWhitespace()
                continue
            }
            guard let colon = text.firstIndex(of: ":") else {
                report(line.number, .malformedEntry(text))
                continue
            }
            let name = text[..<colon].trimmingWhitespace()
            let value = text[text.index(after: colon)...].trimmingWhitespace()
            switch section {
            case nil:
                let key = name.lowercased()
                if !Self.fieldNames.contains(key) {
                    report(line.number, .unknownField(key, suggestions: Fuzzy.closest(to: key, among: Self.fieldNames)))
                } else if let first = fields[key] {
                    report(line.number, .duplicateField(key, firstLine: first.line))
                } else {
                    fields[key] = (line.number, value)
                }
            case "weights"?:
                guard let percent = Self.percent(value) else {
                    report(line.number, .notAWholeNumber(field: name, value: value))
                    continue
                }
                if !knownTopics.contains(name) {
                    report(
                        line.number, .unknownWeightTopic(name, suggestions: Fuzzy.closest(to: name, among: knownTopics.sorted())))
                } else if let first = weights.first(where: { $0.weight.topic == name }) {
                    report(line.number, .duplicateWeight(name, firstLine: first.line))
                    continue
                }
                weights.append((line.number, TopicWeight(topic: name, percent: percent)))
            case "sources"?:
                guard let source = ExamSource(rawValue: name.lowercased()) else {
                    report(
                        line.number,
                        .unknownSource(name, suggestions: Fuzzy.closest(to: name.lowercased(), among: ExamSource.allNames)))
                    continue
                }
                guard let percent = Self.percent(value) else {
                    report(line.number, .notAWholeNumber(field: name, value: value))
                    continue
                }
                if let first = sources[source] {
                    report(line.number, .duplicateSource(source.rawValue, firstLine: first.line))
                } else {
                    sources[source] = (line.number, percent)
                }
            case "domains"?:
                let names = ExamDomain.allCases.map(\.rawValue)
                guard let domain = ExamDomain(rawValue: name.lowercased()) else {
                    report(line.number, .unknownDomain(name, suggestions: Fuzzy.closest(to: name.lowercased(), among: names)))
                    continue
                }
                guard let percent = Self.percent(value) else {
                    report(line.number, .notAWholeNumber(field: name, value: value))
                    continue
                }
                if let first = domains[domain] {
                    report(line.number, .duplicateSource(domain.rawValue, firstLine: first.line))
                } else {
                    domains[domain] = (line.number, percent)
                }
            default:
                continue  // entries under an unknown section: already reported once
            }
        }

        func count(_ name: String, range: ClosedRange<Int>? = nil) -> Int? {
            guard let field = fields[name] else {
                report(nil, .missingBlueprintField(name))
                return nil
            }
            guard let value = Int(field.value), value > 0 else {
                report(field.line, .notAWholeNumber(field: name, value: field.value))
                return nil
            }
            if let range, !range.contains(value) {
                report(field.line, .passMarkOutOfRange(value))
                return nil
            }
            return value
        }
        let questionCount = count("questions")
        let minutes = count("minutes")
        let passMark = count("pass", range: Blueprint.scoreRange)
        if let explicit = fields["title"] { title = explicit.value }
        var unscored = 0
        if let field = fields["unscored"] {
            if let value = Int(field.value), (0...500).contains(value) {
                unscored = value
            } else {
                report(field.line, .notAWholeNumber(field: "unscored", value: field.value))
            }
        }
        if let line = sectionLines["domains"] {
            let sum = domains.values.map(\.percent).reduce(0, +)
            if sum != 100 { report(line, .domainsDoNotSumTo100(sum)) }
        }

        if weights.isEmpty {
            report(sectionLines["weights"], .noWeights)
        } else {
            let sum = weights.map(\.weight.percent).reduce(0, +)
            if sum != 100 { report(sectionLines["weights"], .weightsDoNotSumTo100(sum)) }
            for entry in weights {
                if let outer = weights.first(where: {
                    $0.weight.topic != entry.weight.topic && entry.weight.topic.hasPrefix($0.weight.topic + "/")
                }) {
                    report(entry.line, .overlappingWeights(entry.weight.topic, inside: outer.weight.topic, line: outer.line))
                }
            }
        }
        if let line = sectionLines["sources"] {
            let sum = sources.values.map(\.percent).reduce(0, +)
            if sum != 100 { report(line, .sourcesDoNotSumTo100(sum)) }
        } else {
            report(nil, .missingSources)
        }

        let id = file.name.split(separator: ".").first.map(String.init) ?? file.name
        problems = problems.enumerated()
            .sorted { ($0.element.line ?? Int.max, $0.offset) < ($1.element.line ?? Int.max, $1.offset) }
            .map(\.element)
        guard problems.isEmpty, let questionCount, let minutes, let passMark else {
            return BlueprintParseResult(blueprint: nil, problems: problems)
        }
        let blueprint = Blueprint(
            id: id, title: title ?? id, questionCount: questionCount, minutes: minutes, passMark: passMark,
            weights: weights.map(\.weight), sources: sources.mapValues(\.percent), unscored: unscored,
            domains: domains.mapValues(\.percent))
        return BlueprintParseResult(blueprint: blueprint, problems: [])
    }

    /// `30` or `30%`, 0...100.
    static func percent(_ text: String) -> Int? {
        let digits = text.hasSuffix("%") ? String(text.dropLast()).trimmingWhitespace() : text
        guard let value = Int(digits), (0...100).contains(value) else { return nil }
        return value
    }
}

/// The one scaled-score formula: 100–1000, mapped linearly from the share correct. AWS's own
/// equating is unpublished; linear is the honest stand-in, and reports say it is an assumption.
public enum ScaledScore {
    public static let range = 100...1000

    /// For `correct` right answers out of `total`, rounded half up.
    public static func of(correct: Int, outOf total: Int) -> Int {
        guard total > 0 else { return range.lowerBound }
        let span = range.upperBound - range.lowerBound
        let clamped = min(max(correct, 0), total)
        return range.lowerBound + (2 * span * clamped + total) / (2 * total)
    }

    /// For an expected share correct from 0 to 1, rounded to the nearest point.
    public static func of(share: Double) -> Int {
        let span = Double(range.upperBound - range.lowerBound)
        return range.lowerBound + Int((span * min(max(share, 0), 1)).rounded())
    }
}
