/// `subnet-capacity`: usable addresses in a subnet, how many EKS nodes fit before the subnet
/// runs out, whether a planned node count fits, and what prefix delegation or a
/// 100.64.0.0/10 secondary CIDR changes.
enum SubnetCapacityGenerator {
    static let id = "subnet-capacity"
    static let exhaustion = "amazon-eks-networking/ip-exhaustion-problem"
    static let vpcCNI = "amazon-eks-networking/vpc-cni-plugin"

    static let variants = ["usable", "nodes", "fits", "prefix-delegation", "secondary-cidr"]

    static let generator = Generator(
        id: id,
        summary:
            "Subnet capacity: usable addresses, EKS nodes before exhaustion, fits or not, prefix delegation and 100.64.0.0/10 pod subnets.",
        topics: [exhaustion, vpcCNI]
    ) { catalog, random throws(GeneratorError) in
        let variant = random.pick(variants)
        if variant == "usable" { return try usable(&random) }
        let pool = catalog.subnetNodes
        guard !pool.isEmpty else {
            throw .noEligibleInstanceTypes(
                generator: id, requirement: "Nitro with one network card, 3+ ENIs and 4+ addresses per ENI")
        }
        let type = random.pick(pool)
        switch variant {
        case "nodes": return try nodes(type, &random)
        case "fits": return try fits(type, &random)
        case "prefix-delegation": return try prefixDelegation(type, &random)
        default: return try secondaryCIDR(type, &random)
        }
    }

    static let assumption = """
        The nodes are self-managed with the default bootstrap's max pods, and the VPC CNI runs with its defaults: \
        WARM_ENI_TARGET=1, so each node keeps one spare ENI with all its addresses attached besides the ENIs its pods \
        fill, and every ENI also takes a primary address.
        """

    /// A random aligned block of prefix length `prefix` inside 10.N.0.0/16.
    static func block(prefix: Int, _ random: inout SeededGenerator) -> CIDRBlock {
        let base = UInt32(random.next(upperBound: 256)) << 16
        let slots = 1 << (prefix - 16)
        let index = UInt32(random.next(upperBound: slots))
        return CIDRBlock(address: (10 << 24) | base | index << UInt32(32 - prefix), prefixLength: prefix)
    }

    static func usableComputation(_ block: CIDRBlock) throws(GeneratorError) -> Computation {
        try rule { () throws(FactsError) in try VPCRules.usableAddresses(block) }
    }

    /// Addresses one node takes for `pods` pods at `perENI` pod addresses per ENI with the default
    /// warm pool (WARM_ENI_TARGET=1): the ENIs the pods fill plus one spare, at most `maxENIs`,
    /// each with all its addresses.
    static func addressesPerNode(pods: Int, perENI: Int, maxENIs: Int) -> (enis: Int, total: Int) {
        let enis = max(1, min(maxENIs, pods.divCeil(perENI) + 1))
        return (enis, enis * (perENI + 1))
    }

    /// The same pods without a warm pool: the wrong count the audit found the app teaching (R6).
    static func withoutWarmPool(pods: Int, perENI: Int) -> Int {
        pods + max(1, pods.divCeil(perENI))
    }

    static func usable(_ random: inout SeededGenerator) throws(GeneratorError) -> Generated {
        let cidr = block(prefix: random.next(in: 16...28), &random)
        let computation = try usableComputation(cidr)
        let size = cidr.size
        let distractors: [NumericDistractor] = [
            .init(value: size, misconception: Misconceptions.forgotReserved, working: "2^(32 − \(cidr.prefixLength)) = \(size)"),
            .init(value: size - 2, misconception: Misconceptions.reservedTwo, working: "\(size) − 2 = \(size - 2)"),
            .init(
                value: size / 2 - 5,
                misconception: Misconception(
                    id: "prefix-off-by-one", summary: "A /n block holds 2^(32 − n) addresses; one bit off halves or doubles it."),
                working: "2^(31 − \(cidr.prefixLength)) − 5 = \(size / 2 - 5)"),
        ]
        let body = NumericRendering.render(
            answer: computation.value, unit: "addresses", distractors: distractors, random: &random)
        return Generated(
            prompt: "How many IPv4 addresses can instances, ENIs and pods use in the VPC subnet \(cidr)?",
            body: body, explanation: ["Formula: \(computation.formula)."] + computation.steps,
            topics: [exhaustion],
            params: ["cidr": .string(cidr.description), "variant": .string("usable")],
            value: computation.value)
    }

    /// Pods per node that need VPC addresses: at most the secondary-IP pod addresses.
    static func podsPerNode(_ type: InstanceType, limit: Int, _ random: inout SeededGenerator) -> Int {
        random.next(in: min(8, limit)...limit)
    }

    static func nodes(_ type: InstanceType, _ random: inout SeededGenerator) throws(GeneratorError) -> Generated {
        let perENI = type.ipv4PerENI - 1
        let pods = podsPerNode(type, limit: min(type.maxENIs * perENI, 110), &random)
        let cidr = block(prefix: random.next(in: 20...24), &random)
        let usable = try usableComputation(cidr)
        let node = addressesPerNode(pods: pods, perENI: perENI, maxENIs: type.maxENIs)
        let answer = usable.value / node.total
        let cold = withoutWarmPool(pods: pods, perENI: perENI)
        let distractors: [NumericDistractor] = [
            .init(
                value: usable.value / cold, misconception: WarmPoolGenerator.ignoredWarmPool,
                working: "⌊\(usable.value) ÷ \(cold)⌋ = \(usable.value / cold), with no spare ENI"),
            .init(
                value: cidr.size / node.total, misconception: Misconceptions.forgotReserved,
                working: "⌊\(cidr.size) ÷ \(node.total)⌋ = \(cidr.size / node.total)"),
            .init(
                value: usable.value / pods, misconception: Misconceptions.forgotENIPrimaries,
                working: "⌊\(usable.value) ÷ \(pods)⌋ = \(usable.value / pods), pod addresses only"),
            .init(
                value: usable.value / (pods + 1),
                misconception: Misconception(
                    id: "one-address-per-node",
                    summary: "Every ENI a node attaches takes its own primary address, not just the first."),
                working: "⌊\(usable.value) ÷ (\(pods) + 1)⌋ = \(usable.value / (pods + 1))"),
        ]
        let body = NumericRendering.render(answer: answer, unit: "nodes", distractors: distractors, random: &random)
        let prompt = """
            EKS nodes (\(type.name): \(type.maxENIs) ENIs, \(type.ipv4PerENI) IPv4 addresses per ENI) share the subnet \(cidr) \
            with nothing else. The VPC CNI runs in secondary-IP mode and each node runs \(pods) pods that need VPC addresses. \
            \(assumption) How many nodes can the subnet hold?
            """
        let explanation =
            usable.steps + nodeSteps(pods: pods, perENI: perENI, node: node) + [
                "⌊\(usable.value) ÷ \(node.total)⌋ = \(Plural.count(answer, "node")) (\(answer * node.total) addresses; \(usable.value - answer * node.total) left over)."
            ]
        return Generated(
            prompt: prompt, body: body, explanation: explanation, topics: [exhaustion, vpcCNI],
            params: [
                "cidr": .string(cidr.description), "instanceType": .string(type.name),
                "podsPerNode": .int(pods), "variant": .string("nodes"),
            ],
            value: answer)
    }

    static func nodeSteps(pods: Int, perENI: Int, node: (enis: Int, total: Int)) -> [String] {
        let filled = pods.divCeil(perENI)
        return [
            "Each ENI gives \(perENI) pod addresses besides its primary, so \(Plural.count(pods, "pod")) fill ⌈\(pods) ÷ \(perENI)⌉ = \(Plural.count(filled, "ENI")); "
                + "WARM_ENI_TARGET=1 keeps one more: \(Plural.count(node.enis, "ENI"))\(node.enis < filled + 1 ? " (the type's limit)" : "").",
            "Each attached ENI holds all its addresses: \(node.enis) × \(perENI + 1) = \(node.total) per node.",
        ]
    }

    static func fits(_ type: InstanceType, _ random: inout SeededGenerator) throws(GeneratorError) -> Generated {
        let perENI = type.ipv4PerENI - 1
        let pods = podsPerNode(type, limit: min(type.maxENIs * perENI, 110), &random)
        let cidr = block(prefix: random.next(in: 20...24), &random)
        let usable = try usableComputation(cidr)
        let node = addressesPerNode(pods: pods, perENI: perENI, maxENIs: type.maxENIs)
        let capacity = usable.value / node.total
        let planned = max(1, capacity + random.next(in: -3...3))
        let needed = planned * node.total
        let fits = needed <= usable.value
        var yes = Choice(text: "Yes, the subnet has enough addresses")
        var no = Choice(text: "No, the subnet runs out of addresses")
        if fits {
            no.explanation = "\(needed) ≤ \(usable.value): it fits."
        } else {
            yes.explanation = "\(needed) > \(usable.value): it does not fit."
            if needed <= cidr.size {
                yes.misconception = Misconceptions.forgotReserved
            } else if planned * withoutWarmPool(pods: pods, perENI: perENI) <= usable.value {
                yes.misconception = WarmPoolGenerator.ignoredWarmPool
            } else if planned * (pods + 1) <= usable.value {
                yes.misconception = Misconceptions.forgotENIPrimaries
            }
        }
        let prompt = """
            A team plans \(Plural.count(planned, "EKS node")) (\(type.name): \(type.maxENIs) ENIs, \(type.ipv4PerENI) IPv4 addresses per ENI) \
            in the subnet \(cidr), with \(pods) pods per node that need VPC addresses (secondary-IP mode). \
            \(assumption) Does the subnet have enough addresses?
            """
        let explanation =
            usable.steps + nodeSteps(pods: pods, perENI: perENI, node: node) + [
                "\(Plural.count(planned, "node")) × \(node.total) = \(needed) addresses \(fits ? "≤" : ">") \(usable.value) usable: \(fits ? "it fits" : "it does not fit").",
                "The subnet holds at most ⌊\(usable.value) ÷ \(node.total)⌋ = \(capacity) such nodes.",
            ]
        return Generated(
            prompt: prompt, body: .singleChoice(choices: [yes, no], correct: fits ? 0 : 1),
            explanation: explanation, topics: [exhaustion, vpcCNI],
            params: [
                "cidr": .string(cidr.description), "instanceType": .string(type.name), "nodes": .int(planned),
                "podsPerNode": .int(pods), "variant": .string("fits"),
            ])
    }

    static func prefixDelegation(_ type: InstanceType, _ random: inout SeededGenerator) throws(GeneratorError) -> Generated {
        let slots = type.ipv4PerENI - 1
        let maxPods = try rule { () throws(FactsError) in try EKSRules.maxPods(type, networking: .prefixDelegation) }
        // Pods that need addresses: the recommended max-pods value minus the two host-network pods.
        let pods = random.next(in: min(10, maxPods.value - 2)...(maxPods.value - 2))
        let needed = pods.divCeil(EKSRules.addressesPerPrefix)
        let hold = try WarmPoolGenerator.holdRule(type, pods: pods, setting: .warmPrefix(1), maxPods: maxPods.value)
        let prefixes = hold.hold.prefixes
        let enis = hold.hold.enis
        let answer = hold.hold.addresses
        let secondaryIP = addressesPerNode(pods: pods, perENI: slots, maxENIs: type.maxENIs)
        let elevenPerPrefix = pods.divCeil(11) + 1
        let coldENIs = max(1, needed.divCeil(slots))
        let distractors: [NumericDistractor] = [
            .init(
                value: needed * EKSRules.addressesPerPrefix + coldENIs, misconception: WarmPoolGenerator.ignoredWarmPool,
                working: "16 × \(needed) + \(coldENIs) = \(needed * 16 + coldENIs), with no spare prefix"),
            .init(
                value: pods + max(1, pods.divCeil(slots)), misconception: Misconceptions.prefixNotWhole,
                working: "\(pods) + \(max(1, pods.divCeil(slots))), one address per pod"),
            .init(
                value: max(1, elevenPerPrefix.divCeil(slots)) + elevenPerPrefix * 16,
                misconception: Misconceptions.prefixReservedFive,
                working: "⌈\(pods) ÷ 11⌉ + 1 = \(elevenPerPrefix) prefixes × 16 + ENIs"),
            .init(
                value: prefixes * EKSRules.addressesPerPrefix, misconception: Misconceptions.forgotENIPrimaries,
                working: "\(prefixes) × 16 = \(prefixes * 16), without ENI primary addresses"),
        ]
        let body = NumericRendering.render(answer: answer, unit: "addresses", distractors: distractors, random: &random)
        let prompt = """
            An EKS node (\(type.name): \(type.maxENIs) ENIs, \(type.ipv4PerENI) IPv4 slots per ENI, max pods \(maxPods.value)) runs \(pods) pods that need VPC \
            addresses, with prefix delegation on and the CNI's default WARM_PREFIX_TARGET=1 (one spare /28 besides those the \
            pods use); an ENI's slots fill before another ENI is attached. How many addresses does the node take from its subnet?
            """
        let explanation = [
            "With prefix delegation each secondary slot of an ENI holds a /28 prefix: 16 addresses, all usable by pods.",
            "\(Plural.count(pods, "pod")) need ⌈\(pods) ÷ 16⌉ = \(Plural.count(needed, "prefix", "prefixes")); "
                + (prefixes > needed
                    ? "WARM_PREFIX_TARGET=1 keeps one more: \(Plural.count(prefixes, "prefix", "prefixes"))."
                    : "the spare prefix is not added, because \(needed) × 16 = \(needed * 16) addresses already reach the node's max pods (\(maxPods.value))."),
            "Each ENI has \(type.ipv4PerENI) − 1 = \(slots) slots, so \(Plural.count(prefixes, "prefix", "prefixes")) need\(prefixes == 1 ? "s" : "") ⌈\(prefixes) ÷ \(slots)⌉ = \(Plural.count(enis, "ENI")), each with its own primary address.",
            "\(prefixes) × 16 + \(enis) = \(answer) addresses.",
            "Without prefix delegation (WARM_ENI_TARGET=1) the same pods take \(secondaryIP.total) addresses; in a managed node group both modes give this node the same max pods (\(maxPods.value)), so prefix delegation is about pod density and EC2 API calls, not saving addresses.",
            "Each prefix must be a free, aligned /28 block: in a fragmented subnet allocation can fail even when enough single addresses are free.",
        ]
        return Generated(
            prompt: prompt, body: body, explanation: explanation, topics: [exhaustion, vpcCNI],
            params: [
                "instanceType": .string(type.name), "podsPerNode": .int(pods), "variant": .string("prefix-delegation"),
            ],
            value: answer)
    }

    static func secondaryCIDR(_ type: InstanceType, _ random: inout SeededGenerator) throws(GeneratorError) -> Generated {
        let perENI = type.ipv4PerENI - 1
        let customLimit = (type.maxENIs - 1) * perENI
        let pods = podsPerNode(type, limit: min(customLimit, 110), &random)
        let nodeSubnet = block(prefix: random.next(in: 22...24), &random)
        let podPrefix = random.next(in: 18...20)
        let podIndex = UInt32(random.next(upperBound: 1 << (podPrefix - 16)))
        let podSubnet = CIDRBlock(address: (100 << 24) | (64 << 16) | podIndex << UInt32(32 - podPrefix), prefixLength: podPrefix)
        let nodeUsable = try usableComputation(nodeSubnet)
        let podUsable = try usableComputation(podSubnet)
        // Pod ENIs are every ENI but the primary, which stays in the node subnet.
        let perNode = addressesPerNode(pods: pods, perENI: perENI, maxENIs: type.maxENIs - 1)
        let byPodSubnet = podUsable.value / perNode.total
        let answer = min(nodeUsable.value, byPodSubnet)
        let before = nodeUsable.value / perNode.total
        let distractors: [NumericDistractor] = [
            .init(
                value: before,
                misconception: Misconception(
                    id: "pods-still-in-node-subnet",
                    summary:
                        "With custom networking pod addresses come from the ENIConfig subnet; the node subnet only gives each node its primary address."
                ),
                working: "⌊\(nodeUsable.value) ÷ \(perNode.total)⌋ = \(before), the old limit"),
            .init(
                value: min(nodeSubnet.size, podSubnet.size / perNode.total), misconception: Misconceptions.forgotReserved,
                working: "min(\(nodeSubnet.size), ⌊\(podSubnet.size) ÷ \(perNode.total)⌋)"),
            .init(
                value: min(nodeUsable.value, podUsable.value / pods), misconception: Misconceptions.forgotENIPrimaries,
                working: "min(\(nodeUsable.value), ⌊\(podUsable.value) ÷ \(pods)⌋)"),
        ]
        let body = NumericRendering.render(answer: answer, unit: "nodes", distractors: distractors, random: &random)
        let prompt = """
            EKS nodes (\(type.name): \(type.maxENIs) ENIs, \(type.ipv4PerENI) IPv4 addresses per ENI) live in the node subnet \
            \(nodeSubnet). To stop running out of addresses, the team adds the secondary VPC CIDR 100.64.0.0/16 \
            (from the 100.64.0.0/10 range) and turns on custom networking with an ENIConfig pointing at the pod subnet \(podSubnet). \
            Each node runs \(pods) pods. The CNI keeps its default WARM_ENI_TARGET=1 (one spare pod ENI with all its \
            addresses). How many nodes fit now before either subnet runs out?
            """
        let explanation = [
            "Node subnet: \(nodeUsable.steps.last ?? "")",
            "Pod subnet: \(podUsable.steps.last ?? "")",
            "With custom networking the primary ENI (the node's own address) stays in the node subnet and carries no pods: 1 node-subnet address per node.",
            "Pod ENIs are the other ENIs, in the pod subnet: each gives \(perENI) pod addresses besides its primary, so \(Plural.count(pods, "pod")) fill ⌈\(pods) ÷ \(perENI)⌉ = \(Plural.count(pods.divCeil(perENI), "ENI")), and WARM_ENI_TARGET=1 keeps one more (at most \(type.maxENIs - 1)): \(Plural.count(perNode.enis, "pod ENI")).",
            "Pod-subnet addresses per node: \(perNode.enis) × \(perENI + 1) = \(perNode.total); ⌊\(podUsable.value) ÷ \(perNode.total)⌋ = \(byPodSubnet) nodes.",
            "Node subnet allows \(nodeUsable.value) nodes; min(\(nodeUsable.value), \(byPodSubnet)) = \(answer).",
            "Before the change all addresses came from the node subnet: ⌊\(nodeUsable.value) ÷ \(perNode.total)⌋ = \(Plural.count(before, "node")).",
            "Custom networking also lowers each node's max pods to (ENIs − 1) × (IPv4 per ENI − 1) + 2 = \(customLimit + 2).",
        ]
        return Generated(
            prompt: prompt, body: body, explanation: explanation, topics: [exhaustion, vpcCNI],
            params: [
                "instanceType": .string(type.name), "nodeSubnet": .string(nodeSubnet.description),
                "podSubnet": .string(podSubnet.description), "podsPerNode": .int(pods),
                "variant": .string("secondary-cidr"),
            ],
            value: answer)
    }
}

extension CIDRBlock {
    /// A block from its first address and prefix length; the caller keeps host bits clear.
    init(address: UInt32, prefixLength: Int) {
        self.address = address
        self.prefixLength = prefixLength
    }
}
