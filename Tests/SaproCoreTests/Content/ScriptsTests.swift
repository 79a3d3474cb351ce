import Foundation
import Testing
@testable import SaproCore

/// The real notes of `shared/corpus/notes` (AWS documents in Korean and Japanese among them),
/// read from there when present.
let corpusNotes: URL? = {
    var dir = Repo.root
    while dir.path != "/" {
        let candidate = dir.appendingPathComponent("shared/corpus/notes")
        if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
        dir.deleteLastPathComponent()
    }
    return nil
}()

@Suite("Headings in any script")
struct HeadingsInAnyScript {
    @Test func slugsKeepTheLettersOfEveryScriptAndAreUnchangedForASCII() {
        #expect(slugify("awsvpc Mode (Recommended)") == "awsvpc-mode-recommended")
        #expect(slugify("ECS — Key Characteristics, Connectivity?") == "ecs-key-characteristics-connectivity")
        #expect(slugify("概要") == "概要")
        #expect(slugify("VPC CNI の概要") == "vpc-cni-の概要")
        #expect(slugify("사용자 지정 네트워킹") == "사용자-지정-네트워킹")
        #expect(slugify("Résumé des règles") == "résumé-des-règles")
        #expect(slugify("—・（）") == "")
    }

    @Test func siblingHeadingsInJapaneseGetTheirOwnIds() {
        let text = "# ガイド\n\n## 概要\n\n本文。\n\n## 推奨事項\n\n本文。\n\n### 概要\n\n本文。\n"
        let parsed = DocumentParser.parse(text, file: "ja.md", stem: "ja")
        #expect(parsed.problems.isEmpty, "\(parsed.problems)")
        #expect(parsed.topics.map(\.id) == ["ja", "概要", "推奨事項", "推奨事項/概要"])
    }

    @Test(
        .enabled(if: corpusNotes != nil, "shared/corpus/notes is not beside the repository"),
        arguments: ["eks-bp-custom-networking.ko.md", "eks-bp-vpc-cni.ja.md", "kottiee-monitoring-fast-learn.ja.md"])
    func aRealKoreanOrJapaneseDocumentLoadsWithoutAFalseProblem(file: String) throws {
        let url = try #require(corpusNotes).appendingPathComponent(file)
        let parsed = DocumentParser.parse(try String(contentsOf: url, encoding: .utf8), file: file, stem: "doc")
        #expect(parsed.problems.isEmpty, "\(parsed.problems.prefix(3))")
        // Every topic has an id of its own, none of them the placeholder "section".
        #expect(Set(parsed.topics.map(\.id)).count == parsed.topics.count)
        #expect(!parsed.topics.contains { $0.id.split(separator: "/").contains { $0.hasPrefix("section") } })
    }
}

@Suite("Notes in any dialect load")
struct NotesInAnyDialect {
    func parse(_ text: String) -> ParsedDocument { DocumentParser.parse(text, file: "note.md", stem: "note") }

    @Test func yamlFrontMatterIsMetadataAndItsTitleNamesTheDocument() {
        let doc = parse(
            "---\ntitle: \"VPC CNI notes\"\ntags: [aws]\n---\n\nThe CNI gives pods VPC addresses.\n\n## Warm pool\n\nIt keeps spare addresses.\n"
        )
        #expect(doc.problems.isEmpty, "\(doc.problems)")
        #expect(doc.topics.map(\.id) == ["note", "warm-pool"])
        #expect(doc.topics[0].title == "VPC CNI notes")
        #expect(doc.topics[0].blocks.count == 1, "the text before the first heading is the root's")
        #expect(doc.topics[1].location.line == 8, "line numbers still point into the file")
    }

    @Test func tomlFrontMatterAndABOMAreSetAside() {
        let doc = parse("\u{FEFF}+++\ntitle = 'Subnets'\n+++\n# Subnets\n\nPlan them wide.\n")
        #expect(doc.problems.isEmpty, "\(doc.problems)")
        #expect(doc.topics.map(\.title) == ["Subnets"])
        #expect(doc.topics[0].blocks.count == 1)
    }

    @Test func textBeforeATitleHeadingBecomesItsFirstBlockWithTheSameIDs() {
        let plain = parse("# Guide\n\n## Part\n\nText.\n")
        let withIntro = parse("An introduction.\n\n# Guide\n\n## Part\n\nText.\n")
        #expect(withIntro.problems.isEmpty)
        #expect(withIntro.topics.map(\.id) == plain.topics.map(\.id))
        #expect(withIntro.topics[0].blocks.count == 1)
    }

    @Test func aFileWithoutHeadingsIsOneTopicNamedAfterTheFile() {
        let doc = parse("- **Host mode:** the task uses the host's network.\n- **Bridge mode:** Docker's bridge.\n")
        #expect(doc.problems.isEmpty, "\(doc.problems)")
        #expect(doc.topics.map(\.id) == ["note"])
        #expect(doc.topics[0].title == "note")
        #expect(!doc.topics[0].blocks.isEmpty)
    }

    @Test func obsidianTagsWikilinksAndCommentsAreNoProblem() {
        let doc = parse(
            "#aws #networking\n\n## ENIs\n\nSee [[Trunking|branch ENIs]] and [[VPC CNI]].%% private note %%\n\n%% a\nlonger comment %%\nDone.\n"
        )
        #expect(doc.problems.isEmpty, "\(doc.problems)")
        #expect(doc.topics.map(\.id) == ["enis"])
        let text = doc.topics[0].blocks.map { "\($0)" }.joined()
        #expect(text.contains("branch ENIs") && text.contains("VPC CNI"))
        #expect(
            !text.contains("[[") && !text.contains("%%") && !text.contains("private note") && !text.contains("longer comment"))
    }

    @Test func anEmptyFileIsReportedAndTheOthersStillLoad() throws {
        let dir = try Repo.temporaryDirectory(["empty.md": [], "good.md": Array("# Good\n\nText.\n".utf8)])
        let loaded = ContentLoader.load(directories: [dir])
        #expect(loaded.problems.contains { $0.message == "the document is empty" })
        #expect(loaded.library.topics.contains { $0.id == "good" })
    }
}

@Suite("Card text is plain text")
struct CardTextIsPlain {
    @Test func inlineHTMLNeverReachesACard() {
        let text = """
            # Guide

            ## <a name="eni"></a>ENI <span style="color:red">limits</span>

            - **Trunk ENI:** carries <mark>branch</mark> ENIs<br>for awsvpc tasks.
            - **Warm pool:** keeps spare addresses.
            """
        let doc = DocumentParser.parse(text, file: "g.md", stem: "g")
        let cards = ContentCards.make(from: ContentLibrary(documents: [doc], errata: []))
        #expect(!cards.isEmpty)
        let all = cards.map { "\($0.prompt) \($0.body)" }.joined(separator: "\n")
        #expect(!all.contains("<"), "\(all)")
        #expect(doc.topics.map(\.title).contains("ENI limits"))
        #expect(all.contains("branch ENIs for awsvpc tasks"))
    }
}
