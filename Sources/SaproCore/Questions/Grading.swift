import Foundation

/// An answer as understood from what the user typed, before it is compared with the key.
public enum ParsedAnswer: Sendable, Hashable {
    /// A whole number (numeric questions).
    case number(Int)
    /// One choice index (single choice).
    case choice(Int)
    /// Choice indices, ascending (multiple choice).
    case choices([Int])
    /// Indices of the shown items, in the order the user put them (ordering).
    case order([Int])
}

/// Why a typed answer could not be graded: it does not have the shape the question asks for.
/// The user should be asked again; such an answer is never counted as wrong.
public enum AnswerShapeError: Error, Sendable, Hashable, LocalizedError {
    /// Nothing but spaces.
    case empty
    /// A numeric question got something that is not a whole number.
    case notANumber(String)
    /// A choice or ordering answer has a token that is not a letter (or item number);
    /// `options` describes what is accepted, e.g. `letters a to d`.
    case notAnOption(String, options: String)
    /// A letter or item number beyond the last one shown.
    case outOfRange(String, options: String)
    /// A single-choice question got more than one option.
    case tooManyChoices(Int)
    /// A multiple-choice or ordering answer has the wrong number of options.
    case wrongCount(expected: Int, got: Int, what: String)
    /// The same option given twice.
    case duplicate(String)
    /// An ordering answer mixing letters and numbers.
    case mixedNotation
    /// Recall cards are graded by a self-rating, not by a typed answer.
    case needsSelfRating
    /// A parsed answer of another kind than the question (a programming error upstream).
    case kindMismatch(expected: QuestionKind)

    public var errorDescription: String? {
        switch self {
        case .empty:
            return "no answer given"
        case let .notANumber(text):
            return "'\(text)' is not a whole number; type a number such as 29"
        case let .notAnOption(token, options):
            return "'\(token)' is not an option; answer with \(options)"
        case let .outOfRange(token, options):
            return "'\(token)' is not one of the options (\(options))"
        case let .tooManyChoices(count):
            return "choose one option, not \(count)"
        case let .wrongCount(expected, got, what):
            return "give exactly \(expected) \(what), not \(got)"
        case let .duplicate(token):
            return "'\(token)' appears more than once"
        case .mixedNotation:
            return "use either letters or item numbers, not both"
        case .needsSelfRating:
            return "this is a recall card: reveal the answer and rate yourself (again, hard, good, easy)"
        case let .kindMismatch(expected):
            return "expected a \(expected.rawValue) answer"
        }
    }
}

/// How well the user recalled a recall card, in the four FSRS/Anki grades.
public enum SelfRating: Int, Sendable, Hashable, Codable, CaseIterable {
    case again = 1
    case hard = 2
    case good = 3
    case easy = 4

    /// Reads `1`–`4`, `again`/`hard`/`good`/`easy` (or their first letters), `y`/`yes`
    /// (good) and `n`/`no` (again).
    public init?(parsing text: String) {
        switch text.trimmingWhitespace().lowercased() {
        case "1", "again", "a", "n", "no": self = .again
        case "2", "hard", "h": self = .hard
        case "3", "good", "g", "y", "yes": self = .good
        case "4", "easy", "e": self = .easy
        default: return nil
        }
    }

    /// Anything but `again` counts as remembered.
    public var remembered: Bool { self != .again }
}

/// The outcome of grading one answer.
public enum Grade: Sendable, Hashable {
    /// The answer matches the key.
    case correct
    /// A well-formed answer that does not match the key.
    case incorrect(IncorrectAnswer)
    /// The answer has the wrong shape and was not graded; ask again.
    case wrongShape(AnswerShapeError)
    /// A recall card, graded by the user's own rating.
    case selfRated(SelfRating)

    /// `true` or `false` once graded; `nil` for an answer of the wrong shape.
    public var isCorrect: Bool? {
        switch self {
        case .correct: true
        case .incorrect: false
        case .wrongShape: nil
        case let .selfRated(rating): rating.remembered
        }
    }

    /// The misconception behind a wrong answer, when the chosen option carries one.
    public var misconception: Misconception? {
        if case let .incorrect(detail) = self { return detail.misconceptions.first }
        return nil
    }

    /// One line for the user.
    public var message: String {
        switch self {
        case .correct:
            return "Correct."
        case let .incorrect(detail):
            var text = "Not quite: the answer is \(detail.expected)."
            for misconception in detail.misconceptions {
                text += " That option comes from a misconception (\(misconception.id)): \(misconception.summary)"
            }
            return text
        case let .wrongShape(error):
            return "Can't grade that: \(error.localizedDescription)."
        case let .selfRated(rating):
            return rating.remembered ? "Marked as remembered (\(rating))." : "Marked to see again soon."
        }
    }
}

/// Details of a wrong answer.
public struct IncorrectAnswer: Sendable, Hashable {
    /// The answer a user types to be right, e.g. `b` or `3 1 2 4`.
    public var expected: String
    /// What the user gave, normalised.
    public var given: ParsedAnswer
    /// Misconceptions carried by the options the user chose wrongly (at most one for single choice).
    public var misconceptions: [Misconception]

    public init(expected: String, given: ParsedAnswer, misconceptions: [Misconception]) {
        self.expected = expected
        self.given = given
        self.misconceptions = misconceptions
    }
}

extension QuestionBody {
    /// The answer a user types to be right: `29`, `b`, `a, c`, `3 1 2 4`, or a recall card's text.
    public var expectedAnswer: String {
        switch self {
        case let .numeric(answer, _): String(answer)
        case let .singleChoice(_, correct): Self.letter(correct)
        case let .multipleChoice(_, correct): correct.sorted().map(Self.letter).joined(separator: ", ")
        case let .ordering(_, order): order.map { String($0 + 1) }.joined(separator: " ")
        case let .recall(answer): answer
        }
    }

    /// The letter shown for option `index`: 0 → `a`.
    public static func letter(_ index: Int) -> String {
        // Readers refuse more than 26 options; beyond `z` a number stands in rather than a trap.
        (0..<26).contains(index) ? String(UnicodeScalar(UInt8(97 + index))) : "#\(index + 1)"
    }

    /// Understands a typed answer, or says why it has the wrong shape.
    ///
    /// - Numeric: a whole number, optionally with thousands separators and a trailing word
    ///   (` 29 pods`, `1,019`).
    /// - Single choice: one letter (`b`, `B`, `(b)`, `b)`).
    /// - Multiple choice: letters separated by commas or spaces (`a, c`, `c a`, or `ac`),
    ///   exactly as many as the question asks for, no repeats.
    /// - Ordering: every shown item once, as letters (`c a b d`) or 1-based numbers (`3 1 2 4`).
    public func parse(_ input: String) -> Result<ParsedAnswer, AnswerShapeError> {
        let text = input.trimmingWhitespaceAndNewlines()
        switch self {
        case .recall:
            return .failure(.needsSelfRating)
        case .numeric:
            guard !text.isEmpty else { return .failure(.empty) }
            return Self.parseNumber(text).map { .success(.number($0)) } ?? .failure(.notANumber(text))
        case let .singleChoice(choices, _):
            let letters = Self.parseLetters(text, count: choices.count)
            if case .failure = letters, let index = Self.choice(named: text, in: choices) { return .success(.choice(index)) }
            return letters.flatMap { indices in
                indices.count == 1 ? .success(.choice(indices[0])) : .failure(.tooManyChoices(indices.count))
            }
        case let .multipleChoice(choices, correct):
            return Self.parseLetters(text, count: choices.count).flatMap { indices in
                guard indices.count == correct.count else {
                    return .failure(.wrongCount(expected: correct.count, got: indices.count, what: "letters"))
                }
                return .success(.choices(indices.sorted()))
            }
        case let .ordering(items, _):
            guard !text.isEmpty else { return .failure(.empty) }
            let tokens = Self.tokens(text)
            let numeric = tokens.allSatisfy { $0.allSatisfy(\.isNumber) }
            let alphabetic = tokens.allSatisfy { $0.allSatisfy(\.isLetter) }
            let indices: Result<[Int], AnswerShapeError>
            if numeric {
                // A run of digits like `3124` is read digit by digit when that gives one per item.
                let parts =
                    tokens.count == 1 && tokens[0].count == items.count && items.count < 10
                    ? tokens[0].map(String.init) : tokens
                indices = Self.indices(ofNumbers: parts, count: items.count)
            } else if alphabetic {
                indices = Self.parseLetters(text, count: items.count)
            } else if tokens.allSatisfy({ $0.allSatisfy { $0.isLetter || $0.isNumber } }) {
                return .failure(.mixedNotation)
            } else {
                let bad = tokens.first { !$0.allSatisfy { $0.isLetter || $0.isNumber } } ?? text
                return .failure(.notAnOption(bad, options: Self.orderingOptions(items.count)))
            }
            return indices.flatMap { list in
                guard list.count == items.count else {
                    return .failure(.wrongCount(expected: items.count, got: list.count, what: "items"))
                }
                return .success(.order(list))
            }
        }
    }

    /// Grades typed text. Recall cards return `.wrongShape(.needsSelfRating)`: use `grade(rating:)`.
    public func grade(_ input: String) -> Grade {
        switch parse(input) {
        case let .failure(error):
            return .wrongShape(error)
        case let .success(answer):
            return grade(answer)
        }
    }

    /// Grades an answer already parsed for this body.
    public func grade(_ answer: ParsedAnswer) -> Grade {
        let wrong = { (misconceptions: [Misconception]) -> Grade in
            .incorrect(IncorrectAnswer(expected: expectedAnswer, given: answer, misconceptions: misconceptions))
        }
        switch (self, answer) {
        case let (.numeric(key, _), .number(given)):
            return given == key ? .correct : wrong([])
        case let (.singleChoice(choices, correct), .choice(given)):
            return given == correct ? .correct : wrong(choices[given].misconception.map { [$0] } ?? [])
        case let (.multipleChoice(choices, correct), .choices(given)):
            if given == correct.sorted() { return .correct }
            let chosenWrongly = given.filter { !correct.contains($0) }
            return wrong(chosenWrongly.compactMap { choices[$0].misconception })
        case let (.ordering(_, order), .order(given)):
            return given == order ? .correct : wrong([])
        case (.recall, _):
            return .wrongShape(.needsSelfRating)
        default:
            return .wrongShape(.kindMismatch(expected: kind))
        }
    }

    /// Grades a recall card (or any question the user chose to self-rate).
    public func grade(rating: SelfRating) -> Grade {
        .selfRated(rating)
    }

    // MARK: - Token parsing

    /// Splits on commas, spaces, semicolons, `>` and `-`, dropping decoration like `(b)` or `b)`.
    static func tokens(_ text: String) -> [String] {
        let separators: Set<Character> = [",", " ", "\t", ";", ">", "-"]
        return text.split(whereSeparator: { separators.contains($0) })
            .map { token in
                var t = Substring(token)
                while let first = t.first, first == "(" || first == "[" { t = t.dropFirst() }
                while let last = t.last, last == ")" || last == "]" || last == "." { t = t.dropLast() }
                return String(t)
            }
            .filter { !$0.isEmpty }
    }

    /// Letters to 0-based indices; a single run like `ac` counts as one letter per character.
    static func orderingOptions(_ count: Int) -> String {
        "letters a to \(letter(max(count - 1, 0))) or numbers 1 to \(count)"
    }

    /// The option whose text was typed instead of its letter: the whole text, or its first word
    /// when only one option starts with it (`yes` for "Yes, a good fit"), ignoring case.
    static func choice(named text: String, in choices: [Choice]) -> Int? {
        func norm(_ s: String) -> String {
            s.lowercased().trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: ".!")))
        }
        let typed = norm(text)
        guard typed.count > 1 else { return nil }
        if let i = choices.firstIndex(where: { norm($0.text) == typed }) { return i }
        let byFirstWord = choices.indices.filter {
            norm(
                $0 < choices.count
                    ? String(choices[$0].text.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).first ?? "") : "") == typed
        }
        return byFirstWord.count == 1 ? byFirstWord[0] : nil
    }

    static func parseLetters(_ text: String, count: Int) -> Result<[Int], AnswerShapeError> {
        let options = "letters a to \(letter(max(count - 1, 0)))"
        var tokens = tokens(text)
        guard !tokens.isEmpty else { return .failure(.empty) }
        if tokens.count == 1, tokens[0].count > 1, tokens[0].count <= count,
            tokens[0].allSatisfy({ $0.isASCII && $0.isLetter }),
            tokens[0].lowercased().allSatisfy({ letterIndex($0).map { $0 < count } ?? false })
        {
            tokens = tokens[0].map(String.init)
        }
        var indices: [Int] = []
        for token in tokens {
            guard token.count == 1, let character = token.lowercased().first, let index = letterIndex(character) else {
                return .failure(.notAnOption(token, options: options))
            }
            guard index < count else { return .failure(.outOfRange(token, options: options)) }
            guard !indices.contains(index) else { return .failure(.duplicate(token)) }
            indices.append(index)
        }
        return .success(indices)
    }

    static func indices(ofNumbers tokens: [String], count: Int) -> Result<[Int], AnswerShapeError> {
        var indices: [Int] = []
        for token in tokens {
            guard let number = Int(token) else { return .failure(.notAnOption(token, options: orderingOptions(count))) }
            guard (1...count).contains(number) else {
                return .failure(.outOfRange(token, options: orderingOptions(count)))
            }
            guard !indices.contains(number - 1) else { return .failure(.duplicate(token)) }
            indices.append(number - 1)
        }
        return .success(indices)
    }

    private static func letterIndex(_ character: Character) -> Int? {
        guard let ascii = character.asciiValue, (97...122).contains(ascii) else { return nil }
        return Int(ascii) - 97
    }

    /// A whole number with optional `,`/`_` thousands separators and an optional trailing word.
    static func parseNumber(_ text: String) -> Int? {
        var rest = Substring(text)
        var digits = ""
        var sawDigit = false
        if rest.first == "+" { rest = rest.dropFirst() }
        while let c = rest.first, c.isASCII, c.isNumber || ((c == "," || c == "_") && sawDigit) {
            if c.isNumber { digits.append(c); sawDigit = true }
            rest = rest.dropFirst()
        }
        guard sawDigit, let value = Int(digits) else { return nil }
        // A unit may follow (`29 pods`, `3 instances`); anything else (another number, `29b`) may not.
        let tail = rest.trimmingWhitespace()
        if tail.isEmpty { return value }
        guard rest.first == " " || rest.first == "\t",
            tail.allSatisfy({ $0.isLetter || $0 == " " || $0 == "/" || $0 == "." })
        else { return nil }
        return value
    }
}

extension Question {
    /// The answer a user types to be right.
    public var expectedAnswer: String { body.expectedAnswer }

    /// Grades typed text; see `QuestionBody.parse(_:)` for what is accepted.
    public func grade(_ input: String) -> Grade { body.grade(input) }
}

extension QuestionBody {
    /// What the user typed, parsed, when it parses (for explaining the option they picked).
    public func parsedAnswer(_ input: String) -> ParsedAnswer? {
        if case .success(let parsed) = parse(input) { return parsed }
        return nil
    }
}
