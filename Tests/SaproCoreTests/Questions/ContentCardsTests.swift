import Testing
@testable import SaproCore

private let cards = ContentCards.make(from: Repo.shipped.library)
private func card(_ id: String) -> Question? { cards.first { $0.id == id } }

@Test func cardIdsAreUniqueAndDeriveFromContentIds() {
    #expect(Set(cards.map(\.id)).count == cards.count)
    #expect(cards.allSatisfy { $0.id.hasPrefix("card:") && !$0.topics.isEmpty })
    #expect(card("card:amazon-ecs-networking/network-modes/awsvpc-mode-recommended#security") != nil)
}

@Test func cardsAreTheSameOnEveryBuild() {
    #expect(ContentCards.make(from: Repo.shipped.library) == cards)
}

@Test func labelledFactsBecomeRecallCards() throws {
    let security = try #require(card("card:amazon-ecs-networking/network-modes/awsvpc-mode-recommended#security"))
    #expect(security.body == .recall(answer: "Each task can have its own security group"))
    #expect(security.prompt == "In awsvpc Mode, what about Security?")
}

@Test func aFactTheErrataCorrectCarriesTheCorrection() throws {
    let limitation = try #require(card("card:amazon-ecs-networking/network-modes/awsvpc-mode-recommended#limitation"))
    #expect(limitation.erratum?.contains("max ENIs − 1") == true)
    guard case .recall(let answer) = limitation.body else { Issue.record("not a recall card"); return }
    #expect(
        answer.hasPrefix("In awsvpc mode the instance's primary ENI counts against the limit"),
        "the card teaches the correction, not the document's wrong number")
    #expect(answer.hasSuffix("(The document says: ENI quota per instance type (e.g., t3.large = 3 ENIs = 3 tasks))"))
}

@Test func tableCellsAnErratumQuotesAreNotTaught() {
    let eniTable = cards.filter { $0.id.hasPrefix("card:amazon-ecs-networking/network-modes/awsvpc-mode-recommended#table-") }
    #expect(eniTable.count == 6)
    #expect(eniTable.allSatisfy { $0.id.hasSuffix("/max-enis") })
    #expect(
        card("card:amazon-ecs-networking/network-modes/awsvpc-mode-recommended#table-eni-quota-considerations/t3-micro/max-enis")?
            .body
            == .numeric(answer: 2, unit: nil))
    #expect(!cards.contains { $0.id.contains("security-group-per-task") })
}

@Test func theTaskDefinitionCardAsksForItsNetworkMode() throws {
    let code = try #require(cards.first { $0.prompt.hasPrefix("Which network mode does this task definition use?") })
    guard case let .singleChoice(choices, correct) = code.body else { Issue.record("not a choice"); return }
    #expect(choices[correct].text == "awsvpc")
}

/// Audit R5: the document's GWLB flow includes "GWLB sends traffic back to TGW", which the
/// `gwlb-return-path` erratum corrects. An ordering card would score the learner right for
/// memorising that step, so there is none; the `traffic-flow-order` generator asks the corrected
/// eight hops instead.
@Test func theGWLBFlowWithTheWrongStepMakesNoOrderingCard() throws {
    #expect(!cards.contains { $0.topics == ["gateway-load-balancer-inspection-vpc-pattern"] && $0.kind == .ordering })
    #expect(!cards.contains { question in question.body.optionLines.contains { $0.contains("GWLB sends traffic back to TGW") } })
}

/// Every path of the decision tree is a card, except those that end in what an erratum corrects:
/// "Use Calico CNI" (`network-policy-engine`) and "bridge mode (higher density)"
/// (`awsvpc-density-trunking`, audit D11): keying them would teach the mistake.
@Test func everyDecisionTreePathIsACardButTheCorrectedOnes() {
    let paths = cards.filter { $0.id.contains("#tree-") }
    #expect(paths.count == 6)
    #expect(!paths.contains { $0.prompt.contains("Need fine-grained network policies? YES") })
    for path in paths {
        guard case let .singleChoice(choices, correct) = path.body else { continue }
        #expect(choices[correct].text != "Use Calico CNI", "\(path.id)")
        #expect(!choices[correct].text.contains("bridge mode (higher density)"), "\(path.id)")
    }
}
