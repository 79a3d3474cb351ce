/// How the Amazon VPC CNI (ipamd) keeps spare addresses on a node, so pods start without an
/// EC2 API call. The setting decides how many subnet addresses each node holds.
public enum WarmPoolSetting: Sendable, Hashable {
    /// `WARM_ENI_TARGET` (default 1): keep this many whole ENIs' worth of free addresses.
    case warmENI(Int)
    /// `WARM_IP_TARGET` with `MINIMUM_IP_TARGET` (0 when unset); either set overrides WARM_ENI_TARGET.
    case warmIP(target: Int, minimum: Int)
    /// Prefix delegation with `WARM_PREFIX_TARGET` (default 1): keep this many free /28 prefixes.
    case warmPrefix(Int)
    /// Prefix delegation with `WARM_IP_TARGET`/`MINIMUM_IP_TARGET`, counted in addresses and
    /// rounded up to whole prefixes.
    case prefixWarmIP(target: Int, minimum: Int)

    /// The VPC CNI's defaults: WARM_ENI_TARGET=1, or WARM_PREFIX_TARGET=1 with prefix delegation.
    public static func defaults(prefixDelegation: Bool) -> WarmPoolSetting {
        prefixDelegation ? .warmPrefix(1) : .warmENI(1)
    }

    /// Whether the node delegates /28 prefixes.
    public var prefixDelegation: Bool {
        switch self {
        case .warmENI, .warmIP: false
        case .warmPrefix, .prefixWarmIP: true
        }
    }

    /// The environment variables as a cluster operator sets them on the aws-node DaemonSet.
    public var description: String {
        switch self {
        case let .warmENI(w): "WARM_ENI_TARGET=\(w)\(w == 1 ? " (the default)" : "")"
        case let .warmIP(t, m): "WARM_IP_TARGET=\(t), MINIMUM_IP_TARGET=\(m)"
        case let .warmPrefix(w): "prefix delegation, WARM_PREFIX_TARGET=\(w)\(w == 1 ? " (the default)" : "")"
        case let .prefixWarmIP(t, m): "prefix delegation, WARM_IP_TARGET=\(t), MINIMUM_IP_TARGET=\(m)"
        }
    }
}

/// What one node holds from its subnet under a warm-pool setting.
public struct NodeAddressHold: Sendable, Hashable, Equatable {
    /// ENIs attached (the primary ENI included).
    public var enis: Int
    /// Secondary addresses assigned, one per pod (0 with prefix delegation).
    public var secondaryIPs: Int
    /// /28 prefixes assigned (0 without prefix delegation).
    public var prefixes: Int
    /// Subnet addresses the node takes: one primary per ENI plus its secondaries or 16 per prefix.
    public var addresses: Int { enis + secondaryIPs + prefixes * EKSRules.addressesPerPrefix }
}

/// The VPC CNI's warm pool (aws/amazon-vpc-cni-k8s `docs/eni-and-ip-target.md` and
/// `docs/prefix-and-ip-target.md`).
public enum WarmPoolRules {
    /// The hold of one node of `type` running `pods` pods that need VPC addresses.
    /// With `maxPods` (the kubelet's max-pods value) the pool stops growing once it holds that many
    /// addresses (ipamd never grows a pool whose total reaches max pods).
    /// Throws when the setting is invalid or the pods do not fit the node's slots.
    public static func hold(_ type: InstanceType, pods: Int, setting: WarmPoolSetting, maxPods: Int? = nil)
        throws(FactsError) -> (hold: NodeAddressHold, computation: Computation)
    {
        var result = try uncappedHold(type, pods: pods, setting: setting)
        guard let maxPods else { return result }
        guard pods <= maxPods else { throw .notApplicable("\(pods) pods exceed the node's max pods (\(maxPods))") }
        let slots = type.ipv4PerENI - 1
        var hold = result.hold
        switch setting {
        case .warmENI:
            // ENIs are attached whole while the addresses held are still below max pods.
            let least = max(1, pods.divCeil(slots))
            while hold.enis > least, (hold.enis - 1) * slots >= maxPods { hold.enis -= 1 }
            hold.secondaryIPs = hold.enis * slots
        case .warmIP:
            // Pods arriving one at a time top the pool up one address at a time, so it stops at max
            // pods exactly; a burst of pods could overshoot by the shortfall requested in one call.
            hold.secondaryIPs = max(pods, min(hold.secondaryIPs, maxPods))
            hold.enis = max(1, hold.secondaryIPs.divCeil(slots))
        case .warmPrefix, .prefixWarmIP:
            let least = max(1, pods.divCeil(EKSRules.addressesPerPrefix))
            while hold.prefixes > least, (hold.prefixes - 1) * EKSRules.addressesPerPrefix >= maxPods { hold.prefixes -= 1 }
            hold.enis = max(1, hold.prefixes.divCeil(slots))
        }
        if hold != result.hold {
            result.computation.steps.append(
                "ipamd stops growing the pool once it holds max pods (\(maxPods)) addresses: \(Plural.count(hold.enis, "ENI")), "
                    + (hold.prefixes > 0
                        ? "\(Plural.count(hold.prefixes, "prefix", "prefixes")), 16 × \(hold.prefixes) + \(hold.enis) = \(hold.addresses) addresses."
                        : "\(hold.secondaryIPs) secondaries + \(hold.enis) = \(hold.addresses) addresses."))
            result.computation.value = hold.addresses
            result.hold = hold
        }
        return result
    }

    static func uncappedHold(_ type: InstanceType, pods: Int, setting: WarmPoolSetting) throws(FactsError)
        -> (hold: NodeAddressHold, computation: Computation)
    {
        let enis = type.maxENIs
        let slots = type.ipv4PerENI - 1
        guard pods >= 0 else { throw .notApplicable("the number of pods cannot be negative") }
        guard slots >= 1 else { throw .notApplicable("\(type.name) has no secondary address slots") }
        let node =
            "\(type.name) has \(Plural.count(enis, "ENI")), each with \(Plural.count(slots, "secondary slot")) (\(type.ipv4PerENI) IPv4 addresses, one of them the ENI's primary)."
        switch setting {
        case let .warmENI(w):
            guard w >= 0 else { throw .notApplicable("WARM_ENI_TARGET cannot be negative") }
            let capacity = enis * slots
            guard pods <= capacity else { throw tooManyPods(type, pods, capacity) }
            let forPods = pods.divCeil(slots)
            // With WARM_ENI_TARGET=0 ipamd attaches the next ENI only once the last is full
            // (ipamd.go: "too low" when nothing is available), so a full ENI brings another.
            let attached = w == 0 ? max(1, min(enis, pods / slots + 1)) : max(1, min(enis, forPods + w))
            let hold = NodeAddressHold(enis: attached, secondaryIPs: attached * slots, prefixes: 0)
            return (
                hold,
                Computation(
                    value: hold.addresses,
                    formula: "ENIs = min(max ENIs, ⌈pods ÷ slots⌉ + WARM_ENI_TARGET); addresses = ENIs × IPv4 per ENI",
                    steps: [
                        node,
                        w == 0
                            ? "\(Plural.count(pods, "pod")) on \(slots)-address ENIs, and with WARM_ENI_TARGET=0 the next ENI is attached only when the last is full: "
                                + "min(\(enis), ⌊\(pods) ÷ \(slots)⌋ + 1) = \(Plural.count(attached, "ENI"))."
                            : "\(Plural.count(pods, "pod")) fill ⌈\(pods) ÷ \(slots)⌉ = \(Plural.count(forPods, "ENI")); WARM_ENI_TARGET=\(w) keeps \(Plural.count(w, "more whole ENI", "more whole ENIs")) of free addresses: "
                                + "min(\(enis), \(forPods) + \(w)) = \(Plural.count(attached, "ENI"))"
                                + (forPods + w > enis ? " (the type's limit)." : ".")
                                + (attached > forPods + w ? " A node always has its primary ENI." : ""),
                        "Each attached ENI gets all its secondaries: \(attached) × \(slots) = \(Plural.count(hold.secondaryIPs, "secondary address", "secondary addresses")).",
                        "Subnet addresses: \(attached) × \(type.ipv4PerENI) = \(hold.addresses) (\(hold.secondaryIPs) secondaries + \(attached) ENI primaries).",
                    ])
            )
        case let .warmIP(t, m):
            guard t >= 0, m >= 0 else { throw .notApplicable("WARM_IP_TARGET and MINIMUM_IP_TARGET cannot be negative") }
            let capacity = enis * slots
            guard pods <= capacity else { throw tooManyPods(type, pods, capacity) }
            let wanted = max(m, pods + t)
            let secondaries = min(capacity, wanted)
            let attached = max(1, secondaries.divCeil(slots))
            let hold = NodeAddressHold(enis: attached, secondaryIPs: secondaries, prefixes: 0)
            return (
                hold,
                Computation(
                    value: hold.addresses,
                    formula:
                        "secondaries = min(max ENIs × slots, max(MINIMUM_IP_TARGET, pods + WARM_IP_TARGET)); ENIs = ⌈secondaries ÷ slots⌉",
                    steps: [
                        node,
                        "WARM_IP_TARGET=\(t) keeps \(Plural.count(t, "free address", "free addresses")) beyond the pods, and MINIMUM_IP_TARGET=\(m) keeps at least \(m) in all: "
                            + "max(\(m), \(pods) + \(t)) = \(wanted)"
                            + (wanted > capacity ? ", limited to the type's \(capacity) slots: \(secondaries)." : "."),
                        "Those \(secondaries) secondaries need ⌈\(secondaries) ÷ \(slots)⌉ = \(Plural.count(attached, "ENI")); WARM_ENI_TARGET no longer applies.",
                        "Subnet addresses: \(secondaries) + \(attached) ENI primar\(attached == 1 ? "y" : "ies") = \(hold.addresses).",
                    ])
            )
        case let .warmPrefix(w):
            guard type.supportsPrefixDelegation else { throw notNitro(type) }
            guard w >= 1 else {
                throw .notApplicable(
                    "with prefix delegation WARM_PREFIX_TARGET must be at least 1 (0 for every warm target is not supported)")
            }
            let needed = pods.divCeil(EKSRules.addressesPerPrefix)
            let capacity = enis * slots
            guard needed <= capacity else { throw tooManyPods(type, pods, capacity * EKSRules.addressesPerPrefix) }
            let prefixes = max(1, min(capacity, needed + w))
            return prefixHold(
                type, prefixes: prefixes, node: node,
                formula:
                    "prefixes = ⌈pods ÷ 16⌉ + WARM_PREFIX_TARGET; ENIs = ⌈prefixes ÷ slots⌉; addresses = 16 × prefixes + ENIs",
                why:
                    "\(Plural.count(pods, "pod")) need ⌈\(pods) ÷ 16⌉ = \(Plural.count(needed, "prefix", "prefixes")); WARM_PREFIX_TARGET=\(w) keeps \(w) more free: "
                    + "\(needed) + \(w) = \(Plural.count(prefixes, "prefix", "prefixes"))"
                    + (needed + w > capacity ? ", limited to the type's \(capacity) slots." : "."))
        case let .prefixWarmIP(t, m):
            guard type.supportsPrefixDelegation else { throw notNitro(type) }
            guard t >= 0, m >= 0 else { throw .notApplicable("WARM_IP_TARGET and MINIMUM_IP_TARGET cannot be negative") }
            guard t > 0 || m > 0 else {
                throw .notApplicable("with prefix delegation, WARM_IP_TARGET and MINIMUM_IP_TARGET cannot both be 0")
            }
            let capacity = enis * slots
            let wanted = max(m, pods + t)
            let needed = wanted.divCeil(EKSRules.addressesPerPrefix)
            guard pods.divCeil(EKSRules.addressesPerPrefix) <= capacity else {
                throw tooManyPods(type, pods, capacity * EKSRules.addressesPerPrefix)
            }
            let prefixes = max(1, min(capacity, needed))
            return prefixHold(
                type, prefixes: prefixes, node: node,
                formula:
                    "prefixes = ⌈max(MINIMUM_IP_TARGET, pods + WARM_IP_TARGET) ÷ 16⌉; ENIs = ⌈prefixes ÷ slots⌉; addresses = 16 × prefixes + ENIs",
                why:
                    "The CNI wants max(\(m), \(pods) + \(t)) = \(wanted) addresses, in whole prefixes: ⌈\(wanted) ÷ 16⌉ = \(Plural.count(needed, "prefix", "prefixes"))"
                    + (needed > capacity ? ", limited to the type's \(capacity) slots." : "."))
        }
    }

    /// A prefix-delegation hold of `prefixes` /28s, its ENIs filled slot by slot, with its steps.
    static func prefixHold(_ type: InstanceType, prefixes: Int, node: String, formula: String, why: String)
        -> (hold: NodeAddressHold, computation: Computation)
    {
        let slots = type.ipv4PerENI - 1
        let attached = max(1, prefixes.divCeil(slots))
        let hold = NodeAddressHold(enis: attached, secondaryIPs: 0, prefixes: prefixes)
        return (
            hold,
            Computation(
                value: hold.addresses, formula: formula,
                steps: [
                    node + " With prefix delegation each slot holds a /28 prefix of 16 addresses.", why,
                    "\(prefixes) prefixes take ⌈\(prefixes) ÷ \(slots)⌉ = \(Plural.count(attached, "ENI")).",
                    "Subnet addresses: 16 × \(prefixes) + \(attached) ENI primar\(attached == 1 ? "y" : "ies") = \(hold.addresses).",
                ])
        )
    }

    /// Nodes that fit in `usable` subnet addresses when each holds `perNode`.
    public static func nodes(usable: Int, perNode: Int) -> Int { perNode > 0 ? usable / perNode : 0 }

    static func tooManyPods(_ type: InstanceType, _ pods: Int, _ capacity: Int) -> FactsError {
        .notApplicable("\(pods) pods do not fit on \(type.name): its slots hold \(capacity) pod addresses")
    }

    static func notNitro(_ type: InstanceType) -> FactsError {
        .notApplicable("prefix delegation needs a Nitro-based instance (Nitro or bare metal); \(type.name) is Xen")
    }
}
