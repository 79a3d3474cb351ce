import Foundation
import Testing
@testable import SaproCore

/// A second document, unrelated to containers, proves the parser reads shapes, not one document.
private let queues: ContentLoader.Loaded = ContentLoader.load(
    directories: [Repo.fixture("content")], displayName: { $0.lastPathComponent })

@Test func aSecondDocumentYieldsItsTopicTreeWithStableSlugIDs() {
    let lib = queues.library
    #expect(queues.problems.isEmpty, "\(queues.problems)")
    #expect(
        lib.topicIDs == [
            "serverless-queues", "amazon-sqs", "amazon-sqs/standard-queues",
            "amazon-sqs/fifo-queues", "choosing-a-queue",
        ])
    #expect(lib.topic("amazon-sqs/standard-queues")?.location == SourceLocation(file: "serverless-queues.md", line: 5))
    #expect(lib.topic("amazon-sqs")?.childIDs == ["amazon-sqs/standard-queues", "amazon-sqs/fifo-queues"])
}

@Test func factsCarryTheirKindLabelGroupAndLine() throws {
    let facts = queues.library.facts
    let definition = try #require(facts.first { $0.kind == .definition })
    #expect(definition.label == "What It Is")
    #expect(definition.text.hasPrefix("A queue that delivers each message at least once"))
    let throughput = try #require(facts.first { $0.label == "Throughput" })
    #expect(throughput.kind == .labelled && throughput.group == "Key Characteristics")
    #expect(throughput.id == "amazon-sqs/standard-queues#throughput")
    #expect(throughput.location.line == 11)
    #expect(facts.filter { $0.kind == .fit }.map(\.text) == ["Decoupling producers from consumers", "Fan-out through SNS"])
    #expect(facts.filter { $0.kind == .notFit }.map(\.text) == ["Strict ordering"])
    #expect(facts.contains { $0.kind == .statement && $0.text == "Messages are kept for 4 days unless you change it" })
}

@Test func tablesKeepHeaderRowsAndCaption() throws {
    let table = try #require(queues.library.tables.first)
    #expect(table.caption == "Queue Limits")
    #expect(table.header == ["Setting", "Default", "Maximum"])
    #expect(table.rows == [["Retention", "4 days", "14 days"], ["Visibility timeout", "30 s", "12 h"]])
}

@Test func codeSamplesKeepLanguageCaptionAndTopic() throws {
    let code = try #require(queues.library.codeSamples.first { $0.language == "bash" })
    #expect(code.caption == "Create a queue")
    #expect(code.topicID == "amazon-sqs/standard-queues")
    #expect(code.code == "aws sqs create-queue --queue-name orders\n")
}

@Test func plainNumberedListsBecomeFlows() throws {
    let flow = try #require(queues.library.flows.first)
    #expect(flow.caption == "Message Flow")
    #expect(flow.steps.count == 4)
    #expect(flow.steps[0] == "Producer sends a message with a group id")
}

@Test func textTreesBecomeDecisionTreesWithPaths() throws {
    let tree = try #require(queues.library.decisionTrees.first)
    #expect(tree.roots.count == 1)
    #expect(tree.roots[0].text == "Need exactly-once processing?")
    let outcomes = tree.paths.map(\.outcome)
    #expect(outcomes == ["Enable high throughput mode", "Default FIFO settings", "Use a standard queue"])
    let first = tree.paths[0].steps.map { "\($0.question)=\($0.answer)" }
    #expect(first == ["Need exactly-once processing?=YES", "Need more than 300 messages per second?=YES"])
}

@Test func errataAttachToEveryStatementTheyQuote() throws {
    let tree = try #require(queues.library.decisionTrees.first)
    #expect(tree.errata.map(\.id) == ["fifo-limit"])
}

@Test func theShippedDocumentLoadsWithoutProblems() {
    #expect(Repo.shipped.problems.isEmpty, "\(Repo.shipped.problems)")
    #expect(Repo.shipped.library.topics.count == 22)
    #expect(Repo.shipped.library.tables.count == 3)
    #expect(Set(Repo.shipped.library.codeSamples.compactMap(\.language)) == ["json", "yaml", "bash"])
    #expect(Repo.shipped.library.flows.map(\.caption).contains("Traffic Flow"))
    #expect(Repo.shipped.library.decisionTrees.first?.paths.count == 8)
}

@Test(arguments: [
    ("max-pods-formula", "amazon-eks-networking/vpc-cni-plugin"),
    ("awsvpc-task-limit", "amazon-ecs-networking/network-modes/awsvpc-mode-recommended"),
    ("security-groups-for-pods", "container-networking-decision-framework/ecs-vs-eks-vs-lambda-networking-comparison"),
    ("cloud-map-multivalue", "amazon-ecs-networking/ecs-service-discovery"),
    ("gwlb-return-path", "gateway-load-balancer-inspection-vpc-pattern"),
    ("namespace-name-label", "amazon-eks-networking/eks-security-boundaries"),
])
func everyErratumOfFACTSIsShownInItsTopic(erratum: String, topic: String) {
    let rendered = TerminalRenderer(width: 100).render(topicID: topic, in: Repo.shipped.library, withSubtopics: false)
    #expect(rendered.contains("Erratum (\(erratum))"))
}

@Test func topicsResolveByIdLastPartOrUniqueFragment() throws {
    let lib = Repo.shipped.library
    #expect(try lib.resolve("host-mode").id == "amazon-ecs-networking/network-modes/host-mode")
    #expect(try lib.resolve("amazon-eks-networking/vpc-cni-plugin").id == "amazon-eks-networking/vpc-cni-plugin")
    #expect(throws: ContentError.self) { try lib.resolve("no-such-topic") }
}
