import Foundation
import Testing
@testable import SaproCore

@Suite struct TrafficFlowOrderGeneratorTests {
    static let questions = Reference.questions("traffic-flow-order", count: 300)

    /// The eight numbered hops of FACTS.md's GWLB section, joined across wrapped lines.
    static let factsHops: [String] = {
        var hops: [String] = []
        for line in Reference.fixture("gwlb-inspection-hops", "md").split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if let dot = trimmed.firstIndex(of: "."), Int(trimmed[..<dot]) != nil {
                hops.append(String(trimmed[trimmed.index(after: dot)...]))
            } else if !hops.isEmpty, line.hasPrefix("   "), hops.count < 9 {
                hops[hops.count - 1] += " " + trimmed
            } else if !hops.isEmpty {
                break
            }
        }
        return hops
    }()

    static func words(_ text: String) -> Set<String> {
        let stop: Set<String> = ["the", "it", "to", "a", "of", "and", "on", "its", "in", "that", "sends", "one", "for", "back"]
        return Set(
            text.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init).filter {
                $0.count > 1 && !stop.contains($0)
            })
    }

    /// Orders the question's items by its key.
    static func inOrder(_ question: Question) -> [String] {
        guard case let .ordering(items, order) = question.body else { return [] }
        return order.map { items[$0] }
    }

    @Test func factsFixtureHasEightHops() {
        #expect(Self.factsHops.count == 8)
    }

    /// Audit R4/E1: GENEVE is the GWLB ↔ appliance leg (hop 5); the endpoint → GWLB leg is
    /// PrivateLink (hop 4), as the corrected FACTS.md and the GWLB documentation say.
    @Test func geneveIsOnTheApplianceLegNotTheEndpointLeg() throws {
        #expect(Self.factsHops[3].contains("PrivateLink") && !Self.factsHops[3].contains("GENEVE"))
        #expect(Self.factsHops[4].contains("GENEVE"))
        let flow = try #require(
            Self.questions.first { $0.string("flow") == "gwlb-inspection" || $0.prompt.contains("inspected centrally") })
        let hops = Self.inOrder(flow)
        #expect(hops.count == 8)
        #expect(hops[3].contains("PrivateLink") && !hops[3].contains("GENEVE"))
        #expect(hops[4].contains("GENEVE on UDP 6081"))
        let bank = try String(contentsOf: Repo.quizzes.appendingPathComponent("inspection-and-operations.md"), encoding: .utf8)
        #expect(bank.contains("- [4] The GWLB endpoint hands the packet to the Gateway Load Balancer over AWS PrivateLink."))
        let errata = try String(
            contentsOf: Repo.content.appendingPathComponent("container-networking-deep-dive.errata.md"), encoding: .utf8)
        #expect(!errata.contains("endpoint → GWLB (GENEVE"))
    }

    /// Each hop in the key is closest (by shared words) to the FACTS.md hop with the same number.
    @Test func gwlbOrderFollowsFacts() throws {
        let gwlb = try #require(Self.questions.first { $0.string("flow") == "gwlb-inspection" })
        let ordered = Self.inOrder(gwlb)
        #expect(ordered.count == 8)
        for (position, hop) in ordered.enumerated() {
            let mine = Self.words(hop)
            let scores = Self.factsHops.map { fact -> Double in
                let theirs = Self.words(fact)
                return Double(mine.intersection(theirs).count) / Double(mine.union(theirs).count)
            }
            let best = scores.indices.max { scores[$0] < scores[$1] }!
            #expect(best == position, "hop \(position + 1) '\(hop)' looks like FACTS hop \(best + 1)")
        }
    }

    @Test func itemsAreShuffledPermutations() {
        var flows: Set<String> = []
        for question in Self.questions {
            guard case let .ordering(items, order) = question.body else {
                Issue.record("not an ordering question")
                continue
            }
            #expect(Set(order) == Set(items.indices))
            #expect(order != Array(items.indices), "shown already in order")
            // The typed answer of the key grades as correct.
            #expect(question.grade(question.expectedAnswer) == .correct)
            flows.insert(question.string("flow")!)
        }
        #expect(
            flows == [
                "gwlb-inspection", "internet-alb-task", "task-s3-gateway-endpoint", "pod-internet-snat",
                "onprem-private-eks-endpoint", "fargate-ecr-endpoints",
            ])
    }

    @Test func sameFlowSameKeyWhateverTheShuffle() {
        var keys: [String: [String]] = [:]
        for question in Self.questions {
            let flow = question.string("flow")!
            let ordered = Self.inOrder(question)
            if let known = keys[flow] { #expect(known == ordered) } else { keys[flow] = ordered }
        }
    }
}
