import Foundation
@testable import SaproCore

/// The content library's topic ids for the container-networking subject, as the banks use them.
enum SubjectTopics {
    static let all: [String] = [
        "overview",
        "amazon-ecs-networking",
        "amazon-ecs-networking/network-modes",
        "amazon-ecs-networking/network-modes/awsvpc-mode-recommended",
        "amazon-ecs-networking/network-modes/bridge-mode-default-for-linux",
        "amazon-ecs-networking/network-modes/host-mode",
        "amazon-ecs-networking/ecs-service-discovery",
        "amazon-ecs-networking/ecs-private-connectivity-patterns",
        "amazon-eks-networking",
        "amazon-eks-networking/vpc-cni-plugin",
        "amazon-eks-networking/ip-exhaustion-problem",
        "amazon-eks-networking/eks-ingress-patterns",
        "amazon-eks-networking/internal-only-clusters",
        "amazon-eks-networking/eks-security-boundaries",
        "container-networking-decision-framework",
        "container-networking-decision-framework/ecs-vs-eks-vs-lambda-networking-comparison",
        "container-networking-decision-framework/decision-tree",
        "gateway-load-balancer-inspection-vpc-pattern",
        "operational-considerations",
        "operational-considerations/monitoring-container-networking",
        "operational-considerations/troubleshooting",
    ]

    static let known = Set(all)

    /// Topics with no children.
    static let leaves: [String] = all.filter { id in !all.contains { $0.hasPrefix(id + "/") } }

    /// The repository's `Quizzes/` directory, found from this file's path.
    static let quizzesDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Banks
        .deletingLastPathComponent()  // SaproCoreTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // repository root
        .appendingPathComponent("Quizzes")
}

/// Parses `text` as one bank file named `t.md` and renders its problems. The structure tests'
/// small banks carry no `source:` lines; the source rule has its own test.
func bankProblems(_ text: String, file: String = "t.md", strict: Bool = false) -> [String] {
    BankParser(knownTopics: SubjectTopics.known, strict: strict).parse(QuizFile(name: file, text: text))
        .problems.map(\.description)
}

/// Parses `text` as one blueprint file named `b.blueprint` and renders its problems.
func blueprintProblems(_ text: String) -> [String] {
    BlueprintParser(knownTopics: SubjectTopics.known).parse(QuizFile(name: "b.blueprint", text: text))
        .problems.map(\.description)
}
