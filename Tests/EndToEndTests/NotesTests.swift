import Foundation
import Testing

/// A learner's own notes through the built binary: what they gave, drilling a note with no
/// cards, printed quizzes keeping code fenced, and old progress still attached to its cards.
@Suite struct LearnersNotes {
    func notes(_ files: [String: String]) throws -> URL {
        let dir = Sapro.temporaryDirectory().appendingPathComponent("notes")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, text) in files { try Data(text.utf8).write(to: dir.appendingPathComponent(name)) }
        return dir
    }

    @Test func contentStatsSaysWhatEachDocumentGaveAndWhy() throws {
        let dir = try notes([
            "prose.md": "# Prose\n\nOnly a paragraph of text here.\n",
            "qa.md": "# QA\n\nQ: Which mode gives each task an ENI?\nA: awsvpc\n\n```bash\nls\n```\n",
            "empty.md": "",
        ])
        let result = try Sapro.run(["content", "stats", dir.path])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("document") == true)
        #expect(lines.contains { $0.hasPrefix("\(dir.path)/qa.md") && $0.hasSuffix("1") })
        #expect(lines.contains("\(dir.path)/qa.md: 1 code with no question it answers"))
        #expect(lines.contains("\(dir.path)/empty.md: the document is empty"))
        #expect(lines.contains { $0.hasPrefix("\(dir.path)/prose.md: no labelled facts") })
        let listed = try Sapro.run(["content", "stats", dir.path, "--cards"])
        #expect(listed.stdout.contains("card:qa#q-which-mode-gives-each-task-an-eni  [recall]"))
        #expect(listed.stdout.contains("→ awsvpc"))
    }

    @Test func drillingATopicWithNoCardsSaysSo() throws {
        let dir = try notes(["prose.md": "# Prose\n\nOnly a paragraph of text here.\n"])
        let result = try Sapro.run(["drill", "prose", "--content", dir.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("prose has no cards to drill"), "\(result.stdout)")
    }

    @Test func readSaysWhichDocumentsMatchAHeadingTheyShare() throws {
        let dir = try notes(["eks.md": "# EKS\n\n## Overview\n\nPods get VPC addresses.\n"])
        // `overview` is the shipped topic's id; the note's Overview is named beside it.
        let result = try Sapro.run(["read", "Overview", "--content", dir.path])
        #expect(result.status == 0)
        #expect(result.stdout.contains("Container networking extends"))
        #expect(result.stderr.contains("also in: eks/overview (\(dir.path)/eks.md:3)"), "\(result.stderr)")
        let read = try Sapro.run(["read", "eks/overview", "--content", dir.path])
        #expect(read.stdout.contains("Pods get VPC addresses."))
    }

    @Test func aPrintedQuizKeepsTheTaskDefinitionInACodeFence() throws {
        let result = try Sapro.run([
            "quiz", "generate", "--format", "md", "--count", "200", "--seed", "1", "--topic", "awsvpc-mode-recommended",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let text = result.stdout
        let asked = try #require(text.range(of: "Which network mode does this task definition use?"))
        let after = text[asked.upperBound...]
        #expect(after.hasPrefix("\n\n```json\n{"), "\(after.prefix(80))")
        // No line of the JSON became a Markdown heading of the printed quiz.
        #expect(!text.split(separator: "\n").contains { $0.hasPrefix("# ") && $0 != "# sapro quiz" })
    }

    /// Every card the old version's learner reviewed is still a card today, so its progress is attached.
    @Test func everyCardReviewedInTheOldDataDirectoryIsStillACard() throws {
        let journal = try String(
            contentsOf: AnOldDataDirectory.fixtures.appendingPathComponent("datadir-2026-12-01/journal.jsonl"), encoding: .utf8)
        let reviewed = Set(journal.matches(of: #/"(card:[^"]+)"/#).map { String($0.1) })
        #expect(reviewed.count >= 20)
        let stats = try Sapro.run(["content", "stats", "--json", "--cards"])
        struct Output: Decodable {
            struct Card: Decodable { var id: String }
            var cards: [Card]
        }
        let cards = Set(try JSONDecoder().decode(Output.self, from: Data(stats.stdout.utf8)).cards.map(\.id))
        #expect(reviewed.subtracting(cards).isEmpty, "\(reviewed.subtracting(cards))")
    }
}
