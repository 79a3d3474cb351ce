import Foundation

/// `eks-max-pods`: max pods per node for an instance type and VPC CNI mode, and the inverse
/// (the smallest type of a family that runs N pods).
enum EKSMaxPodsGenerator {
    static let id = "eks-max-pods"
    static let vpcCNI = "amazon-eks-networking/vpc-cni-plugin"
    static let exhaustion = "amazon-eks-networking/ip-exhaustion-problem"

    static let generator = Generator(
        id: id,
        summary: "Max pods per EKS node (secondary IP, custom networking, prefix delegation), or the smallest type for N pods.",
        topics: [vpcCNI, exhaustion]
    ) { catalog, random throws(GeneratorError) in
        // One question in four asks the inverse.
        if random.next(upperBound: 4) == 0, let inverse = try smallestType(catalog, &random) {
            return inverse
        }
        return try forward(catalog, &random)
    }

    static func describe(_ type: InstanceType) -> String {
        "\(type.name) (\(type.vcpus) vCPU\(type.vcpus == 1 ? "" : "s"), \(type.maxENIs) ENIs, \(type.ipv4PerENI) IPv4 addresses per ENI)"
    }

    static func modeText(_ networking: PodNetworking) -> String {
        switch networking {
        case .secondaryIP: "secondary-IP mode (the default)"
        case .customNetworking: "custom networking (pods in another subnet through ENIConfig)"
        case .prefixDelegation: "prefix delegation mode, with EKS's recommended max-pods value"
        }
    }

    /// What the generator needs from a catalog, worked out once per catalog (`GeneratorCatalog.eksMaxPods`)
    /// rather than once per question.
    struct Pools: Sendable {
        /// The forward question's types: Nitro, one card, at least 2 ENIs and 2 addresses per ENI.
        let forward: [InstanceType]
        /// Families the inverse question can ask about, sorted by name.
        let families: [String]
        /// Each of `families`' sizes, smallest first, with their max pods per mode.
        let steps: [String: FamilySteps]

        init(catalog types: [InstanceType]) {
            forward = types.filter { $0.maxENIs >= 2 && $0.ipv4PerENI >= 2 }
            var byFamily: [String: [InstanceType]] = [:]
            for type in types where type.maxENIs >= 2 {
                byFamily[type.family, default: []].append(type)
            }
            // Sizes must differ in vCPUs, or "smallest" would be ambiguous.
            families = byFamily.filter { $0.value.count >= 3 && Set($0.value.map(\.vcpus)).count == $0.value.count }
                .keys.sorted()
            var steps: [String: FamilySteps] = [:]
            for family in families { steps[family] = FamilySteps(sizes: byFamily[family]!) }
            self.steps = steps
        }
    }

    /// One family's sizes for the inverse question, and per mode the max pods of each size and
    /// the sizes that can be asked for (those running more pods than every smaller size).
    struct FamilySteps: Sendable {
        let sizes: [InstanceType]
        let secondaryIP: (pods: [Int], targets: [Int])
        let customNetworking: (pods: [Int], targets: [Int])

        init(sizes unsorted: [InstanceType]) {
            let sizes = unsorted.sorted { ($0.vcpus, $0.name) < ($1.vcpus, $1.name) }
            self.sizes = sizes
            func steps(_ networking: PodNetworking) -> (pods: [Int], targets: [Int]) {
                let pods = sizes.map { type in
                    let enis = type.maxENIs, ips = type.ipv4PerENI
                    return networking == .secondaryIP ? enis * (ips - 1) + 2 : (enis - 1) * (ips - 1) + 2
                }
                let targets = sizes.indices.filter { i in i > 0 && pods[i] > (pods[..<i].max() ?? 0) }
                return (pods, targets)
            }
            secondaryIP = steps(.secondaryIP)
            customNetworking = steps(.customNetworking)
        }
    }

    static func forward(_ catalog: GeneratorCatalog, _ random: inout SeededGenerator) throws(GeneratorError) -> Generated {
        let pool = catalog.eksMaxPods.forward
        guard !pool.isEmpty else {
            throw .noEligibleInstanceTypes(generator: id, requirement: "Nitro with one network card and at least 2 ENIs")
        }
        let type = random.pick(pool)
        let networking = random.pick(PodNetworking.allCases)
        let node = random.pick(NodeGroupKind.allCases)
        let parts = try forwardMemo.value(for: ForwardKey(type: type, networking: networking, node: node)) {
            () throws(GeneratorError) in try forwardParts(type, networking, node)
        }
        let body = NumericRendering.render(answer: parts.value, unit: "pods", distractors: parts.distractors, random: &random)
        return Generated(
            prompt: parts.prompt, body: body, explanation: parts.explanation,
            topics: networking == .secondaryIP ? [vpcCNI] : [vpcCNI, exhaustion],
            params: [
                "instanceType": .string(type.name), "networking": .string(networking.rawValue), "node": .string(node.rawValue),
            ],
            value: parts.value, erratum: parts.erratum)
    }

    struct ForwardKey: Hashable {
        var type: InstanceType
        var networking: PodNetworking
        var node: NodeGroupKind
    }

    /// Everything in a forward question but its rendering, which draws from the seed.
    struct ForwardParts {
        var value: Int
        var distractors: [NumericDistractor]
        var prompt: String
        var explanation: [String]
        var erratum: String?
    }

    static let forwardMemo = Memo<ForwardKey, ForwardParts>()

    /// The forward question's text and distractors for one type and mode; a pure function of them.
    static func forwardParts(_ type: InstanceType, _ networking: PodNetworking, _ node: NodeGroupKind) throws(GeneratorError)
        -> ForwardParts
    {
        let computation = try rule { () throws(FactsError) in try EKSRules.maxPods(type, networking: networking, node: node) }
        let uncapped = try rule { () throws(FactsError) in try EKSRules.maxPods(type, networking: networking) }.value
        let cap = EKSRules.cap(vcpus: type.vcpus)
        let enis = type.maxENIs, ips = type.ipv4PerENI
        let secondaryIP = enis * (ips - 1) + 2
        var distractors: [NumericDistractor] = []
        var erratum: String?
        switch networking {
        case .secondaryIP:
            distractors = [
                .init(
                    value: enis * ips - 1, misconception: Misconceptions.documentMaxPods,
                    working: "(\(enis) × \(ips)) − 1 = \(enis * ips - 1)"),
                .init(
                    value: enis * (ips - 1), misconception: Misconceptions.forgotHostNetworkPods,
                    working: "\(enis) × (\(ips) − 1) = \(enis * (ips - 1)), without the +2"),
                .init(
                    value: enis * ips + 2, misconception: Misconceptions.countedPrimaryAddresses,
                    working: "\(enis) × \(ips) + 2 = \(enis * ips + 2)"),
            ]
            if enis * ips - 1 != computation.value {
                erratum =
                    "The study document's formula (ENIs × IPs per ENI) − 1 gives \(enis * ips - 1) for \(type.name); the right value is \(computation.value)."
            }
        case .customNetworking:
            distractors = [
                .init(
                    value: secondaryIP, misconception: Misconceptions.customNetworkingPrimaryENI,
                    working: "\(enis) × (\(ips) − 1) + 2 = \(secondaryIP), counting the primary ENI"),
                .init(
                    value: (enis - 1) * (ips - 1), misconception: Misconceptions.forgotHostNetworkPods,
                    working: "(\(enis) − 1) × (\(ips) − 1) = \((enis - 1) * (ips - 1)), without the +2"),
                .init(
                    value: (enis - 1) * ips + 2, misconception: Misconceptions.countedPrimaryAddresses,
                    working: "(\(enis) − 1) × \(ips) + 2 = \((enis - 1) * ips + 2)"),
            ]
        case .prefixDelegation:
            let raw = enis * ((ips - 1) * EKSRules.addressesPerPrefix) + 2
            let otherCap = type.vcpus < 30 ? 250 : 110
            distractors = [
                .init(
                    value: raw, misconception: Misconceptions.prefixDelegationUncapped,
                    working: "\(enis) × ((\(ips) − 1) × 16) + 2 = \(raw), uncapped"),
                .init(
                    value: secondaryIP, misconception: Misconceptions.prefixDelegationIgnored,
                    working: "\(enis) × (\(ips) − 1) + 2 = \(secondaryIP), one address per slot"),
                .init(
                    value: min(raw, otherCap),
                    misconception: Misconception(
                        id: "prefix-delegation-cap-threshold",
                        summary: "The cap is 110 for instances with fewer than 30 vCPUs and 250 from 30 vCPUs up."),
                    working: "min(\(raw), \(otherCap)) = \(min(raw, otherCap)), the other cap"),
            ]
        }
        // The node kind decides whether the 110/250 cap applies: the difference candidates miss most.
        if networking != .prefixDelegation && uncapped > cap {
            if node == .managed {
                distractors.append(
                    .init(
                        value: uncapped, misconception: Misconceptions.managedNodeGroupCapIgnored,
                        working: "\(uncapped), the eni-max-pods.txt value, uncapped"))
            } else {
                distractors.append(
                    .init(
                        value: cap, misconception: Misconceptions.managedCapOnSelfManaged,
                        working: "min(\(uncapped), \(cap)), the managed node group's cap"))
            }
        }
        // A distractor may not equal the answer (the cap can make two values meet).
        distractors.removeAll { $0.value == computation.value }
        let nodeText =
            node == .managed
            ? "in an EKS managed node group" : "as a self-managed EKS node with the default bootstrap (eni-max-pods.txt)"
        let prompt = """
            An EKS worker node runs on \(describe(type)) \(nodeText). The Amazon VPC CNI runs in \(modeText(networking)). \
            What is the node's max-pods value?
            """
        return ForwardParts(
            value: computation.value, distractors: distractors, prompt: prompt,
            explanation: ["Formula: \(computation.formula)."] + computation.steps, erratum: erratum)
    }

    /// The inverse: the smallest size of a family whose max pods reaches N. `nil` when the
    /// drawn family has no usable step (the caller then asks the forward question).
    static func smallestType(_ catalog: GeneratorCatalog, _ random: inout SeededGenerator) throws(GeneratorError) -> Generated? {
        let pools = catalog.eksMaxPods
        guard !pools.families.isEmpty else { return nil }
        let family = random.pick(pools.families)
        let networking: PodNetworking = random.nextBool() ? .secondaryIP : .customNetworking
        let steps = pools.steps[family]!
        let sizes = steps.sizes
        // A target is a size that runs more pods than every smaller size.
        let (pods, targets) = networking == .secondaryIP ? steps.secondaryIP : steps.customNetworking
        guard !targets.isEmpty else { return nil }
        let target = random.pick(targets)
        let below = pods[..<target].max() ?? 0
        let needed = random.next(in: (below + 1)...pods[target])
        let answer = sizes[target]
        let computation = try rule { () throws(FactsError) in
            try EKSRules.maxPods(answer, networking: networking, node: .selfManaged)
        }

        // Show four consecutive sizes that include the answer.
        let window = min(4, sizes.count)
        let lowest = max(0, min(target - random.next(upperBound: window), sizes.count - window))
        let shown = Array(lowest..<(lowest + window))
        var choices: [Choice] = []
        for index in shown {
            let type = sizes[index]
            let text =
                "\(type.name) (\(type.vcpus) vCPU\(type.vcpus == 1 ? "" : "s"), \(type.maxENIs) ENIs × \(type.ipv4PerENI) IPv4)"
            if index == target {
                choices.append(Choice(text: text, explanation: "Smallest size with at least \(needed): \(pods[index]) pods."))
            } else if index > target {
                choices.append(Choice(text: text, explanation: "Fits (\(pods[index]) pods) but \(answer.name) is smaller."))
            } else {
                let enis = type.maxENIs, ips = type.ipv4PerENI
                let documentValue = networking == .secondaryIP ? enis * ips - 1 : (enis - 1) * ips - 1
                let primaryENIValue = enis * (ips - 1) + 2
                var misconception: Misconception?
                if networking == .customNetworking && primaryENIValue >= needed {
                    misconception = Misconceptions.customNetworkingPrimaryENI
                } else if documentValue >= needed {
                    misconception = Misconceptions.documentMaxPods
                } else if networking == .secondaryIP && enis * ips + 2 >= needed {
                    misconception = Misconceptions.countedPrimaryAddresses
                }
                choices.append(Choice(text: text, explanation: "Too small: \(pods[index]) pods.", misconception: misconception))
            }
        }
        let correct = shown.firstIndex(of: target)!
        var explanation = ["Formula: \(computation.formula)."]
        for index in shown {
            let type = sizes[index]
            let enis = type.maxENIs, ips = type.ipv4PerENI
            let line =
                networking == .secondaryIP
                ? "\(type.name): \(enis) × (\(ips) − 1) + 2 = \(pods[index])"
                : "\(type.name): (\(enis) − 1) × (\(ips) − 1) + 2 = \(pods[index])"
            explanation.append(line + (pods[index] >= needed ? " ≥ \(needed), fits." : " < \(needed), too small."))
        }
        explanation.append("The smallest size that fits is \(answer.name).")
        if needed > 110 {
            explanation.append(
                "These are self-managed nodes: in a managed node group max pods is capped at 110 below 30 vCPUs "
                    + "and 250 from 30 up, so \(needed) pods per node \(needed > 250 ? "cannot be reached there at all" : "need a size with 30 or more vCPUs there")."
            )
        }
        let prompt = """
            Each EKS node must run at least \(needed) pods (max-pods counts aws-node and kube-proxy). The nodes are \
            self-managed and use the default bootstrap, which takes max pods from eni-max-pods.txt. \
            The Amazon VPC CNI runs in \(modeText(networking)). Which is the smallest \(family) size that fits?
            """
        return Generated(
            prompt: prompt, body: .singleChoice(choices: choices, correct: correct),
            explanation: explanation,
            topics: networking == .secondaryIP ? [vpcCNI] : [vpcCNI, exhaustion],
            params: [
                "family": .string(family), "networking": .string(networking.rawValue),
                "pods": .int(needed), "variant": .string("smallest-type"), "node": .string(NodeGroupKind.selfManaged.rawValue),
            ])
    }
}
