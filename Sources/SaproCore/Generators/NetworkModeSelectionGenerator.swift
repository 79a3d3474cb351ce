/// `network-mode-selection`: a scenario built from requirement flags; the answer is the ECS
/// network mode, ALB target type, load balancer, policy engine or platform that the flags
/// force. Only flag sets with exactly one defensible answer are generated.
enum NetworkModeSelectionGenerator {
    static let id = "network-mode-selection"
    static let modes = "amazon-ecs-networking/network-modes"
    static let decision = "container-networking-decision-framework/decision-tree"
    static let comparison = "container-networking-decision-framework/ecs-vs-eks-vs-lambda-networking-comparison"
    static let ingress = "amazon-eks-networking/eks-ingress-patterns"
    static let security = "amazon-eks-networking/eks-security-boundaries"

    static let generator = Generator(
        id: id,
        summary: "Pick the ECS network mode, ALB target type, ALB or NLB, policy engine or platform from requirements.",
        topics: [
            modes, "\(modes)/awsvpc-mode-recommended", "\(modes)/bridge-mode-default-for-linux", "\(modes)/host-mode",
            decision, comparison, ingress, security, "amazon-ecs-networking/ecs-private-connectivity-patterns",
        ]
    ) { _, random throws(GeneratorError) in
        switch random.next(upperBound: 5) {
        case 0: return ecsMode(&random)
        case 1: return targetType(&random)
        case 2: return loadBalancer(&random)
        case 3: return policyEngine(&random)
        default: return platform(&random)
        }
    }

    // MARK: - ECS network mode

    /// Requirements that decide an ECS task's network mode.
    struct ECSModeRequirements: Hashable, CaseIterable {
        var fargate: Bool
        var securityGroupPerTask: Bool
        var bindsHostPort: Bool
        var denseWithoutTrunking: Bool

        static let allCases: [ECSModeRequirements] = [false, true].flatMap { f in
            [false, true].flatMap { s in
                [false, true].flatMap { h in
                    [false, true].map { d in
                        ECSModeRequirements(fargate: f, securityGroupPerTask: s, bindsHostPort: h, denseWithoutTrunking: d)
                    }
                }
            }
        }
    }

    enum ECSNetworkMode: String, CaseIterable {
        case awsvpc, bridge, host

        /// What the mode gives and costs, shown when it is the wrong pick.
        var tradeOff: String {
            switch self {
            case .awsvpc:
                "awsvpc gives each task its own ENI, address and security groups, but without trunking an instance runs only ENIs − 1 such tasks."
            case .bridge:
                "bridge tasks share the instance's ENI and security groups behind Docker's bridge and NAT; EC2 only, not Fargate."
            case .host:
                "host tasks use the instance's network directly: one task per port per instance and no security group of their own; EC2 only."
            }
        }
    }

    /// The only mode that meets every requirement, or `nil` when the flags conflict or leave
    /// the choice open.
    static func decideMode(_ r: ECSModeRequirements) -> ECSNetworkMode? {
        if r.fargate {
            // Fargate supports awsvpc only; host ports and instance density do not apply.
            return r.bindsHostPort || r.denseWithoutTrunking ? nil : .awsvpc
        }
        let set = [r.securityGroupPerTask, r.bindsHostPort, r.denseWithoutTrunking].filter { $0 }.count
        guard set == 1 else { return nil }
        if r.securityGroupPerTask { return .awsvpc }
        if r.bindsHostPort { return .host }
        return .bridge
    }

    static func ecsMode(_ random: inout SeededGenerator) -> Generated {
        let valid = ECSModeRequirements.allCases.filter { decideMode($0) != nil }
        let r = random.pick(valid)
        let answer = decideMode(r)!
        var lines = [r.fargate ? "The tasks run on AWS Fargate." : "The tasks run on EC2 container instances."]
        if r.securityGroupPerTask {
            lines.append("Each task needs its own security group, so the database admits only this service's tasks.")
        }
        if r.bindsHostPort {
            lines.append(
                "A metrics agent must listen on UDP port 8125 of the instance itself with no address translation, one per instance."
            )
        }
        if r.denseWithoutTrunking {
            lines.append(
                "Each t3.medium instance (3 ENIs, no ENI trunking for t3) must run about 12 small tasks, and the tasks may share the instance's security group."
            )
        }
        var explanation: [String] = []
        if r.fargate { explanation.append("Fargate supports only awsvpc: each task gets its own ENI.") }
        if r.securityGroupPerTask {
            explanation.append(
                "A security group per task needs the task's own ENI, which only awsvpc gives; bridge and host tasks share the instance's security groups."
            )
        }
        if r.bindsHostPort {
            explanation.append(
                "host mode puts the container on the instance's network directly: container port = host port, one task per port per instance."
            )
            explanation.append(
                "awsvpc would give the task its own ENI and address, not the instance's; bridge would put Docker's NAT in between."
            )
        }
        if r.denseWithoutTrunking {
            explanation.append(
                "awsvpc on a t3.medium allows 3 − 1 = 2 tasks (no trunking for t3); bridge tasks share the instance's ENI, so density is bounded by CPU and memory, with dynamic host ports."
            )
        }
        explanation.append("So: \(answer.rawValue) network mode.")
        let misconceptions: [ECSNetworkMode: Misconception] = {
            switch answer {
            case .awsvpc where r.fargate:
                return [
                    .bridge: Misconception(
                        id: "fargate-awsvpc-only", summary: "Fargate tasks always use awsvpc; bridge and host are EC2-only.")
                ]
            case .awsvpc:
                return [
                    .bridge: Misconception(
                        id: "bridge-security-group",
                        summary:
                            "bridge tasks share the instance's ENI and its security groups; only awsvpc gives a task its own.")
                ]
            case .bridge:
                return [
                    .awsvpc: Misconception(
                        id: "awsvpc-eni-limit",
                        summary: "Without trunking awsvpc allows ENIs − 1 tasks per instance, 2 on a t3.medium.")
                ]
            case .host:
                return [
                    .bridge: Misconception(
                        id: "bridge-is-host-network",
                        summary:
                            "bridge mode maps ports through Docker's bridge with NAT; host mode uses the instance's network directly."
                    )
                ]
            }
        }()
        let choices = ECSNetworkMode.allCases.map { mode in
            Choice(
                text: mode.rawValue, explanation: mode == answer ? nil : mode.tradeOff,
                misconception: mode == answer ? nil : misconceptions[mode])
        }
        return Generated(
            prompt: "Which ECS network mode should the task definition use?\n" + lines.map { "- \($0)" }.joined(separator: "\n"),
            body: .singleChoice(choices: choices, correct: ECSNetworkMode.allCases.firstIndex(of: answer)!),
            explanation: explanation,
            topics: [modes, "\(modes)/\(topicSuffix(answer))", decision],
            params: [
                "variant": .string("ecs-network-mode"), "fargate": .bool(r.fargate),
                "securityGroupPerTask": .bool(r.securityGroupPerTask), "bindsHostPort": .bool(r.bindsHostPort),
                "denseWithoutTrunking": .bool(r.denseWithoutTrunking),
            ])
    }

    static func topicSuffix(_ mode: ECSNetworkMode) -> String {
        switch mode {
        case .awsvpc: "awsvpc-mode-recommended"
        case .bridge: "bridge-mode-default-for-linux"
        case .host: "host-mode"
        }
    }

    // MARK: - ALB target type

    /// Where the targets behind an ALB run.
    enum TargetPlatform: String, CaseIterable {
        case ecsFargate = "ecs-fargate"
        case ecsAwsvpcOnEC2 = "ecs-awsvpc-ec2"
        case ecsBridgeDynamicPorts = "ecs-bridge-dynamic"
        case eksFargate = "eks-fargate"
        case eksVpcCNIDirectToPods = "eks-vpc-cni-direct"
        case eksOverlayCNI = "eks-overlay-cni"
    }

    /// `ip` when targets have their own routable VPC address (and Fargate requires it);
    /// `instance` when traffic must reach a host port or NodePort.
    static func decideTargetType(_ platform: TargetPlatform) -> String {
        switch platform {
        case .ecsFargate, .ecsAwsvpcOnEC2, .eksFargate, .eksVpcCNIDirectToPods: "ip"
        case .ecsBridgeDynamicPorts, .eksOverlayCNI: "instance"
        }
    }

    static func targetType(_ random: inout SeededGenerator) -> Generated {
        let platform = random.pick(TargetPlatform.allCases)
        let answer = decideTargetType(platform)
        let (scenario, reason, trap): (String, String, Misconception?) =
            switch platform {
            case .ecsFargate:
                (
                    "An ECS service runs its tasks on AWS Fargate.",
                    "Fargate tasks use awsvpc and have no instance to target: the target type must be ip.",
                    Misconception(
                        id: "fargate-needs-ip-targets",
                        summary: "Fargate has no instances to register; its load balancer targets must be ip.")
                )
            case .ecsAwsvpcOnEC2:
                (
                    "An ECS service runs awsvpc tasks on EC2 container instances.",
                    "awsvpc tasks have their own ENI and address; ECS requires the ip target type for them.",
                    Misconception(
                        id: "awsvpc-needs-ip-targets",
                        summary: "Tasks in awsvpc mode register by their own ENI address: target type ip.")
                )
            case .ecsBridgeDynamicPorts:
                (
                    "An ECS service runs bridge-mode tasks on EC2 with hostPort 0 (dynamic host ports).",
                    "bridge tasks share the instance's address; ECS registers instance ID plus dynamic host port, so the target type is instance.",
                    Misconception(
                        id: "bridge-tasks-have-no-own-ip",
                        summary:
                            "bridge tasks have no VPC address of their own; the ALB reaches them through instance and host port.")
                )
            case .eksFargate:
                (
                    "EKS pods run on Fargate and the AWS Load Balancer Controller creates the ALB.",
                    "Pods on Fargate have no node you can register: the target type must be ip.",
                    Misconception(
                        id: "fargate-needs-ip-targets",
                        summary: "Fargate has no instances to register; its load balancer targets must be ip.")
                )
            case .eksVpcCNIDirectToPods:
                (
                    "EKS nodes use the Amazon VPC CNI, and the team wants the ALB to send traffic straight to pods, skipping the NodePort hop through kube-proxy.",
                    "With the VPC CNI, pod addresses are VPC addresses, so the ALB can target them directly with ip targets.",
                    nil
                )
            case .eksOverlayCNI:
                (
                    "EKS nodes replaced the VPC CNI with an overlay CNI, so pod addresses are not routable in the VPC; the app is a NodePort service.",
                    "Overlay pod addresses are unreachable from the ALB; it must target the nodes' NodePort: instance.",
                    Misconception(
                        id: "overlay-pod-ips-not-routable",
                        summary: "ip targets need pod addresses routable in the VPC, which an overlay CNI does not give.")
                )
            }
        let why = [
            "ip": "ip targets are task or pod addresses, which must be routable in the VPC.",
            "instance": "instance targets are EC2 instances on a host port or NodePort; Fargate has no instance to register.",
            "lambda": "The lambda target type invokes a Lambda function; it cannot point at containers.",
        ]
        let choices = ["ip", "instance", "lambda"].map { text in
            Choice(
                text: text, explanation: text == answer ? nil : why[text],
                misconception: text == answer || text == "lambda" ? nil : trap)
        }
        return Generated(
            prompt: "\(scenario) Which ALB target type should its target group use?",
            body: .singleChoice(choices: choices, correct: answer == "ip" ? 0 : 1),
            explanation: [
                reason,
                "ALB target types: instance (host port or NodePort), ip (task or pod addresses; required for Fargate), lambda.",
            ],
            topics: platform.rawValue.hasPrefix("eks")
                ? [ingress] : [modes, "amazon-ecs-networking/ecs-private-connectivity-patterns"],
            params: ["variant": .string("alb-target-type"), "platform": .string(platform.rawValue)])
    }

    // MARK: - ALB or NLB

    /// A requirement that only one load balancer type meets.
    enum LBRequirement: String, CaseIterable {
        case pathRouting = "path-routing"
        case hostRouting = "host-routing"
        case oidcAuth = "oidc-auth"
        case udp
        case staticIPs = "static-ips"
        case tlsPassthrough = "tls-passthrough"

        var needsALB: Bool { [.pathRouting, .hostRouting, .oidcAuth].contains(self) }
        var text: String {
            switch self {
            case .pathRouting: "Requests for /api/* and /web/* must go to different services."
            case .hostRouting: "api.example.com and www.example.com must reach different services on one load balancer."
            case .oidcAuth: "Users must sign in through the company's OIDC identity provider before requests reach the app."
            case .udp: "The service speaks a UDP protocol (game traffic on UDP 7777)."
            case .staticIPs: "Partners allow-list one fixed IP address per Availability Zone."
            case .tlsPassthrough:
                "TLS must be terminated by the pods themselves (end-to-end, the load balancer never sees plaintext)."
            }
        }
    }

    enum LBChoice: String, CaseIterable {
        case alb = "Application Load Balancer"
        case nlb = "Network Load Balancer"
        case nlbFrontingALB = "Network Load Balancer with the ALB as its target (ALB-type target group)"
        case gwlb = "Gateway Load Balancer"
    }

    /// ALB for layer-7 needs, NLB for layer-4 needs, NLB in front of an ALB for both.
    static func decideLoadBalancer(_ requirements: Set<LBRequirement>) -> LBChoice? {
        let l7 = requirements.contains { $0.needsALB }
        let l4 = requirements.contains { !$0.needsALB }
        switch (l7, l4) {
        case (true, false): return .alb
        case (false, true): return .nlb
        case (true, true):
            // Static IPs can be added with an NLB in front; UDP and TLS passthrough cannot coexist with ALB features.
            return requirements.subtracting([.staticIPs]).allSatisfy(\.needsALB) ? .nlbFrontingALB : nil
        case (false, false): return nil
        }
    }

    static func loadBalancer(_ random: inout SeededGenerator) -> Generated {
        var requirements: Set<LBRequirement>
        repeat {
            let shuffled = random.shuffled(LBRequirement.allCases)
            requirements = Set(shuffled.prefix(1 + random.next(upperBound: 2)))
        } while decideLoadBalancer(requirements) == nil
        let answer = decideLoadBalancer(requirements)!
        let ordered = LBRequirement.allCases.filter { requirements.contains($0) }
        var explanation = ordered.map { requirement in
            switch requirement {
            case .pathRouting, .hostRouting: "Routing on path or host header is a layer-7 listener rule: ALB."
            case .oidcAuth: "Built-in OIDC or Cognito authentication is an ALB listener action."
            case .udp: "ALB handles HTTP and HTTPS only; UDP needs an NLB."
            case .staticIPs: "An NLB has one static address per AZ (optionally an Elastic IP); an ALB's addresses change."
            case .tlsPassthrough: "An ALB always terminates TLS; an NLB TCP listener passes the encrypted stream through."
            }
        }
        if answer == .nlbFrontingALB {
            explanation.append(
                "Both needs together: an NLB with static IPs whose target group is of type alb, forwarding to the ALB that does the layer-7 work."
            )
        }
        explanation.append(
            "A Gateway Load Balancer is for transparent inspection appliances (GENEVE), not for serving an application.")
        let choices = LBChoice.allCases.map { choice in
            var misconception: Misconception?
            if choice == .gwlb {
                misconception = Misconception(
                    id: "gwlb-for-apps",
                    summary:
                        "A Gateway Load Balancer sends traffic through inspection appliances; it does not front applications.")
            } else if choice == .alb, answer != .alb {
                misconception = Misconception(
                    id: "alb-layer-four", summary: "An ALB is layer 7 only: no UDP, no TLS passthrough, no static IP addresses.")
            } else if choice == .nlb, answer != .nlb {
                misconception = Misconception(
                    id: "nlb-layer-seven",
                    summary: "An NLB works at layer 4: it cannot route on paths or hosts or authenticate users.")
            }
            let fronting =
                choice == .nlbFrontingALB && answer != .nlbFrontingALB
                ? "Putting an NLB in front of an ALB is only worth it when both static IPs and layer-7 rules are needed." : nil
            return Choice(
                text: choice.rawValue, explanation: choice == answer ? nil : fronting,
                misconception: choice == answer ? nil : misconception)
        }
        return Generated(
            prompt: "A containerised service needs a load balancer in front of it:\n"
                + ordered.map { "- \($0.text)" }.joined(separator: "\n") + "\nWhich should the team use?",
            body: .singleChoice(choices: choices, correct: LBChoice.allCases.firstIndex(of: answer)!),
            explanation: explanation, topics: [ingress, decision],
            params: ["variant": .string("load-balancer"), "requirements": .array(ordered.map { .string($0.rawValue) })])
    }

    // MARK: - Network policy engine

    /// What enforces the team's policies with the least operational overhead on EKS 1.29 Linux
    /// nodes running VPC CNI 1.18: its own NetworkPolicy support, or for cluster-wide ordered deny
    /// rules an upgrade to VPC CNI 1.21.1+ and its Admin network policies (audit R7).
    static func decidePolicyEngine(needsDenyOrClusterWideRules: Bool) -> String {
        needsDenyOrClusterWideRules ? "vpc-cni-admin-policies" : "vpc-cni"
    }

    static func policyEngine(_ random: inout SeededGenerator) -> Generated {
        let advanced = random.nextBool()
        let answer = decidePolicyEngine(needsDenyOrClusterWideRules: advanced)
        let need =
            advanced
            ? "The security team needs cluster-wide policies that apply to every namespace at once, with explicit deny rules evaluated in a set order."
            : "The team needs standard Kubernetes NetworkPolicy objects: only pods labelled app=frontend in the web namespace may reach the api pods on TCP 8080."
        let choices = [
            Choice(
                text: "Turn on network policy support in the Amazon VPC CNI as it is",
                misconception: advanced
                    ? Misconception(
                        id: "networkpolicy-has-deny",
                        summary:
                            "Kubernetes NetworkPolicy is namespaced and allow-only; cluster-wide ordered deny rules need Admin network policies (VPC CNI 1.21.1+) or another engine."
                    ) : nil),
            Choice(
                text: "Upgrade the VPC CNI add-on to v1.21.1 or later and use its Admin network policies (ClusterNetworkPolicy)",
                misconception: advanced
                    ? nil
                    : Misconception(
                        id: "admin-policies-for-namespaced-rules",
                        summary: "Standard namespaced NetworkPolicy needs no upgrade: VPC CNI 1.14+ enforces it.")),
            Choice(
                text: "Install Calico as the network policy engine",
                misconception: Misconception(
                    id: "calico-required-for-policies",
                    summary:
                        "The VPC CNI enforces NetworkPolicy since v1.14 and cluster-wide Admin network policies since v1.21.1 (Kubernetes 1.29+); a third-party engine adds operational overhead."
                )),
            Choice(
                text: "Nothing: the Kubernetes API server enforces NetworkPolicy by itself",
                misconception: Misconception(
                    id: "policy-without-enforcer", summary: "A NetworkPolicy does nothing unless a network plugin enforces it.")),
        ]
        let explanation = [
            "A NetworkPolicy is only enforced by the network plugin; the API server just stores it.",
            "The Amazon VPC CNI enforces Kubernetes NetworkPolicy itself since v1.14 (EKS 1.25+, Linux EC2 nodes).",
            advanced
                ? "Standard NetworkPolicy is namespaced and allow-only. Since December 2025 EKS supports Admin network policies (ClusterNetworkPolicy with Admin and Baseline tiers and Deny, Allow or Pass actions), enforced by VPC CNI v1.21.1+ on Kubernetes 1.29+: upgrading the add-on is less to run than a second policy engine such as Calico."
                : "Standard NetworkPolicy objects need no extra engine and no upgrade: enable the VPC CNI's network policy support.",
            "Source: Amazon EKS user guide, network policies with the VPC CNI; AWS containers blog, Amazon EKS enhanced network policy capabilities (December 2025).",
        ]
        let correct = answer == "vpc-cni" ? 0 : 1
        return Generated(
            prompt:
                "An EKS 1.29 cluster runs Linux EC2 nodes with the Amazon VPC CNI add-on at v1.18. \(need) What should enforce the policies with the LEAST operational overhead?",
            body: .singleChoice(choices: choices, correct: correct),
            explanation: explanation, topics: [security, decision],
            params: ["variant": .string("policy-engine"), "denyOrClusterWideRules": .bool(advanced)])
    }

    // MARK: - Platform for a security group per workload

    /// With a security group per workload required: EKS with security groups for pods when
    /// Kubernetes is required, otherwise ECS awsvpc.
    static func decidePlatform(needsKubernetes: Bool) -> String {
        needsKubernetes ? "eks-sg-for-pods" : "ecs-awsvpc"
    }

    static func platform(_ random: inout SeededGenerator) -> Generated {
        let kubernetes = random.nextBool()
        let answer = decidePlatform(needsKubernetes: kubernetes)
        let context =
            kubernetes
            ? "The team deploys with Helm charts and Kubernetes operators and must keep that tooling."
            : "The team has no Kubernetes tooling and wants the AWS-native orchestrator with the least to operate."
        let choices = [
            Choice(
                text: "EKS with security groups for pods on m5 nodes",
                misconception: kubernetes
                    ? nil
                    : Misconception(
                        id: "kubernetes-not-required",
                        summary: "Without a Kubernetes requirement, ECS awsvpc gives a security group per task with less to run.")
            ),
            Choice(
                text: "EKS with security groups for pods on t3 nodes",
                misconception: Misconception(
                    id: "sg-for-pods-t-family",
                    summary: "Security groups for pods need trunk-compatible Nitro types; the t family is not.")),
            Choice(
                text: "ECS with awsvpc tasks",
                misconception: kubernetes
                    ? Misconception(
                        id: "document-eks-no-sg-per-pod",
                        summary:
                            "EKS supports a security group per pod (security groups for pods, branch ENIs); the study document's table says otherwise."
                    ) : nil),
            Choice(
                text: "ECS with bridge tasks",
                misconception: Misconception(
                    id: "bridge-security-group",
                    summary: "bridge tasks share the instance's ENI and its security groups; only awsvpc gives a task its own.")),
        ]
        let explanation = [
            "A security group per workload needs the workload's own network interface.",
            "ECS gives it with awsvpc (one ENI per task); bridge tasks share the instance's security groups.",
            "EKS gives it with security groups for pods: branch ENIs on a trunk ENI, on trunk-compatible Nitro types (m5 yes, t3 no).",
            kubernetes
                ? "Kubernetes tooling is required, so EKS with security groups for pods on m5 nodes."
                : "No Kubernetes is needed, so ECS awsvpc is the simpler fit.",
        ]
        return Generated(
            prompt:
                "Each microservice must have its own security group so the RDS database admits only the services that need it. \(context) Which platform and setup fit?",
            body: .singleChoice(choices: choices, correct: answer == "eks-sg-for-pods" ? 0 : 2),
            explanation: explanation, topics: [comparison, security],
            params: ["variant": .string("platform"), "needsKubernetes": .bool(kubernetes)],
            erratum: kubernetes
                ? "The study document's comparison table says EKS has no security group per pod; security groups for pods give one."
                : nil)
    }
}
