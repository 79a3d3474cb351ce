/// `cni-warm-pool`: subnet addresses an EKS node holds under the VPC CNI's warm-pool settings,
/// and how many such nodes a subnet holds (audit G1).
enum WarmPoolGenerator {
    static let id = "cni-warm-pool"
    static let source =
        "Source: aws/amazon-vpc-cni-k8s docs/eni-and-ip-target.md and docs/prefix-and-ip-target.md (WARM_ENI_TARGET, WARM_IP_TARGET, MINIMUM_IP_TARGET, WARM_PREFIX_TARGET)."

    static let generator = Generator(
        id: id,
        summary: "VPC CNI warm pool: addresses each node holds under WARM_ENI/IP/PREFIX_TARGET, and nodes per subnet.",
        topics: [SubnetCapacityGenerator.vpcCNI, SubnetCapacityGenerator.exhaustion]
    ) { catalog, random throws(GeneratorError) in
        let pool = catalog.subnetNodes
        guard !pool.isEmpty else {
            throw .noEligibleInstanceTypes(
                generator: id, requirement: "Nitro with one network card, 3+ ENIs and 4+ addresses per ENI")
        }
        let type = random.pick(pool)
        let slots = type.ipv4PerENI - 1
        let setting = drawSetting(&random)
        let maxPods = try rule { () throws(FactsError) in
            try EKSRules.maxPods(type, networking: setting.prefixDelegation ? .prefixDelegation : .secondaryIP, node: .managed)
        }.value
        // Pods that need addresses: max pods less the two host-network pods at most.
        let capacity = setting.prefixDelegation ? type.maxENIs * slots * 16 : type.maxENIs * slots
        let pods = random.next(in: 1...max(1, min(capacity, maxPods - EKSRules.hostNetworkPods)))
        let result = try holdRule(type, pods: pods, setting: setting, maxPods: maxPods)
        if random.nextBool() { return perNode(type, pods: pods, setting: setting, maxPods: maxPods, result, &random) }
        return try perSubnet(type, pods: pods, setting: setting, maxPods: maxPods, result, &random)
    }

    static func drawSetting(_ random: inout SeededGenerator) -> WarmPoolSetting {
        switch random.next(upperBound: 6) {
        case 0, 1: return .warmENI(1)
        case 2: return .warmENI(random.next(in: 0...2))
        case 3: return .warmIP(target: random.next(in: 1...5), minimum: random.pick([0, 5, 10, 15, 20]))
        case 4: return .warmPrefix(random.next(in: 1...2))
        default: return .prefixWarmIP(target: random.next(in: 1...8), minimum: random.pick([0, 16, 20, 32]))
        }
    }

    static func holdRule(_ type: InstanceType, pods: Int, setting: WarmPoolSetting, maxPods: Int? = nil) throws(GeneratorError)
        -> (hold: NodeAddressHold, computation: Computation)
    {
        do throws(FactsError) { return try WarmPoolRules.hold(type, pods: pods, setting: setting, maxPods: maxPods) } catch {
            throw .facts(error)
        }
    }

    static let ignoredWarmPool = Misconception(
        id: "ignored-warm-pool",
        summary:
            "The VPC CNI keeps spare addresses on every node (by default a whole ENI's worth, or one /28 with prefix delegation); they come out of the subnet too."
    )
    static let warmIPIgnoredMinimum = Misconception(
        id: "ignored-minimum-ip-target",
        summary: "MINIMUM_IP_TARGET is a floor: the node holds at least that many addresses however few pods run.")
    static let warmENIWithIPTarget = Misconception(
        id: "warm-eni-with-ip-target",
        summary: "Once WARM_IP_TARGET or MINIMUM_IP_TARGET is set, WARM_ENI_TARGET no longer decides the pool.")

    /// The wrong counts a learner reaches, per setting.
    static func distractors(_ type: InstanceType, pods: Int, setting: WarmPoolSetting, answer: NodeAddressHold)
        -> [NumericDistractor]
    {
        let slots = type.ipv4PerENI - 1
        let noWarmENIs = max(1, pods.divCeil(slots))
        var list: [NumericDistractor] = [
            .init(
                value: pods + noWarmENIs, misconception: ignoredWarmPool,
                working:
                    "\(pods) pods + \(noWarmENIs) ENI primar\(noWarmENIs == 1 ? "y" : "ies") = \(pods + noWarmENIs), with no warm pool"
            )
        ]
        switch setting {
        case .warmENI:
            list.append(
                .init(
                    value: answer.secondaryIPs, misconception: Misconceptions.forgotENIPrimaries,
                    working: "\(answer.secondaryIPs) secondaries, without the \(answer.enis) ENI primaries"))
            list.append(
                .init(
                    value: pods, misconception: Misconceptions.forgotENIPrimaries,
                    working: "\(pods), one address per pod only"))
        case let .warmIP(t, m):
            list.append(
                .init(
                    value: (pods + t) + max(1, (pods + t).divCeil(slots)), misconception: warmIPIgnoredMinimum,
                    working: "\(pods) + \(t) = \(pods + t) secondaries plus their ENI primaries, ignoring MINIMUM_IP_TARGET=\(m)")
            )
            let eni = min(type.maxENIs, noWarmENIs + 1)
            list.append(
                .init(
                    value: eni * type.ipv4PerENI, misconception: warmENIWithIPTarget,
                    working: "\(eni) ENIs × \(type.ipv4PerENI) = \(eni * type.ipv4PerENI), as if WARM_ENI_TARGET=1 still applied")
            )
        case .warmPrefix, .prefixWarmIP:
            let needed = max(1, pods.divCeil(16))
            let enis = max(1, needed.divCeil(slots))
            list.append(
                .init(
                    value: needed * 16 + enis, misconception: ignoredWarmPool,
                    working: "16 × \(needed) + \(enis) = \(needed * 16 + enis), with no spare prefix"))
            list.append(
                .init(
                    value: answer.prefixes * 16, misconception: Misconceptions.forgotENIPrimaries,
                    working: "16 × \(answer.prefixes) = \(answer.prefixes * 16), without the ENI primaries"))
            list.append(
                .init(
                    value: answer.prefixes * 11 + answer.enis, misconception: Misconceptions.prefixReservedFive,
                    working: "(16 − 5) × \(answer.prefixes) + \(answer.enis), as if each prefix lost 5 addresses"))
        }
        return list
    }

    static func describe(_ type: InstanceType, pods: Int, setting: WarmPoolSetting, maxPods: Int) -> String {
        "Each EKS node is \(type.name) (\(type.maxENIs) ENIs, \(type.ipv4PerENI) IPv4 addresses per ENI) in a managed node group (max pods \(maxPods)) and runs \(Plural.count(pods, "pod")) that need VPC addresses. "
            + "The VPC CNI is configured with \(setting.description)"
            + (setting.prefixDelegation ? "." : " and no prefix delegation.")
            + " ENIs and addresses are attached the way the CNI's warm-pool rules require."
    }

    static func params(_ type: InstanceType, pods: Int, setting: WarmPoolSetting, maxPods: Int, variant: String)
        -> [String: JSONValue]
    {
        var params: [String: JSONValue] = [
            "instanceType": .string(type.name), "pods": .int(pods), "variant": .string(variant), "maxPods": .int(maxPods),
        ]
        switch setting {
        case let .warmENI(w):
            params["setting"] = .string("warm-eni")
            params["warmENITarget"] = .int(w)
        case let .warmIP(t, m):
            params["setting"] = .string("warm-ip")
            params["warmIPTarget"] = .int(t)
            params["minimumIPTarget"] = .int(m)
        case let .warmPrefix(w):
            params["setting"] = .string("warm-prefix")
            params["warmPrefixTarget"] = .int(w)
        case let .prefixWarmIP(t, m):
            params["setting"] = .string("prefix-warm-ip")
            params["warmIPTarget"] = .int(t)
            params["minimumIPTarget"] = .int(m)
        }
        return params
    }

    static func perNode(
        _ type: InstanceType, pods: Int, setting: WarmPoolSetting, maxPods: Int,
        _ result: (hold: NodeAddressHold, computation: Computation), _ random: inout SeededGenerator
    ) -> Generated {
        let body = NumericRendering.render(
            answer: result.hold.addresses, unit: "addresses",
            distractors: distractors(type, pods: pods, setting: setting, answer: result.hold), random: &random)
        return Generated(
            prompt: describe(type, pods: pods, setting: setting, maxPods: maxPods)
                + " How many addresses does each node take from its subnet?",
            body: body,
            explanation: ["Rule: \(result.computation.formula)."] + result.computation.steps + [source],
            topics: [SubnetCapacityGenerator.vpcCNI],
            params: params(type, pods: pods, setting: setting, maxPods: maxPods, variant: "per-node"),
            value: result.hold.addresses)
    }

    static func perSubnet(
        _ type: InstanceType, pods: Int, setting: WarmPoolSetting, maxPods: Int,
        _ result: (hold: NodeAddressHold, computation: Computation), _ random: inout SeededGenerator
    ) throws(GeneratorError) -> Generated {
        let cidr = SubnetCapacityGenerator.block(prefix: random.next(in: 20...24), &random)
        let usable = try SubnetCapacityGenerator.usableComputation(cidr)
        let perNode = result.hold.addresses
        let answer = WarmPoolRules.nodes(usable: usable.value, perNode: perNode)
        let wrong = distractors(type, pods: pods, setting: setting, answer: result.hold).map { d in
            NumericDistractor(
                value: usable.value / max(1, d.value), misconception: d.misconception,
                working: "⌊\(usable.value) ÷ \(d.value)⌋ = \(usable.value / max(1, d.value)) (\(d.working))")
        }
        let reserved = NumericDistractor(
            value: cidr.size / perNode, misconception: Misconceptions.forgotReserved,
            working: "⌊\(cidr.size) ÷ \(perNode)⌋ = \(cidr.size / perNode), without the 5 reserved addresses")
        let body = NumericRendering.render(answer: answer, unit: "nodes", distractors: wrong + [reserved], random: &random)
        let prompt =
            describe(type, pods: pods, setting: setting, maxPods: maxPods)
            + " The nodes are alone in the subnet \(cidr). How many nodes can it hold before pods fail to get addresses?"
        return Generated(
            prompt: prompt, body: body,
            explanation: ["Per node: \(result.computation.formula)."] + result.computation.steps + usable.steps + [
                "⌊\(usable.value) ÷ \(perNode)⌋ = \(Plural.count(answer, "node")).", source,
            ],
            topics: [SubnetCapacityGenerator.vpcCNI, SubnetCapacityGenerator.exhaustion],
            params: params(type, pods: pods, setting: setting, maxPods: maxPods, variant: "per-subnet").merging([
                "cidr": .string(cidr.description)
            ]) { a, _ in a },
            value: answer)
    }
}
