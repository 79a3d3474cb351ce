/// A computed answer with its worked solution in real numbers.
public struct Computation: Sendable, Hashable, Codable {
    /// The answer.
    public var value: Int
    /// The rule in symbols, e.g. `ENIs × (IPv4 per ENI − 1) + 2`.
    public var formula: String
    /// The steps, each a line a person can check: `3 ENIs × (10 − 1) + 2 = 29`.
    public var steps: [String]

    public init(value: Int, formula: String, steps: [String]) {
        self.value = value
        self.formula = formula
        self.steps = steps
    }
}

/// How the Amazon VPC CNI hands out pod addresses on an EKS node.
public enum PodNetworking: String, Sendable, Codable, CaseIterable {
    /// Default: one secondary IPv4 address per pod.
    case secondaryIP = "secondary-ip"
    /// Pods in other subnets through ENIConfig; the primary ENI carries no pods.
    case customNetworking = "custom-networking"
    /// Each address slot holds a /28 prefix (16 addresses); Nitro only, capped by EKS.
    case prefixDelegation = "prefix-delegation"
}

/// EKS pods-per-node rules (Amazon VPC CNI), as AWS documents them.
public enum EKSRules {
    /// Pods that use the host network (aws-node, kube-proxy) and need no pod address.
    public static let hostNetworkPods = 2
    /// Addresses in one delegated /28 prefix.
    public static let addressesPerPrefix = 16

    /// Max pods per node for `type` under `networking`.
    /// Prefix delegation returns EKS's recommended value: the raw count capped at 110 below
    /// 30 vCPUs and at 250 from 30 vCPUs up.
    public static func maxPods(_ type: InstanceType, networking: PodNetworking = .secondaryIP)
        throws(FactsError) -> Computation
    {
        let enis = type.maxENIs, ips = type.ipv4PerENI
        switch networking {
        case .secondaryIP:
            let value = enis * (ips - 1) + hostNetworkPods
            return Computation(
                value: value,
                formula: "ENIs × (IPv4 per ENI − 1) + 2",
                steps: [
                    "\(type.name) has \(Plural.count(enis, "ENI")) with \(ips) IPv4 addresses each.",
                    "Each ENI keeps its primary address, so \(ips) − 1 = \(Plural.count(ips - 1, "address", "addresses")) per ENI go to pods.",
                    "\(enis) ENIs × \(ips - 1) = \(enis * (ips - 1)) pod addresses.",
                    "Add 2 host-network pods (aws-node, kube-proxy): \(enis) ENIs × (\(ips) − 1) + 2 = \(value).",
                ])
        case .customNetworking:
            guard enis >= 2 else {
                throw .notApplicable("\(type.name) has only one ENI, so custom networking leaves no ENI for pods")
            }
            let value = (enis - 1) * (ips - 1) + hostNetworkPods
            return Computation(
                value: value,
                formula: "(ENIs − 1) × (IPv4 per ENI − 1) + 2",
                steps: [
                    "\(type.name) has \(Plural.count(enis, "ENI")) with \(ips) IPv4 addresses each.",
                    "With custom networking the primary ENI stays in the node's subnet and carries no pods: \(enis) − 1 = \(Plural.count(enis - 1, "ENI")) for pods.",
                    "Each of those keeps its primary address: \(ips) − 1 = \(Plural.count(ips - 1, "pod address", "pod addresses")) per ENI.",
                    "(\(enis) − 1) × (\(ips) − 1) + 2 = \(enis - 1) × \(ips - 1) + 2 = \(value).",
                ])
        case .prefixDelegation:
            guard type.supportsPrefixDelegation else {
                throw .notApplicable("prefix delegation needs a Nitro-based instance (Nitro or bare metal); \(type.name) is Xen")
            }
            let raw = enis * ((ips - 1) * addressesPerPrefix) + hostNetworkPods
            let cap = cap(vcpus: type.vcpus)
            let value = min(raw, cap)
            return Computation(
                value: value,
                formula: "min(ENIs × ((IPv4 per ENI − 1) × 16) + 2, 110 below 30 vCPUs else 250)",
                steps: [
                    "\(type.name) has \(Plural.count(enis, "ENI")) with \(ips) IPv4 slots each; each secondary slot holds a /28 prefix of 16 addresses.",
                    "Raw: \(enis) × ((\(ips) − 1) × 16) + 2 = \(enis) × \(( ips - 1) * addressesPerPrefix) + 2 = \(raw).",
                    "\(type.name) has \(type.vcpus) vCPUs, \(type.vcpus < 30 ? "fewer than 30, so EKS caps it at 110" : "30 or more, so EKS caps it at 250").",
                    "min(\(raw), \(cap)) = \(value).",
                ])
        }
    }
}

/// Where an EKS node's max-pods value comes from.
public enum NodeGroupKind: String, CaseIterable, Sendable {
    /// A managed node group: EKS sets max pods and caps it at 110 below 30 vCPUs and 250 from 30
    /// up, whether prefix delegation is on or not (EKS user guide, cni-increase-ip-addresses).
    case managed
    /// A self-managed node with the default Amazon Linux bootstrap, which reads the uncapped
    /// value of `eni-max-pods.txt` (secondary-IP mode).
    case selfManaged = "self-managed"

    /// How questions and `calc` name it.
    public var phrase: String {
        switch self {
        case .managed: "in a managed node group"
        case .selfManaged: "a self-managed node with the default bootstrap (eni-max-pods.txt)"
        }
    }
}

extension EKSRules {
    /// EKS's cap on max pods: 110 below 30 vCPUs, 250 from 30 up.
    // The user guide says "fewer than 30 vCPUs → 110"; max-pods-calculator.sh tests
    // `CPU_COUNT -gt 30`, which would give exactly 30 vCPUs 110 (audit R10). No instance type has
    // 30 vCPUs, so the two never disagree; the guide's wording is the one followed.
    public static func cap(vcpus: Int) -> Int { vcpus < 30 ? 110 : 250 }

    /// Max pods for `type` on `node`: the self-managed value, and for a managed node group the
    /// same capped at 110/250 (prefix delegation's value is capped for both).
    public static func maxPods(_ type: InstanceType, networking: PodNetworking = .secondaryIP, node: NodeGroupKind)
        throws(FactsError) -> Computation
    {
        let own = try maxPods(type, networking: networking)
        guard node == .managed, networking != .prefixDelegation else { return own }
        let cap = cap(vcpus: type.vcpus)
        let value = min(own.value, cap)
        return Computation(
            value: value,
            formula: "min(\(own.formula), 110 below 30 vCPUs else 250) in a managed node group",
            steps: own.steps + [
                "A managed node group caps max pods at \(cap) for \(type.vcpus) vCPUs (110 below 30, else 250): "
                    + "min(\(own.value), \(cap)) = \(value)."
                    + (own.value > cap ? " A self-managed node with the default bootstrap would get \(own.value)." : "")
            ])
    }
}

/// ECS rules for tasks in awsvpc network mode on EC2 container instances.
public enum ECSRules {
    /// awsvpc tasks one container instance of `type` can run.
    public static func awsvpcTasks(_ type: InstanceType, trunking: Bool = false) throws(FactsError) -> Computation {
        if trunking {
            guard let limit = type.ecsTrunkTasks else {
                // The ECS guide excludes the t families; for other types the catalog simply has no row.
                let why =
                    type.isBurstable
                    ? "does not support ENI trunking (awsvpcTrunking; no t family does)"
                    : "has no documented ECS trunking limit (awsvpcTrunking) in the catalog"
                throw .notApplicable(
                    "\(type.name) \(why); without trunking: \(Plural.count(max(type.allCardENIs - 1, 0), "task"))")
            }
            return Computation(
                value: limit,
                formula: "per-type trunking limit (ECS developer guide)",
                steps: [
                    "With the awsvpcTrunking account setting, tasks get branch ENIs on a trunk ENI instead of their own ENIs.",
                    "The limit is set per instance type, not computed from ENIs: \(type.name) allows \(Plural.count(limit, "task")).",
                    "Without trunking it would be \(type.allCardENIs) − 1 = \(type.allCardENIs - 1).",
                ])
        }
        // The ECS guide's task limits count the ENIs of every network card (p4d.24xlarge: 59).
        let enis = type.allCardENIs
        let value = enis - 1
        let cards =
            type.isSingleCard
            ? "\(type.name) supports \(Plural.count(enis, "ENI"))"
            : "\(type.name) supports \(Plural.count(enis, "ENI")) over all its network cards (\(type.maxENIs) on the default card)"
        return Computation(
            value: value,
            formula: "max ENIs (all network cards) − 1",
            steps: [
                "In awsvpc mode each task gets its own ENI.",
                cards + ", and the primary ENI belongs to the instance itself.",
                "\(enis) − 1 = \(Plural.count(value, "task")).",
            ])
    }
}

/// A parsed IPv4 CIDR block.
public struct CIDRBlock: Sendable, Hashable, Codable, CustomStringConvertible {
    public var address: UInt32
    public var prefixLength: Int

    /// Parses `10.0.0.0/22`. The address must be the block's first address.
    public init(_ text: String) throws(FactsError) {
        let trimmed = text.trimmingWhitespace()
        let parts = trimmed.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw .badCIDR(text, reason: "expected ADDRESS/PREFIX, e.g. 10.0.0.0/24") }
        let octets = parts[0].split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { throw .badCIDR(text, reason: "an IPv4 address has four numbers") }
        var address: UInt32 = 0
        for octet in octets {
            guard let value = UInt32(octet), value <= 255, octet.count <= 3 else {
                throw .badCIDR(text, reason: "'\(octet)' is not a number from 0 to 255")
            }
            address = address << 8 | value
        }
        guard let prefix = Int(parts[1]), (0...32).contains(prefix) else {
            throw .badCIDR(text, reason: "the prefix length must be 0 to 32")
        }
        let mask: UInt32 = prefix == 0 ? 0 : ~UInt32(0) << (32 - prefix)
        guard address & ~mask == 0 else {
            throw .badCIDR(text, reason: "host bits are set; the block starts at \(CIDRBlock.format(address & mask))/\(prefix)")
        }
        self.address = address
        self.prefixLength = prefix
    }

    /// All addresses in the block.
    public var size: Int { 1 << (32 - prefixLength) }
    public var description: String { "\(CIDRBlock.format(address))/\(prefixLength)" }

    static func format(_ address: UInt32) -> String {
        (0..<4).map { String(address >> (24 - 8 * $0) & 0xff) }.joined(separator: ".")
    }
}

/// VPC address arithmetic.
public enum VPCRules {
    /// Addresses AWS reserves in every subnet: network, VPC router, DNS, future use, broadcast.
    public static let reservedPerSubnet = 5
    /// Allowed VPC and subnet prefix lengths.
    public static let allowedPrefixLengths = 16...28

    /// Usable addresses in a subnet of `block`: 2^(32 − n) − 5.
    public static func usableAddresses(_ block: CIDRBlock) throws(FactsError) -> Computation {
        guard allowedPrefixLengths.contains(block.prefixLength) else {
            throw .badCIDR(block.description, reason: "VPC subnets must be /16 to /28")
        }
        let n = block.prefixLength
        let value = block.size - reservedPerSubnet
        return Computation(
            value: value,
            formula: "2^(32 − prefix) − 5",
            steps: [
                "A /\(n) holds 2^(32 − \(n)) = 2^\(32 - n) = \(block.size) addresses.",
                "AWS reserves 5 in every subnet (network, VPC router, DNS, future use, broadcast).",
                "\(block.size) − 5 = \(value) usable addresses.",
            ])
    }
}
