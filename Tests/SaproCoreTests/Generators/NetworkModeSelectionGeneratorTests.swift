import Testing
@testable import SaproCore

@Suite struct NetworkModeSelectionGeneratorTests {
    typealias G = NetworkModeSelectionGenerator
    typealias R = G.ECSModeRequirements

    @Test(arguments: [
        (R(fargate: true, securityGroupPerTask: false, bindsHostPort: false, denseWithoutTrunking: false), "awsvpc"),
        (R(fargate: true, securityGroupPerTask: true, bindsHostPort: false, denseWithoutTrunking: false), "awsvpc"),
        (R(fargate: false, securityGroupPerTask: true, bindsHostPort: false, denseWithoutTrunking: false), "awsvpc"),
        (R(fargate: false, securityGroupPerTask: false, bindsHostPort: true, denseWithoutTrunking: false), "host"),
        (R(fargate: false, securityGroupPerTask: false, bindsHostPort: false, denseWithoutTrunking: true), "bridge"),
        (R(fargate: true, securityGroupPerTask: false, bindsHostPort: true, denseWithoutTrunking: false), "none"),
        (R(fargate: false, securityGroupPerTask: true, bindsHostPort: true, denseWithoutTrunking: false), "none"),
        (R(fargate: false, securityGroupPerTask: false, bindsHostPort: false, denseWithoutTrunking: false), "none"),
    ])
    func ecsModeDecisions(requirements: R, expected: String) {
        #expect((G.decideMode(requirements)?.rawValue ?? "none") == expected)
    }

    @Test(arguments: [
        ("ecs-fargate", "ip"), ("ecs-awsvpc-ec2", "ip"), ("ecs-bridge-dynamic", "instance"),
        ("eks-fargate", "ip"), ("eks-vpc-cni-direct", "ip"), ("eks-overlay-cni", "instance"),
    ])
    func targetTypeDecisions(platform: String, expected: String) {
        #expect(G.decideTargetType(G.TargetPlatform(rawValue: platform)!) == expected)
    }

    @Test(arguments: [
        (["path-routing"], "Application Load Balancer"),
        (["oidc-auth", "host-routing"], "Application Load Balancer"),
        (["udp"], "Network Load Balancer"),
        (["static-ips", "tls-passthrough"], "Network Load Balancer"),
        (["path-routing", "static-ips"], "Network Load Balancer with the ALB as its target (ALB-type target group)"),
        (["path-routing", "udp"], "none"),
    ])
    func loadBalancerDecisions(requirements: [String], expected: String) {
        let set = Set(requirements.map { G.LBRequirement(rawValue: $0)! })
        #expect((G.decideLoadBalancer(set)?.rawValue ?? "none") == expected)
    }

    /// Audit R7: since December 2025 the VPC CNI (v1.21.1+, Kubernetes 1.29+) enforces cluster-wide
    /// Admin network policies, so Calico is not the least-overhead answer for them either.
    @Test func policyEngineNeverForcesCalico() {
        #expect(G.decidePolicyEngine(needsDenyOrClusterWideRules: false) == "vpc-cni")
        #expect(G.decidePolicyEngine(needsDenyOrClusterWideRules: true) == "vpc-cni-admin-policies")
    }

    /// Every generated question's key, checked against a table written from FACTS.md.
    @Test func generatedQuestionsFollowTheRules() {
        var variants: Set<String> = []
        for question in Reference.questions("network-mode-selection", count: 500) {
            let variant = question.string("variant")!
            variants.insert(variant)
            let answer = question.correctText
            switch variant {
            case "ecs-network-mode":
                let expected =
                    question.bool("fargate")! || question.bool("securityGroupPerTask")!
                    ? "awsvpc"
                    : question.bool("bindsHostPort")! ? "host" : "bridge"
                #expect(answer == expected)
            case "alb-target-type":
                let platform = question.string("platform")!
                #expect(answer == (["ecs-bridge-dynamic", "eks-overlay-cni"].contains(platform) ? "instance" : "ip"))
            case "load-balancer":
                guard case let .array(list)? = question.params["requirements"] else { Issue.record("no requirements"); continue }
                let names = Set(
                    list.compactMap {
                        if case let .string(s) = $0 { return s }; return nil
                    })
                let l7 = !names.isDisjoint(with: ["path-routing", "host-routing", "oidc-auth"])
                let l4 = !names.isDisjoint(with: ["udp", "static-ips", "tls-passthrough"])
                let expected =
                    l7 && l4
                    ? "Network Load Balancer with the ALB as its target (ALB-type target group)"
                    : l7 ? "Application Load Balancer" : "Network Load Balancer"
                #expect(answer == expected)
                if l7 && l4 { #expect(names.isDisjoint(with: ["udp", "tls-passthrough"])) }
            case "policy-engine":
                #expect(
                    answer?.hasPrefix(
                        question.bool("denyOrClusterWideRules")!
                            ? "Upgrade the VPC CNI add-on to v1.21.1" : "Turn on network policy support")
                        == true)
                #expect(answer?.contains("Calico") == false)
            case "platform":
                #expect(
                    answer
                        == (question.bool("needsKubernetes")!
                            ? "EKS with security groups for pods on m5 nodes" : "ECS with awsvpc tasks"))
            default:
                Issue.record("unknown variant \(variant)")
            }
        }
        #expect(variants == ["ecs-network-mode", "alb-target-type", "load-balancer", "policy-engine", "platform"])
    }

    @Test func choosingCalicoForStandardPoliciesNamesTheMisconception() throws {
        let question = try #require(
            Reference.questions("network-mode-selection", count: 200).first {
                $0.string("variant") == "policy-engine" && $0.bool("denyOrClusterWideRules") == false
            })
        #expect(question.grade("c").misconception?.id == "calico-required-for-policies")
    }
}
