import Foundation
import Testing
@testable import SaproCore

/// The real notes of `shared/corpus/notes`, loaded as a learner loads them (`--content`), checked
/// against the files themselves.
@Suite(.enabled(if: corpusNotes != nil, "shared/corpus/notes is not beside the repository"))
struct RealNotes {
    static let all: ContentLoader.Loaded = ContentLoader.load(
        directories: [Repo.content], notes: [corpusNotes!], displayName: { $0.lastPathComponent })
    static let yield = ContentCards.build(from: all.library)
    static let files: [String] = {
        ((try? FileManager.default.contentsOfDirectory(atPath: corpusNotes!.path)) ?? []).filter { $0.hasSuffix(".md") }.sorted()
    }()

    @Test func everyFileLoadsAndOnlyTheEmptyOneIsAProblem() {
        #expect(
            Self.all.problems.map(\.description) == ["kottiee-architecture-patterns-fast-learn.ja.md:1: the document is empty"])
        for file in Self.files where file != "kottiee-architecture-patterns-fast-learn.ja.md" {
            #expect(Self.all.library.topics.contains { $0.location.file == file }, "\(file) gave no topic")
        }
    }

    /// Topics per file: one per heading (ATX or Setext, counted here from the lines outside code
    /// fences), plus the root when text comes before the first heading or there is none.
    @Test func eachFileHasATopicPerHeading() throws {
        for file in Self.files {
            let text = try String(contentsOf: corpusNotes!.appendingPathComponent(file), encoding: .utf8)
            var headings = 0
            var fence = false
            var previous = ""
            for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
                let line = raw.trimmingCharacters(in: .whitespaces)
                if line.hasPrefix("```") || line.hasPrefix("~~~") { fence.toggle() }
                if !fence && raw.hasPrefix("#") && raw.drop { $0 == "#" }.first == " " && raw.prefix { $0 == "#" }.count <= 6 {
                    headings += 1
                }
                if !fence && !previous.isEmpty && !previous.hasPrefix("#")
                    && (line.allSatisfy { $0 == "=" } || line.allSatisfy { $0 == "-" })
                    && line.count >= 3 && !previous.hasPrefix("-") && !previous.hasPrefix("|")
                {
                    headings += 1
                }
                previous = String(line)
            }
            let topics = Self.all.library.topics.filter { $0.location.file == file }.count
            #expect(topics >= headings - 1 && topics <= headings + 1, "\(file): \(topics) topics for \(headings) headings")
        }
    }

    @Test func aFileGivesTheSameTopicsAndCardsAloneAsTogether() throws {
        for file in Self.files {
            let dir = try Repo.temporaryDirectory([:])
            defer { try? FileManager.default.removeItem(at: dir) }
            try FileManager.default.copyItem(
                at: corpusNotes!.appendingPathComponent(file), to: dir.appendingPathComponent(file))
            let alone = ContentLoader.load(directories: [], notes: [dir], displayName: { $0.lastPathComponent })
            let aloneCards = ContentCards.build(from: alone.library)
            let together = Self.all.library.topics.filter { $0.location.file == file }.map(\.id)
            #expect(alone.library.topicIDs == together, "\(file)")
            let togetherTopics = Set(together)
            let togetherCards = Self.yield.cards.filter { togetherTopics.contains($0.topics[0]) }.map(\.id)
            #expect(aloneCards.cards.map(\.id) == togetherCards, "\(file)")
            #expect(Set(aloneCards.cards.map(\.id)).count == aloneCards.cards.count, "\(file): two cards share an id")
        }
    }

    @Test func noCardShowsMarkupOrDiagramsAndNoneIsOneATeacherWouldDrop() {
        let forbidden = try! Regex(#"<[a-zA-Z/!][^>]*>|\]\(|!\[|\*\*|__|[\u{2500}-\u{257F}]|:[a-z_]+:"#)
        for card in Self.yield.cards {
            // Code shown in a fence is code; everything else is prose.
            let prose = card.prompt.components(separatedBy: "```").first ?? ""
            var texts = [prose, card.expectedAnswer]
            if case .singleChoice(let choices, _) = card.body { texts += choices.map(\.text) }
            if case .multipleChoice(let choices, _) = card.body { texts += choices.map(\.text) }
            if case .ordering(let items, _) = card.body {
                texts += items
                #expect(items.count <= 10, "\(card.id)")
            }
            for text in texts { #expect(text.firstMatch(of: forbidden) == nil, "\(card.id): \(text.prefix(120))") }
            if case .recall(let answer) = card.body {
                // A card the errata correct asks for the correction, with the document's words beside it.
                if card.erratum == nil { #expect(answer.count <= ContentCards.longestAnswer * 2 + 40, "\(card.id)") }
                #expect(QuestionShapes.letters(answer, options: 8).map { !$0.rest.isEmpty } ?? true, "\(card.id): \(answer)")
                #expect(!answer.trimmingCharacters(in: .whitespaces).isEmpty, "\(card.id)")
            }
        }
    }

    /// The Japanese quiz ends with its key (`1) いいえ（…）`); each question's card answers with
    /// the key's line of the same number, read here from the file.
    @Test func theJapaneseQuizIsAnsweredByItsKey() throws {
        let file = "kottiee-monitoring-fast-learn.ja.md"
        let lines = try String(contentsOf: corpusNotes!.appendingPathComponent(file), encoding: .utf8)
            .split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let keyStart = try #require(lines.firstIndex { $0.contains("クイズの答え") })
        let quizStart = try #require(lines.firstIndex { $0.contains("クイッククイズ") })
        let questions = lines[quizStart...].prefix(while: { !$0.hasPrefix("***") }).filter { $0.first?.isNumber == true }
        let answers = lines[(keyStart + 1)...].filter { $0.first?.isNumber == true }
        #expect(questions.count == 8 && answers.count == 8)
        for (question, answer) in zip(questions, answers) {
            let asked = question.drop { $0.isNumber || $0 == "." || $0 == " " }.replacingOccurrences(of: "__", with: "")
                .trimmingCharacters(in: .whitespaces)
            let expected = answer.replacing(#/^\d+\)\s*/#, with: "")
            let card = try #require(Self.yield.cards.first { $0.prompt == asked }, "no card for \(asked)")
            #expect(card.body == .recall(answer: String(expected)))
        }
        // The key is not a procedure.
        #expect(
            !Self.yield.cards.contains {
                $0.kind == .ordering && $0.topics[0].hasPrefix("kottiee-monitoring") && $0.id.contains("答え")
            })
    }

    /// The flash cards' `**Q**: …` / `**A**: …` list gives one recall card per pair, answered as written.
    @Test func theFlashcardQuestionsAreAnsweredAsWritten() throws {
        let lines = try String(contentsOf: corpusNotes!.appendingPathComponent("kottiee-flashcards.md"), encoding: .utf8)
            .split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        var pairs: [(String, String)] = []
        for (i, line) in lines.enumerated()
        where line.contains("**Q**:") && i + 1 < lines.count && lines[i + 1].hasPrefix("**A**:") {
            let question = line.components(separatedBy: "**Q**:")[1].trimmingCharacters(in: .whitespaces)
            pairs.append((question, lines[i + 1].dropFirst("**A**:".count).trimmingCharacters(in: .whitespaces)))
        }
        #expect(pairs.count == 10)
        for (question, answer) in pairs {
            let card = try #require(Self.yield.cards.first { $0.prompt == question }, "no card for \(question)")
            #expect(card.body == .recall(answer: answer))
        }
    }

    @Test func japaneseAndKoreanNotesAskInTheirOwnLanguage() {
        for card in Self.yield.cards where card.id.contains(".ja") || card.id.contains("-ja") || card.id.contains("-ko") {
            #expect(!card.prompt.hasPrefix("In ") && !card.prompt.contains("what about"), "\(card.id): \(card.prompt)")
        }
    }

    @Test func theSameHeadingInTwoDocumentsIsReadableInEach() throws {
        let library = Self.all.library
        #expect(library.topic("overview")?.location.file == "container-networking-deep-dive.md")
        #expect(library.topic("eks-bp-vpc-cni/overview") != nil)
        #expect(library.topic("eks-bp-subnets/overview") != nil)
        #expect(try library.resolve("eks-bp-vpc-cni/overview").location.file == "eks-bp-vpc-cni.md")
        // `概要` is a heading of more than one note: `read` names each match with its file.
        do {
            let topic = try library.resolve("概要")
            #expect(topic.title.contains("概要"))
        } catch {
            guard case let .ambiguousTopic(_, matches) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(matches.count >= 2 && matches.allSatisfy { $0.contains("概要") && $0.contains(".md:") }, "\(matches)")
        }
    }
}

/// Search splits text byte by byte where it is ASCII, for speed; the words are those of the plain
/// splitter, in every script.
@Suite struct SearchWordsFastPath {
    @Test func textSplitsIntoTheSameWordsAsByCharacter() throws {
        var texts = [
            "", "...", "10.0.0.0/16 and /ecs/", "CamelCase VPC-CNI eni_max", "a.b./c/ ./x./", "tab\there\r\nline",
            "{\"json\": [1, 2]}", "ENDS WITH.", "/", "x/y/z",
        ]
        for url in [Repo.content] + (corpusNotes.map { [$0] } ?? []) {
            for file in (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? [] where file.hasSuffix(".md") {
                let text = try String(contentsOf: url.appendingPathComponent(file), encoding: .utf8)
                texts += text.split(separator: "\n").map(String.init)
            }
        }
        var random = SplitMix64(seed: 7)
        // Combining marks (one of them alphabetic), a prepended mark, CR LF, CJK, accents.
        let alphabet: [String] = [
            "a", "Z", "0", "9", ".", "/", "-", "_", " ", "\t", ":", "é", "日", "\u{301}", "\u{345}", "\u{600}", "\r\n", ",", "Σ",
        ]
        for _ in 0..<2000 {
            texts.append(
                (0..<Int(random.next() % 24)).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }.joined())
        }
        var mixed = 0
        for text in texts {
            #expect(
                SearchIndex.words(text) == SearchIndex.plainWords(text),
                "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
            if text.utf8.contains(where: { $0 >= 0x80 }) && text.contains(" ") { mixed += 1 }
        }
        #expect(mixed > 500)
    }
}
