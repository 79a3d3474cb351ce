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
