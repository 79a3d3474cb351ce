/// How an EC2 instance type is virtualised; the rules that need Nitro check this.
public enum Hypervisor: String, Sendable, Codable, CaseIterable {
    case nitro
    case xen
    /// Bare metal: no hypervisor.
    case none
}

/// One EC2 instance type with the limits the EKS and ECS networking rules need.
public struct InstanceType: Sendable, Hashable, Codable {
    /// The API name, e.g. `m5.large`.
    public var name: String
    public var vcpus: Int
    public var hypervisor: Hypervisor
    /// Network interfaces on the default network card: the number the EKS rules use (ECS counts `allCardENIs`).
    public var maxENIs: Int
    /// IPv4 addresses per interface, the primary address included.
    public var ipv4PerENI: Int
    /// Interfaces over all network cards; differs from `maxENIs` only on multi-card types.
    public var allCardENIs: Int
    /// awsvpc tasks per instance with ENI trunking; `nil` where trunking is not supported.
    public var ecsTrunkTasks: Int?
    /// Branch interfaces for security groups for pods; `nil` where the type is not trunk-compatible.
    public var eksBranchENIs: Int?

    public init(
        name: String, vcpus: Int, hypervisor: Hypervisor, maxENIs: Int, ipv4PerENI: Int,
        allCardENIs: Int? = nil, ecsTrunkTasks: Int? = nil, eksBranchENIs: Int? = nil
    ) {
        self.name = name
        self.vcpus = vcpus
        self.hypervisor = hypervisor
        self.maxENIs = maxENIs
        self.ipv4PerENI = ipv4PerENI
        self.allCardENIs = allCardENIs ?? maxENIs
        self.ecsTrunkTasks = ecsTrunkTasks
        self.eksBranchENIs = eksBranchENIs
    }

    /// The family part of the name: `m5` for `m5.large`.
    public var family: String { String(name.split(separator: ".", maxSplits: 1).first ?? "") }
    /// The size part of the name: `large` for `m5.large`.
    public var size: String {
        let parts = name.split(separator: ".", maxSplits: 1)
        return parts.count == 2 ? String(parts[1]) : ""
    }
    public var isNitro: Bool { hypervisor == .nitro }
    /// A burstable `t` family (t2, t3, t3a, t4g…), not one that merely starts with a t (trn1).
    public var isBurstable: Bool { family.first == "t" && family.dropFirst().first?.isNumber == true }
    /// Whether the VPC CNI can delegate prefixes: Nitro virtualised types and bare metal (which is
    /// built on the Nitro System; the CNI's `IsPrefixDelegationSupported` accepts both).
    public var supportsPrefixDelegation: Bool { hypervisor == .nitro || hypervisor == .none }
    /// True when every interface sits on one network card, so the per-card numbers are unambiguous.
    public var isSingleCard: Bool { allCardENIs == maxENIs }
}
