import Foundation

/// One thing wrong in a question bank or exam blueprint file, with where it is.
///
/// Checking a file collects every problem instead of stopping at the first, so
/// `sapro content check` can print them all. Rendered as `file:line: message`
/// (or `file: message` when the problem concerns the whole file).
public struct BankProblem: Error, Sendable, Hashable, LocalizedError, CustomStringConvertible {
    /// The file's name as given to the parser (e.g. `ecs-networking.md`).
    public var file: String
    /// The 1-based line the problem is on; `nil` for a problem with the whole file.
    public var line: Int?
    /// What is wrong.
    public var issue: BankIssue

    /// A problem with `issue` at `file`:`line`.
    public init(file: String, line: Int?, issue: BankIssue) {
        self.file = file
        self.line = line
        self.issue = issue
    }

    /// `file:line: message`, or `file: message` without a line.
    public var description: String {
        if let line { return "\(file):\(line): \(issue.message)" }
        return "\(file): \(issue.message)"
    }

    /// The same text as `description`.
    public var errorDescription: String? { description }
}

/// Everything that can be wrong in a bank or blueprint file.
public enum BankIssue: Sendable, Hashable {
    // MARK: Question structure

    /// A `## ` heading with nothing after it.
    case missingID
    /// An id that is not lowercase letters, digits and hyphens.
    case invalidID(String)
    /// An id already used, in this file or another; names where it was first defined.
    case duplicateID(String, firstFile: String, firstLine: Int)
    /// A line in the field block after the heading that is not `name: value`.
    case malformedField(String)
    /// A field name the format does not have, with close known names.
    case unknownField(String, suggestions: [String])
    /// A field that may appear once appeared again.
    case duplicateField(String, firstLine: Int)
    /// No `kind:` field.
    case missingKind
    /// A `kind:` value the format does not have, with close known kinds.
    case unknownKind(String, suggestions: [String])
    /// No `topic:` field.
    case missingTopic
    /// A topic id that is not in the content library, with close known ids.
    case unknownTopic(String, suggestions: [String])
    /// No `source:` field: every bank question names the AWS page its answer rests on.
    case missingSourceLink
    /// A `source:` value that is not an `https://` address.
    case badSourceLink(String)
    /// A shipped choice question that is not shaped like an exam item (option count, stem length).
    case notExamShaped(String)
    /// A `## domains` section whose shares do not add up to 100.
    case domainsDoNotSumTo100(Int)
    /// No `domain:` field naming the SAP-C02 domain.
    case missingDomain
    /// A `domain:` value that is not one of the four, with close names.
    case unknownDomain(String, suggestions: [String])
    /// No prompt text between the fields and the options.
    case emptyPrompt
    /// A line that fits nowhere in the format.
    case unexpectedLine(String)
    /// No `explanation:` section, or one with no text.
    case missingExplanation

    // MARK: Choice questions

    /// A `- [` line whose box is neither `[x]`, `[ ]` nor (for ordering) `[n]`.
    case malformedOption(String)
    /// An option with a box but no text.
    case emptyOption
    /// Two options with the same text.
    case duplicateOption(String, firstLine: Int)
    /// Fewer options than the kind needs.
    case tooFewOptions(kind: QuestionKind, found: Int, needed: Int)
    /// More options than letters to answer them with.
    case tooManyOptions(found: Int, allowed: Int)
    /// A choice question with no option marked `[x]`.
    case missingAnswer
    /// A single-choice question with more than one option marked `[x]`.
    case singleChoiceHasSeveralAnswers(marked: Int)
    /// A multiple-choice prompt that does not say how many to choose.
    case missingChooseCount
    /// A multiple-choice prompt that asks for fewer than two.
    case chooseCountTooSmall(Int)
    /// The prompt's "Choose N" disagrees with the number of options marked `[x]`.
    case wrongNumberOfAnswers(stated: Int, marked: Int)
    /// Every option is marked correct, so nothing is being tested.
    case everyOptionCorrect
    /// An option with no indented `> why` line.
    case missingOptionExplanation(String)
    /// A step position such as `[2]` in a single- or multiple-choice question.
    case positionInChoiceQuestion(String)

    // MARK: Ordering questions

    /// An `[x]` or `[ ]` box in an ordering question.
    case checkboxInOrdering
    /// A step position outside 1...count.
    case stepPositionOutOfRange(Int, count: Int)
    /// Two steps with the same position.
    case duplicateStepPosition(Int, firstLine: Int)
    /// Steps listed already in their correct order, which would give the answer away.
    case stepsListedInOrder

    // MARK: Numeric and recall questions

    /// A numeric or recall question without `answer:`.
    case missingAnswerField(kind: QuestionKind)
    /// A numeric answer that is not a whole number.
    case answerNotANumber(String)
    /// A field that does not apply to this kind (`answer:` on a choice question, `unit:` off numeric).
    case fieldNotAllowed(String, kind: QuestionKind)
    /// Options on a numeric or recall question.
    case optionsNotAllowed(kind: QuestionKind)

    // MARK: Files

    /// The file could not be read.
    case unreadable(reason: String)
    /// A bank file with no questions.
    case noQuestions

    // MARK: Blueprints

    /// A required blueprint field is absent.
    case missingBlueprintField(String)
    /// A count or percentage that is not a whole number in range.
    case notAWholeNumber(field: String, value: String)
    /// A pass mark outside the 100–1000 scaled-score range.
    case passMarkOutOfRange(Int)
    /// A `## ` section the blueprint format does not have.
    case unknownSection(String, suggestions: [String])
    /// A line in a section that is not `name: percent`.
    case malformedEntry(String)
    /// Topic weights that do not add up to 100.
    case weightsDoNotSumTo100(Int)
    /// A weight prefix that is not a known topic id.
    case unknownWeightTopic(String, suggestions: [String])
    /// A weight prefix named twice.
    case duplicateWeight(String, firstLine: Int)
    /// A weight prefix inside another weighted prefix, so a question would count twice.
    case overlappingWeights(String, inside: String, line: Int)
    /// No `## weights` entries.
    case noWeights
    /// A question source other than `bank`, `generators`, `cards`.
    case unknownSource(String, suggestions: [String])
    /// A source named twice.
    case duplicateSource(String, firstLine: Int)
    /// Source shares that do not add up to 100.
    case sourcesDoNotSumTo100(Int)
    /// No `## sources` section.
    case missingSources

    /// The human-readable message, without the file and line.
    public var message: String {
        switch self {
        case .missingID:
            return "question heading has no id; write '## some-id'"
        case let .invalidID(id):
            return "id '\(id)' must be lowercase letters, digits and hyphens"
        case let .duplicateID(id, firstFile, firstLine):
            return "duplicate id '\(id)'; first defined at \(firstFile):\(firstLine)"
        case let .malformedField(text):
            return "expected 'field: value' before the prompt, found '\(text)' (end the fields with a blank line)"
        case let .unknownField(name, suggestions):
            return "unknown field '\(name)'" + Self.hint(suggestions)
        case let .duplicateField(name, firstLine):
            return "field '\(name)' given twice; first on line \(firstLine)"
        case .missingKind:
            return "missing 'kind:' (single, multiple, ordering, numeric or recall)"
        case let .unknownKind(kind, suggestions):
            return "unknown kind '\(kind)'" + Self.hint(suggestions)
        case .missingTopic:
            return "missing 'topic:'; name at least one content topic id"
        case let .unknownTopic(topic, suggestions):
            return "unknown topic '\(topic)'" + Self.hint(suggestions)
        case let .notExamShaped(reason):
            return reason
        case let .domainsDoNotSumTo100(sum):
            return "domain weights add up to \(sum)%, not 100%"
        case .missingDomain:
            return
                "no 'domain:' line: organizational-complexity, new-solutions, continuous-improvement or migration-modernization"
        case let .unknownDomain(value, suggestions):
            return "unknown domain '\(value.clipped())'" + Self.hint(suggestions)
                + " (organizational-complexity, new-solutions, continuous-improvement, migration-modernization)"
        case .missingSourceLink:
            return "no 'source:' line: name the AWS documentation page the answer rests on (https://…)"
        case let .badSourceLink(value):
            return "source '\(value)' is not an https:// address"
        case .emptyPrompt:
            return "empty prompt; write the scenario after the fields and a blank line"
        case let .unexpectedLine(text):
            return "unexpected line '\(text)'; options start with '- [', explanations are indented '  > '"
        case .missingExplanation:
            return "missing overall explanation; add an 'explanation:' section after the options"
        case let .malformedOption(text):
            return "malformed option '\(text)'; use '- [x] text', '- [ ] text' or, for ordering, '- [1] text'"
        case .emptyOption:
            return "option has no text"
        case let .duplicateOption(text, firstLine):
            return "option '\(text)' repeats line \(firstLine)"
        case let .tooManyOptions(found, allowed):
            return "\(found) options; at most \(allowed) (they are answered with the letters a to z)"
        case let .tooFewOptions(kind, found, needed):
            return "\(kind.rawValue) question needs at least \(needed) options, found \(found)"
        case .missingAnswer:
            return "no option is marked correct; mark the answer with '[x]'"
        case let .singleChoiceHasSeveralAnswers(marked):
            return "single-choice question has \(marked) options marked [x]; use 'kind: multiple' or mark one"
        case .missingChooseCount:
            return "multiple-choice prompt must say how many to choose, e.g. '(Choose TWO.)'"
        case let .chooseCountTooSmall(count):
            return "multiple-choice prompt asks for \(count); use 'kind: single' for one answer"
        case let .wrongNumberOfAnswers(stated, marked):
            return "prompt says Choose \(Self.word(stated)) but \(marked) \(marked == 1 ? "option is" : "options are") marked [x]"
        case .everyOptionCorrect:
            return "every option is marked [x]; add wrong options"
        case let .missingOptionExplanation(text):
            return "option '\(Self.short(text))' has no explanation; add an indented '  > why' line"
        case let .positionInChoiceQuestion(box):
            return "step position '\(box)' in a choice question; use '[x]' or '[ ]'"
        case .checkboxInOrdering:
            return "ordering steps take their correct position, e.g. '- [2] text', not a checkbox"
        case let .stepPositionOutOfRange(position, count):
            return "step position \(position) is outside 1...\(count)"
        case let .duplicateStepPosition(position, firstLine):
            return "step position \(position) repeats line \(firstLine)"
        case .stepsListedInOrder:
            return "steps are listed in their correct order, which gives the answer away; shuffle them"
        case let .missingAnswerField(kind):
            return "\(kind.rawValue) question needs an 'answer:' field"
        case let .answerNotANumber(text):
            return "numeric answer '\(text)' is not a whole number"
        case let .fieldNotAllowed(name, kind):
            return "field '\(name)' does not apply to a \(kind.rawValue) question"
        case let .optionsNotAllowed(kind):
            return "\(kind.rawValue) question takes no options; put the answer in 'answer:'"
        case let .unreadable(reason):
            return "cannot read file: \(reason)"
        case .noQuestions:
            return "bank file has no questions; start each with '## id'"
        case let .missingBlueprintField(name):
            return "blueprint is missing '\(name):'"
        case let .notAWholeNumber(field, value):
            return "'\(field)' must be a positive whole number, found '\(value)'"
        case let .passMarkOutOfRange(mark):
            return "pass mark \(mark) is outside the 100–1000 scaled-score range"
        case let .unknownSection(name, suggestions):
            return "unknown section '\(name)'" + Self.hint(suggestions)
        case let .malformedEntry(text):
            return "expected 'name: percent', found '\(text)'"
        case let .weightsDoNotSumTo100(sum):
            return "topic weights add up to \(sum), not 100"
        case let .unknownWeightTopic(topic, suggestions):
            return "unknown topic '\(topic)' in weights" + Self.hint(suggestions)
        case let .duplicateWeight(topic, firstLine):
            return "topic '\(topic)' weighted twice; first on line \(firstLine)"
        case let .overlappingWeights(topic, inside, line):
            return "topic '\(topic)' is inside '\(inside)' (line \(line)); weight one or the other"
        case .noWeights:
            return "blueprint has no '## weights' entries"
        case let .unknownSource(name, suggestions):
            return "unknown question source '\(name)'" + Self.hint(suggestions.isEmpty ? ExamSource.allNames : suggestions)
        case let .duplicateSource(name, firstLine):
            return "source '\(name)' given twice; first on line \(firstLine)"
        case let .sourcesDoNotSumTo100(sum):
            return "source shares add up to \(sum), not 100"
        case .missingSources:
            return "blueprint has no '## sources' section (bank, generators, cards)"
        }
    }

    private static func hint(_ suggestions: [String]) -> String {
        suggestions.isEmpty ? "" : "; did you mean \(suggestions.joined(separator: ", "))?"
    }

    private static func short(_ text: String) -> String {
        text.count <= 40 ? text : String(text.prefix(39)) + "…"
    }

    /// Spells small counts the way exam prompts do ("TWO").
    static func word(_ count: Int) -> String {
        let words = ["ZERO", "ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX"]
        return words.indices.contains(count) ? words[count] : String(count)
    }
}

/// Thrown by the throwing conveniences when a bank or blueprint has problems.
public enum BankError: Error, Sendable, Hashable, LocalizedError {
    /// Every problem found, in file and line order.
    case problems([BankProblem])

    /// Every problem on its own line.
    public var errorDescription: String? {
        switch self {
        case let .problems(problems):
            return problems.map(\.description).joined(separator: "\n")
        }
    }
}
