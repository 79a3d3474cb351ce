extension EKSRules {
    /// Max pods of every node in a managed node group of `types`: each type's value capped at
    /// 110/250, and the smallest of them applies to all nodes of the group (EKS user guide,
    /// cni-increase-ip-addresses).
    public static func managedNodeGroupMaxPods(_ types: [InstanceType], prefixDelegation: Bool) throws(FactsError)
        -> Computation
    {
        guard !types.isEmpty else { throw .notApplicable("a node group needs at least one instance type") }
        let networking: PodNetworking = prefixDelegation ? .prefixDelegation : .secondaryIP
        var steps: [String] = []
        var values: [Int] = []
        for type in types {
            let own = try maxPods(type, networking: networking)
            let cap = cap(vcpus: type.vcpus)
            let value = min(own.value, cap)
            values.append(value)
            let raw =
                prefixDelegation
                ? "\(type.enisAndSlots); with prefixes \(type.maxENIs) × ((\(type.ipv4PerENI) − 1) × 16) + 2 = \(rawPrefixDelegation(type))"
                : "\(type.enisAndSlots); \(type.maxENIs) × (\(type.ipv4PerENI) − 1) + 2 = \(own.value)"
            steps.append("\(type.name): \(raw), capped at \(cap) (\(type.vcpus) vCPUs): \(value).")
        }
        let value = values.min()!
        if types.count > 1 {
            steps.append(
                "A managed node group applies the smallest value of its instance types to every node: min(\(values.map(String.init).joined(separator: ", "))) = \(value)."
            )
        }
        return Computation(
            value: value,
            formula:
                "min over the group's types of min(\(prefixDelegation ? "prefix formula" : "ENIs × (IPv4 per ENI − 1) + 2"), 110 below 30 vCPUs else 250)",
            steps: steps)
    }

    /// The raw (uncapped) prefix-delegation count for `type`.
    static func rawPrefixDelegation(_ type: InstanceType) -> Int {
        type.maxENIs * ((type.ipv4PerENI - 1) * addressesPerPrefix) + hostNetworkPods
    }

    /// Custom networking with prefix delegation: the primary ENI carries no pods, the others hold
    /// /28s, and EKS's 110/250 cap applies (`max-pods-calculator.sh`: ENIs − 1, then the prefix formula).
    public static func maxPodsCustomNetworkingWithPrefixes(_ type: InstanceType) throws(FactsError) -> Computation {
        let enis = type.maxENIs, ips = type.ipv4PerENI
        guard enis >= 2 else {
            throw .notApplicable("\(type.name) has only one ENI, so custom networking leaves no ENI for pods")
        }
        guard type.supportsPrefixDelegation else {
            throw .notApplicable("prefix delegation needs a Nitro-based instance (Nitro or bare metal); \(type.name) is Xen")
        }
        let raw = (enis - 1) * ((ips - 1) * addressesPerPrefix) + hostNetworkPods
        let cap = cap(vcpus: type.vcpus)
        let value = min(raw, cap)
        return Computation(
            value: value,
            formula: "min((ENIs − 1) × ((IPv4 per ENI − 1) × 16) + 2, 110 below 30 vCPUs else 250)",
            steps: [
                "\(type.name) has \(type.enisAndSlots).",
                "Custom networking keeps the primary ENI in the node subnet with no pods: \(enis) − 1 = \(Plural.count(enis - 1, "ENI")) for pods.",
                "Prefix delegation puts a /28 (16 addresses) in each secondary slot: (\(enis) − 1) × ((\(ips) − 1) × 16) + 2 = \(raw).",
                "EKS caps it at \(cap) for \(type.vcpus) vCPUs (110 below 30, else 250): min(\(raw), \(cap)) = \(value).",
            ])
    }

    /// Pods with their own security groups (security groups for pods) that nodes of `type` can
    /// run: one branch ENI each, limited per type by the VPC resource controller.
    public static func securityGroupPods(_ type: InstanceType, pods: Int) throws(FactsError) -> Computation {
        guard let branch = type.eksBranchENIs, branch > 0 else {
            throw .notApplicable(
                "\(type.name) is not trunk-compatible, so it cannot run pods with their own security groups"
                    + (type.isBurstable ? " (no t family is)" : ""))
        }
        guard pods >= 1 else { throw .notApplicable("the number of pods must be at least 1") }
        let nodes = pods.divCeil(branch)
        return Computation(
            value: nodes,
            formula: "nodes = ⌈pods with their own security groups ÷ branch ENIs per node⌉",
            steps: [
                "Security groups for pods gives each such pod a branch ENI on the node's trunk ENI (ENABLE_POD_ENI=true).",
                "\(type.name) supports \(Plural.count(branch, "branch ENI")) (the VPC resource controller's per-type limit), whatever its max pods.",
                "⌈\(pods) ÷ \(branch)⌉ = \(Plural.count(nodes, "node")).",
            ])
    }
}

extension InstanceType {
    /// "3 ENIs with 10 IPv4 addresses each", for worked steps.
    var enisAndSlots: String { "\(Plural.count(maxENIs, "ENI")) with \(ipv4PerENI) IPv4 addresses each" }
}

extension VPCRules {
    /// The smallest subnet prefix length whose usable addresses (2^(32 − n) − 5) hold `needed`.
    public static func smallestSubnet(holding needed: Int) throws(FactsError) -> Computation {
        guard needed >= 1 else { throw .notApplicable("a subnet must hold at least one address") }
        guard let n = allowedPrefixLengths.reversed().first(where: { (1 << (32 - $0)) - reservedPerSubnet >= needed }) else {
            throw .notApplicable("\(needed) addresses do not fit in one subnet (a /16 holds 65,531)")
        }
        let usable = (1 << (32 - n)) - reservedPerSubnet
        var steps = ["A /\(n) holds 2^\(32 - n) − 5 = \(usable) usable addresses ≥ \(needed)."]
        if n < 28 {
            let smaller = (1 << (31 - n)) - reservedPerSubnet
            steps.append("A /\(n + 1) holds only 2^\(31 - n) − 5 = \(smaller).")
        }
        return Computation(value: n, formula: "smallest /n with 2^(32 − n) − 5 ≥ addresses needed", steps: steps)
    }
}

/// Subnet sizing for ECS services in awsvpc mode (EC2 or Fargate): one address per task, at the
/// deployment's peak.
public enum ECSSizing {
    /// Free addresses an Application Load Balancer needs in each of its subnets.
    public static let albFreeAddresses = 8

    /// Addresses each AZ's subnet needs for `desired` tasks spread over `azs` AZs during a rolling
    /// deployment with `maximumPercent`, plus an ALB's 8 and one ENI per interface endpoint.
    public static func addressesPerAZ(desired: Int, maximumPercent: Int, azs: Int, alb: Bool, endpoints: Int)
        throws(FactsError) -> Computation
    {
        guard desired >= 1, azs >= 1, endpoints >= 0 else {
            throw .notApplicable("tasks and AZs must be at least 1, endpoints at least 0")
        }
        guard (100...200).contains(maximumPercent) else {
            throw .notApplicable("maximumPercent must be 100 to 200 for this rule")
        }
        let peak = (desired * maximumPercent).divCeil(100)
        let perAZ = peak.divCeil(azs)
        let value = perAZ + (alb ? albFreeAddresses : 0) + endpoints
        var steps = [
            "During a rolling deployment ECS may run up to maximumPercent of the desired count: ⌈\(desired) × \(maximumPercent)%⌉ = \(Plural.count(peak, "task")).",
            "Each awsvpc task has its own ENI and address; spread evenly over \(Plural.count(azs, "AZ")): ⌈\(peak) ÷ \(azs)⌉ = \(perAZ) per subnet.",
        ]
        if alb { steps.append("The ALB needs at least 8 free addresses in each of its subnets: + 8.") }
        if endpoints > 0 {
            steps.append("Each interface endpoint puts one ENI in each AZ's subnet: + \(endpoints).")
        }
        steps.append("Addresses per AZ subnet: \(value).")
        return Computation(
            value: value,
            formula: "⌈⌈desired × maximumPercent ÷ 100⌉ ÷ AZs⌉ + 8 for an ALB + one per interface endpoint",
            steps: steps)
    }
}

/// Example prices for the egress comparison. They are inputs, stated in each question as
/// example list prices, never facts the app keeps up to date.
public struct EgressPrices: Sendable, Hashable {
    /// NAT gateway, per hour and per GB processed, in thousandths of a dollar.
    public var natHourMills: Int
    public var natGBMills: Int
    /// Interface endpoint, per hour per AZ and per GB processed, in thousandths of a dollar.
    public var endpointHourMills: Int
    public var endpointGBMills: Int

    public init(natHourMills: Int, natGBMills: Int, endpointHourMills: Int, endpointGBMills: Int) {
        self.natHourMills = natHourMills
        self.natGBMills = natGBMills
        self.endpointHourMills = endpointHourMills
        self.endpointGBMills = endpointGBMills
    }

    /// us-east-1 list prices when this was written: NAT $0.045/h and $0.045/GB; interface
    /// endpoint $0.01/h per AZ and $0.01/GB.
    public static let example = EgressPrices(natHourMills: 45, natGBMills: 45, endpointHourMills: 10, endpointGBMills: 10)
}

/// Private-subnet egress cost: NAT gateways against interface endpoints (AWS PrivateLink).
public enum EgressCostRules {
    /// Hours in the month the comparison uses (AWS pricing pages use 730).
    public static let hoursPerMonth = 730

    /// Monthly cost in thousandths of a dollar of one NAT gateway per AZ carrying `gb` a month.
    public static func natMonthly(azs: Int, gb: Int, prices: EgressPrices) -> Int {
        azs * hoursPerMonth * prices.natHourMills + gb * prices.natGBMills
    }

    /// Monthly cost of `endpoints` interface endpoints in each of `azs` AZs carrying `gb` a month.
    public static func endpointsMonthly(endpoints: Int, azs: Int, gb: Int, prices: EgressPrices) -> Int {
        endpoints * azs * hoursPerMonth * prices.endpointHourMills + gb * prices.endpointGBMills
    }

    /// The monthly volume (GB, rounded up) from which the endpoints cost less than the NAT
    /// gateways' processing charge for the same traffic; the NAT gateways stay for other egress,
    /// so only the endpoints' hourly cost is extra.
    public static func breakEvenGB(endpoints: Int, azs: Int, prices: EgressPrices) throws(FactsError) -> Computation {
        let saving = prices.natGBMills - prices.endpointGBMills
        guard saving > 0 else { throw .notApplicable("endpoints save nothing per GB at these prices") }
        guard endpoints >= 1, azs >= 1 else { throw .notApplicable("endpoints and AZs must be at least 1") }
        let fixed = endpoints * azs * hoursPerMonth * prices.endpointHourMills
        let value = fixed.divCeil(saving)
        return Computation(
            value: value,
            formula: "break-even GB = endpoints × AZs × 730 h × endpoint hourly price ÷ (NAT per-GB − endpoint per-GB)",
            steps: [
                "The NAT gateways stay for other egress, so the endpoints add only their hourly charge: \(endpoints) × \(azs) AZs × 730 h × \(dollars(prices.endpointHourMills)) = \(dollars(fixed)) a month.",
                "Each GB sent through an endpoint instead of a NAT gateway saves \(dollars(prices.natGBMills)) − \(dollars(prices.endpointGBMills)) = \(dollars(saving)).",
                "Break-even: \(dollars(fixed)) ÷ \(dollars(saving)) per GB = \(value) GB a month (rounded up); above it the endpoints are cheaper.",
            ])
    }

    /// `mills` thousandths of a dollar as `$1,234.56` (or `$0.045` below a cent's precision).
    public static func dollars(_ mills: Int) -> String {
        if mills % 10 != 0 {
            return "$\(mills / 1000).\(String(format3(mills % 1000)))"
        }
        let cents = mills / 10
        let whole = cents / 100
        let grouped = groupThousands(whole)
        return "$\(grouped).\(cents % 100 < 10 ? "0" : "")\(cents % 100)"
    }

    static func format3(_ n: Int) -> String {
        n < 10 ? "00\(n)" : n < 100 ? "0\(n)" : "\(n)"
    }

    static func groupThousands(_ n: Int) -> String {
        let digits = String(n)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return out
    }
}
