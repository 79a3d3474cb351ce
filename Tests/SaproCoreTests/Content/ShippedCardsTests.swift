import Foundation
import Testing
@testable import SaproCore

@Suite("The shipped document's cards")
struct ShippedCards {
    /// Every card's id, kind and question as the learner sees it; `SAPRO_UPDATE_GOLDEN=1 swift test`
    /// rewrites the file after a deliberate change (review the diff: ids carry progress).
    @Test func theirPromptsMatchTheGoldenFile() throws {
        let yield = ContentCards.build(from: Repo.shipped.library)
        let text =
            yield.cards.map { card in
                "\(card.id)\t\(card.kind.rawValue)\t\(card.prompt.split(separator: "\n").first.map(String.init) ?? "")"
            }.joined(separator: "\n") + "\n"
        let url = Repo.fixture("golden/shipped-card-prompts.tsv")
        if ProcessInfo.processInfo.environment["SAPRO_UPDATE_GOLDEN"] == "1" {
            try Data(text.utf8).write(to: url)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(
            text == expected,
            "the shipped cards differ from golden/shipped-card-prompts.tsv; rerun with SAPRO_UPDATE_GOLDEN=1 if intended")
    }

    @Test func everyPromptIsAQuestionOrAnInstruction() {
        for card in ContentCards.make(from: Repo.shipped.library) {
            let first = card.prompt.split(separator: "\n").first.map(String.init) ?? ""
            #expect(first.hasSuffix("?") || first.hasSuffix("in order."), "\(card.id): \(first)")
            #expect(!first.contains(" — ") || first.contains("Decision Tree"), "\(card.id): a label fragment: \(first)")
        }
    }

    /// The old version of 2026-12-01 made 89 content cards; today's keep each id except the three
    /// code samples whose card asked nothing the code answers ("A sample for …").
    @Test func theirIdsAreTheOldVersionsLessTheCodeCardsThatAskedNothing() {
        let yield = ContentCards.build(from: Repo.shipped.library)
        #expect(yield.cards.count == 86)
        #expect(
            Set(yield.dropped.map(\.id)) == [
                "card:amazon-ecs-networking/ecs-service-discovery#code-implementation",
                "card:operational-considerations/troubleshooting#code-ecs-awsvpc-issues",
                "card:operational-considerations/troubleshooting#code-eks-pod-networking-issues",
            ])
    }
}
