/// `mng-max-pods`: the max pods a managed node group gives its nodes (capped, smallest type of
/// a mixed group), against a self-managed node's eni-max-pods.txt value (audit G2).
enum ManagedNodeGroupGenerator {
    static let id = "mng-max-pods"
    static let source =
        "Source: Amazon EKS user guide, cni-increase-ip-addresses (the managed node group cap, applied whether prefix delegation is on or not, and the smallest value of a group's types applied to all its nodes); awslabs/amazon-eks-ami eni-max-pods.txt."

    static let generator = Generator(
        id: id,
        summary: "Max pods in a managed node group (110/250 cap, smallest type of a mixed group) vs a self-managed node.",
        topics: [SubnetCapacityGenerator.vpcCNI]
    ) { catalog, random throws(GeneratorError) in
        let pool = catalog.nitroSingleCard.filter { $0.maxENIs >= 2 }
        guard pool.count >= 3 else {
            throw .noEligibleInstanceTypes(generator: id, requirement: "three Nitro single-card types with 2+ ENIs")
        }
        let first = random.pick(pool)
        let sameFamily = pool.filter { $0.family == first.family && $0.name != first.name }
        let others = random.nextBool() && sameFamily.count >= 2 ? sameFamily : pool.filter { $0.name != first.name }
        let count = random.next(in: 1...3)
        var types = [first]
        for candidate in random.shuffled(others) where types.count < count && !types.contains(candidate) {
            types.append(candidate)
        }
        let prefixDelegation = random.next(upperBound: 3) == 0
        let computation = try rule { () throws(FactsError) in
            try EKSRules.managedNodeGroupMaxPods(types, prefixDelegation: prefixDelegation)
        }
        let networking: PodNetworking = prefixDelegation ? .prefixDelegation : .secondaryIP
        var distractors: [NumericDistractor] = []
        for type in types {
            let uncapped =
                prefixDelegation
                ? EKSRules.rawPrefixDelegation(type) : (try? EKSRules.maxPods(type, networking: networking).value) ?? 0
            distractors.append(
                .init(
                    value: uncapped, misconception: Misconceptions.managedNodeGroupCapIgnored,
                    working: "\(uncapped), \(type.name)'s uncapped value"))
            let capped = min(uncapped, EKSRules.cap(vcpus: type.vcpus))
            if types.count > 1 {
                distractors.append(
                    .init(
                        value: capped, misconception: smallestIgnored,
                        working: "\(capped), \(type.name)'s own value; the group applies its smallest to every node"))
            }
        }
        let largest = types.max { $0.vcpus < $1.vcpus }!
        if computation.value == 110 || computation.value == 250 {
            distractors.append(
                .init(
                    value: computation.value == 110 ? 250 : 110,
                    misconception: wrongCapBand, working: "the other cap band (110 below 30 vCPUs, 250 from 30)"))
        }
        let body = NumericRendering.render(
            answer: computation.value, unit: "pods", distractors: distractors, random: &random, alwaysChoice: types.count > 1)
        let typeList = types.map { "\($0.name) (\($0.vcpus) vCPUs, \($0.maxENIs) ENIs, \($0.ipv4PerENI) IPv4 addresses per ENI)" }
        let cluster = random.pick(["A production", "A staging", "An analytics", "A shared platform", "A batch-processing"])
        let prompt = """
            \(cluster) EKS cluster has a managed node group that uses \(types.count == 1 ? "the instance type" : "the instance types") \(list(typeList)) \
            with the Amazon VPC CNI \(prefixDelegation ? "with prefix delegation enabled" : "in its default secondary-IP mode"). \
            No custom launch template overrides max pods. What max-pods value does the kubelet on \(types.count == 1 ? "each node" : "the group's \(largest.name) nodes") get?
            """
        return Generated(
            prompt: prompt, body: body,
            explanation: ["Rule: \(computation.formula)."] + computation.steps + [
                "A self-managed node with the default bootstrap would instead read eni-max-pods.txt, uncapped\(prefixDelegation ? " (without prefix delegation)" : "").",
                source,
            ],
            topics: [SubnetCapacityGenerator.vpcCNI],
            params: [
                "instanceTypes": .string(types.map(\.name).joined(separator: ",")),
                "prefixDelegation": .bool(prefixDelegation),
                "variant": .string(types.count == 1 ? "single-type" : "mixed-types"),
            ],
            value: computation.value)
    }

    static let smallestIgnored = Misconception(
        id: "mixed-node-group-own-value",
        summary: "A managed node group with several instance types gives every node the smallest max-pods value of those types.")
    static let wrongCapBand = Misconception(
        id: "wrong-cap-band",
        summary: "The managed node group cap is 110 for fewer than 30 vCPUs and 250 otherwise.")

    static func list(_ items: [String]) -> String {
        switch items.count {
        case 1: items[0]
        case 2: "\(items[0]) and \(items[1])"
        default: items.dropLast().joined(separator: ", ") + " and " + items.last!
        }
    }
}

/// `custom-networking-prefixes`: max pods with custom networking and prefix delegation together (audit G3).
enum CustomNetworkingPrefixGenerator {
    static let id = "custom-networking-prefixes"
    static let source =
        "Source: awslabs/amazon-eks-ami max-pods-calculator.sh (custom networking drops the primary ENI, then the prefix formula, then the 110/250 cap); Amazon EKS user guide, custom networking and prefix delegation."

    static let generator = Generator(
        id: id,
        summary: "Max pods with custom networking and prefix delegation together (primary ENI excluded, /28 slots, 110/250 cap).",
        topics: [SubnetCapacityGenerator.vpcCNI, SubnetCapacityGenerator.exhaustion]
    ) { catalog, random throws(GeneratorError) in
        let pool = catalog.nitroSingleCard.filter { $0.maxENIs >= 2 && $0.ipv4PerENI >= 2 }
        guard !pool.isEmpty else {
            throw .noEligibleInstanceTypes(generator: id, requirement: "Nitro single-card types with 2+ ENIs")
        }
        // Small burstable sizes are where the cap does not bind; they are drawn a third of the time.
        let small = pool.filter { EKSRules.rawPrefixDelegationCustom($0) < EKSRules.cap(vcpus: $0.vcpus) }
        let type = random.next(upperBound: 3) == 0 && !small.isEmpty ? random.pick(small) : random.pick(pool)
        let computation = try rule { () throws(FactsError) in try EKSRules.maxPodsCustomNetworkingWithPrefixes(type) }
        let enis = type.maxENIs, slots = type.ipv4PerENI - 1
        let rawCustom = EKSRules.rawPrefixDelegationCustom(type)
        let distractors: [NumericDistractor] = [
            .init(
                value: rawCustom, misconception: Misconceptions.prefixDelegationUncapped,
                working: "(\(enis) − 1) × (\(slots) × 16) + 2 = \(rawCustom), uncapped"),
            .init(
                value: (enis - 1) * slots + 2, misconception: Misconceptions.prefixDelegationIgnored,
                working: "(\(enis) − 1) × \(slots) + 2 = \((enis - 1) * slots + 2), one address per slot"),
            .init(
                value: min(EKSRules.rawPrefixDelegation(type), 1_000_000),
                misconception: Misconceptions.customNetworkingPrimaryENI,
                working:
                    "\(enis) × (\(slots) × 16) + 2 = \(EKSRules.rawPrefixDelegation(type)), counting the primary ENI and no cap"),
            .init(
                value: enis * slots + 2, misconception: Misconceptions.customNetworkingPrimaryENI,
                working: "\(enis) × \(slots) + 2 = \(enis * slots + 2), neither custom networking nor prefixes"),
        ]
        if random.nextBool() {
            return nodesForPods(type, computation: computation, rawCustom: rawCustom, &random)
        }
        let body = NumericRendering.render(answer: computation.value, unit: "pods", distractors: distractors, random: &random)
        let podCIDR = random.pick(["100.64.0.0/16", "100.65.0.0/16", "100.64.0.0/17", "100.66.0.0/16", "100.72.0.0/16"])
        let team = random.pick(["a platform team", "a payments team", "a data team", "a gaming studio", "a bank's cloud team"])
        let prompt = """
            To save addresses in its node subnets, \(team) runs pods in a \(podCIDR) secondary CIDR through \
            VPC CNI custom networking (ENIConfig per AZ) and also enables prefix delegation. The nodes are \(type.name) \
            (\(type.vcpus) vCPU\(type.vcpus == 1 ? "" : "s"), \(enis) ENIs, \(type.ipv4PerENI) IPv4 addresses per ENI), with max pods set \
            to the value max-pods-calculator.sh recommends. What is that value?
            """
        return Generated(
            prompt: prompt, body: body, explanation: ["Rule: \(computation.formula)."] + computation.steps + [source],
            topics: [SubnetCapacityGenerator.vpcCNI, SubnetCapacityGenerator.exhaustion],
            params: ["instanceType": .string(type.name), "variant": .string("max-pods")], value: computation.value)
    }

    /// Nodes for N application pods: each node runs max pods less the two host-network DaemonSet pods.
    static func nodesForPods(
        _ type: InstanceType, computation: Computation, rawCustom: Int, _ random: inout SeededGenerator
    ) -> Generated {
        let perNode = computation.value - EKSRules.hostNetworkPods
        let pods = random.next(in: 3...60) * 25 + random.next(upperBound: 25)
        let nodes = pods.divCeil(perNode)
        let slots = type.ipv4PerENI - 1
        let withoutCustom = min(type.maxENIs * slots + 2, EKSRules.cap(vcpus: type.vcpus)) - 2
        let distractors: [NumericDistractor] = [
            .init(
                value: pods.divCeil(computation.value), misconception: Misconceptions.forgotHostNetworkPods,
                working: "⌈\(pods) ÷ \(computation.value)⌉, as if the DaemonSet pods took no max-pods slot"),
            .init(
                value: pods.divCeil(max(1, rawCustom - 2)), misconception: Misconceptions.prefixDelegationUncapped,
                working: "⌈\(pods) ÷ \(rawCustom - 2)⌉, with the uncapped count"),
            .init(
                value: pods.divCeil(max(1, (type.maxENIs - 1) * slots)), misconception: Misconceptions.prefixDelegationIgnored,
                working: "⌈\(pods) ÷ \((type.maxENIs - 1) * slots)⌉, one address per slot"),
            .init(
                value: pods.divCeil(max(1, withoutCustom)), misconception: Misconceptions.customNetworkingPrimaryENI,
                working: "⌈\(pods) ÷ \(withoutCustom)⌉, with neither custom networking nor prefixes"),
            .init(
                value: pods / perNode, misconception: Misconceptions.roundedDown,
                working: "⌊\(pods) ÷ \(perNode)⌋ = \(pods / perNode)"),
        ]
        let body = NumericRendering.render(answer: nodes, unit: "nodes", distractors: distractors, random: &random)
        let prompt = """
            An EKS cluster uses VPC CNI custom networking (pods in a secondary CIDR from 100.64.0.0/10 through ENIConfig) together with \
            prefix delegation, on \(type.name) nodes (\(type.vcpus) vCPU\(type.vcpus == 1 ? "" : "s"), \(type.maxENIs) ENIs, \(type.ipv4PerENI) IPv4 addresses per ENI) \
            whose max pods is the value max-pods-calculator.sh recommends. Besides the aws-node and kube-proxy DaemonSet pods on every node, \
            the cluster must run \(pods) application pods, and CPU and memory are not the limit. How many nodes does it need at least?
            """
        return Generated(
            prompt: prompt, body: body,
            explanation: ["Max pods: \(computation.formula)."] + computation.steps + [
                "Each node keeps 2 of its \(computation.value) pods for aws-node and kube-proxy: \(perNode) application pods per node.",
                "⌈\(pods) ÷ \(perNode)⌉ = \(Plural.count(nodes, "node")).", source,
            ],
            topics: [SubnetCapacityGenerator.vpcCNI, SubnetCapacityGenerator.exhaustion],
            params: ["instanceType": .string(type.name), "pods": .int(pods), "variant": .string("nodes")], value: nodes)
    }
}

extension EKSRules {
    /// The uncapped custom networking + prefix delegation count.
    static func rawPrefixDelegationCustom(_ type: InstanceType) -> Int {
        (type.maxENIs - 1) * ((type.ipv4PerENI - 1) * addressesPerPrefix) + hostNetworkPods
    }
}

/// `sgp-capacity`: nodes needed for pods with their own security groups (branch ENIs) (audit G4).
enum SecurityGroupsForPodsGenerator {
    static let id = "sgp-capacity"
    static let topic = "amazon-eks-networking/eks-security-boundaries"
    static let source =
        "Source: Amazon EKS user guide, security groups for pods; aws/amazon-vpc-resource-controller-k8s pkg/aws/vpc/limits.go (branch interfaces per type)."

    static let generator = Generator(
        id: id,
        summary: "Security groups for pods: branch ENIs per node and nodes needed for N such pods.",
        topics: [topic]
    ) { catalog, random throws(GeneratorError) in
        let pool = catalog.nitroSingleCardNotBurstable.filter { ($0.eksBranchENIs ?? 0) > 0 }
        guard !pool.isEmpty else { throw .noEligibleInstanceTypes(generator: id, requirement: "trunk-compatible types") }
        let type = random.pick(pool)
        let branch = type.eksBranchENIs!
        let pods = random.next(in: max(branch + 1, 20)...max(branch * 12, 60))
        let computation = try rule { () throws(FactsError) in try EKSRules.securityGroupPods(type, pods: pods) }
        let maxPods = (try? EKSRules.maxPods(type, networking: .secondaryIP, node: .managed).value) ?? 0
        let distractors: [NumericDistractor] = [
            .init(
                value: pods.divCeil(maxPods), misconception: maxPodsForSGP,
                working: "⌈\(pods) ÷ \(maxPods)⌉ = \(pods.divCeil(maxPods)), by max pods"),
            .init(
                value: pods.divCeil(max(1, type.maxENIs - 1)), misconception: enisForSGP,
                working: "⌈\(pods) ÷ \(type.maxENIs - 1)⌉ = \(pods.divCeil(max(1, type.maxENIs - 1))), one regular ENI per pod"),
            .init(
                value: pods / branch, misconception: Misconceptions.roundedDown,
                working: "⌊\(pods) ÷ \(branch)⌋ = \(pods / branch)"),
        ]
        let body = NumericRendering.render(
            answer: computation.value, unit: "nodes", distractors: distractors, random: &random, alwaysChoice: true)
        let workload = random.pick(["payment", "card-data", "ledger", "partner-API", "PCI-scoped"])
        let prompt = """
            A compliance rule requires \(pods) \(workload) pods on EKS to carry their own security group, so the team enables \
            security groups for pods (ENABLE_POD_ENI=true) and a SecurityGroupPolicy for them. They run on a managed node group of \(type.name) \
            (\(type.maxENIs) ENIs, \(type.ipv4PerENI) IPv4 addresses per ENI, max pods \(maxPods)); the resource controller allows \(branch) branch ENIs on this type. \
            CPU and memory are not the limit. How many nodes does the group need at least for these pods?
            """
        return Generated(
            prompt: prompt, body: body,
            explanation: ["Rule: \(computation.formula)."] + computation.steps + [
                "Max pods (\(maxPods)) limits all pods on the node; pods with their own security groups are limited by branch ENIs first.",
                source,
            ],
            topics: [topic],
            params: ["instanceType": .string(type.name), "pods": .int(pods)], value: computation.value)
    }

    static let maxPodsForSGP = Misconception(
        id: "sgp-by-max-pods",
        summary:
            "Pods with their own security groups each need a branch ENI; the per-type branch limit binds long before max pods.")
    static let enisForSGP = Misconception(
        id: "sgp-regular-enis",
        summary: "Security groups for pods uses branch ENIs on one trunk ENI, not one regular ENI per pod.")
}
