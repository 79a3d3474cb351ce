import ArgumentParser
import Foundation
import SaproCore

struct Calc: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calc",
        abstract: "Compute AWS networking limits with the worked steps.",
        subcommands: [
            MaxPods.self, NodeGroup.self, WarmPool.self, SGPods.self, ECSTasks.self, Subnet.self, SubnetSizing.self,
            EgressCost.self,
        ])

    struct MaxPods: SaproCommand {
        static let configuration = CommandConfiguration(
            commandName: "max-pods", abstract: "EKS max pods per node (Amazon VPC CNI).")
        @Argument(help: "EC2 instance type, e.g. m5.large.") var type: String
        @Flag(help: "Pods in other subnets via ENIConfig: the primary ENI carries no pods.")
        var customNetworking = false
        @Flag(help: "/28 prefixes per slot (Nitro only), with EKS's 110/250 cap.")
        var prefixDelegation = false
        @OptionGroup var content: ContentOptions

        func run(in context: RunContext) throws {
            let catalog = try content.load(in: context).catalog
            if customNetworking && prefixDelegation {
                // Both at once: max-pods-calculator.sh drops the primary ENI, then applies the prefix formula and the cap.
                let instance = try reporting { try catalog.require(type) }
                let result = try reporting { try EKSRules.maxPodsCustomNetworkingWithPrefixes(instance) }
                printComputation(
                    result,
                    headline:
                        "\(type.lowercased()) (custom networking + prefix delegation), any node: \(Plural.count(result.value, "pod"))"
                )
                return
            }
            let mode: PodNetworking = customNetworking ? .customNetworking : prefixDelegation ? .prefixDelegation : .secondaryIP
            let instance = try reporting { try catalog.require(type) }
            // Both node kinds: which applies is the question's (or the cluster's) to say.
            for node in NodeGroupKind.allCases {
                let result = try reporting { try EKSRules.maxPods(instance, networking: mode, node: node) }
                printComputation(
                    result,
                    headline: "\(type.lowercased()) (\(mode.rawValue)), \(node.phrase): \(Plural.count(result.value, "pod"))")
                if node == .managed { print("") }
            }
        }
    }

    struct ECSTasks: SaproCommand {
        static let configuration = CommandConfiguration(
            commandName: "ecs-tasks", abstract: "ECS awsvpc tasks per container instance.")
        @Argument(help: "EC2 instance type, e.g. m5.large.") var type: String
        @Flag(help: "With ENI trunking (awsvpcTrunking).") var trunking = false
        @OptionGroup var content: ContentOptions

        func run(in context: RunContext) throws {
            let catalog = try content.load(in: context).catalog
            let result = try reporting { try ECSRules.awsvpcTasks(try catalog.require(type), trunking: trunking) }
            printComputation(
                result,
                headline: "\(type.lowercased()) (awsvpc\(trunking ? ", trunking" : "")): \(Plural.count(result.value, "task"))")
        }
    }

    struct NodeGroup: SaproCommand {
        static let configuration = CommandConfiguration(
            commandName: "node-group",
            abstract: "Max pods of a managed node group: each type capped at 110/250, the smallest applied to all nodes.")
        @Argument(help: "The group's EC2 instance types, e.g. m5.large m5.2xlarge.") var types: [String]
        @Flag(help: "With prefix delegation.") var prefixDelegation = false
        @OptionGroup var content: ContentOptions

        func validate() throws {
            guard !types.isEmpty else { throw ValidationError("name at least one instance type") }
            try OptionRange.check(types.count, 1...30, "the number of instance types")
        }

        func run(in context: RunContext) throws {
            let catalog = try content.load(in: context).catalog
            let instances = try types.map { name in try reporting { try catalog.require(name) } }
            let result = try reporting { try EKSRules.managedNodeGroupMaxPods(instances, prefixDelegation: prefixDelegation) }
            printComputation(
                result,
                headline:
                    "managed node group [\(types.joined(separator: ", "))]: \(Plural.count(result.value, "pod")) on every node")
        }
    }

    struct WarmPool: SaproCommand {
        static let configuration = CommandConfiguration(
            commandName: "warm-pool",
            abstract: "Subnet addresses one EKS node holds under the VPC CNI's warm-pool settings, and nodes per subnet.",
            discussion:
                "Without settings the CNI's defaults apply: WARM_ENI_TARGET=1, or WARM_PREFIX_TARGET=1 with --prefix-delegation.")
        @Argument(help: "EC2 instance type, e.g. m5.large.") var type: String
        @Option(help: "Pods on the node that need VPC addresses.") var pods: Int
        @Option(help: "WARM_ENI_TARGET (default 1).") var warmENITarget: Int?
        @Option(help: "WARM_IP_TARGET.") var warmIPTarget: Int?
        @Option(help: "MINIMUM_IP_TARGET.") var minimumIPTarget: Int?
        @Option(help: "WARM_PREFIX_TARGET (with --prefix-delegation; default 1).") var warmPrefixTarget: Int?
        @Flag(help: "With prefix delegation (/28 per slot).") var prefixDelegation = false
        @Option(help: "Also say how many such nodes fit in this subnet, e.g. 10.0.0.0/22.") var subnet: String?
        @Option(help: "The node's max pods: the pool stops growing at that many addresses.") var maxPods: Int?
        @OptionGroup var content: ContentOptions

        func validate() throws {
            try OptionRange.check(pods, 0...1_000, "--pods")
            try OptionRange.check(warmENITarget, 0...50, "--warm-eni-target")
            try OptionRange.check(warmIPTarget, 0...10_000, "--warm-ip-target")
            try OptionRange.check(minimumIPTarget, 0...10_000, "--minimum-ip-target")
            try OptionRange.check(warmPrefixTarget, 0...1_000, "--warm-prefix-target")
            try OptionRange.check(maxPods, 1...1_000, "--max-pods")
            if prefixDelegation, warmENITarget != nil {
                throw ValidationError("--warm-eni-target has no effect with --prefix-delegation; use --warm-prefix-target")
            }
            if !prefixDelegation, warmPrefixTarget != nil {
                throw ValidationError("--warm-prefix-target needs --prefix-delegation")
            }
        }

        var setting: WarmPoolSetting {
            let ipTargets = warmIPTarget != nil || minimumIPTarget != nil
            if prefixDelegation {
                if ipTargets, warmPrefixTarget == nil {
                    return .prefixWarmIP(target: warmIPTarget ?? 0, minimum: minimumIPTarget ?? 0)
                }
                return .warmPrefix(warmPrefixTarget ?? 1)
            }
            if ipTargets { return .warmIP(target: warmIPTarget ?? 0, minimum: minimumIPTarget ?? 0) }
            return .warmENI(warmENITarget ?? 1)
        }

        func run(in context: RunContext) throws {
            let catalog = try content.load(in: context).catalog
            let instance = try reporting { try catalog.require(type) }
            let setting = setting
            let result = try reporting { try WarmPoolRules.hold(instance, pods: pods, setting: setting, maxPods: maxPods) }
            let hold = result.hold
            printComputation(
                result.computation,
                headline:
                    "\(type.lowercased()), \(Plural.count(pods, "pod")), \(setting.description): \(Plural.count(hold.addresses, "address", "addresses")) per node "
                    + "(\(Plural.count(hold.enis, "ENI"))\(hold.prefixes > 0 ? ", \(Plural.count(hold.prefixes, "prefix", "prefixes"))" : ", \(hold.secondaryIPs) secondaries"))"
            )
            if let subnet {
                let usable = try reporting { try VPCRules.usableAddresses(try CIDRBlock(subnet)) }
                let nodes = WarmPoolRules.nodes(usable: usable.value, perNode: hold.addresses)
                print("  - \(subnet): \(usable.value) usable ÷ \(hold.addresses) = \(Plural.count(nodes, "node"))")
            }
        }
    }

    struct SGPods: SaproCommand {
        static let configuration = CommandConfiguration(
            commandName: "sg-pods", abstract: "Nodes needed for pods with their own security groups (branch ENIs).")
        @Argument(help: "EC2 instance type, e.g. m5.xlarge.") var type: String
        @Option(help: "Pods with their own security groups.") var pods: Int
        @OptionGroup var content: ContentOptions

        func validate() throws { try OptionRange.check(pods, 1...1_000_000, "--pods") }

        func run(in context: RunContext) throws {
            let catalog = try content.load(in: context).catalog
            let result = try reporting { try EKSRules.securityGroupPods(try catalog.require(type), pods: pods) }
            printComputation(
                result,
                headline:
                    "\(type.lowercased()), \(Plural.count(pods, "pod")) with security groups: \(Plural.count(result.value, "node"))"
            )
        }
    }

    struct SubnetSizing: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "subnet-sizing",
            abstract: "Smallest subnet per AZ for an ECS awsvpc or Fargate service at deployment peak.")
        @Option(help: "Desired task count.") var tasks: Int
        @Option(help: "Availability Zones the tasks spread over.") var azs: Int = 3
        @Option(help: "The deployment's maximumPercent.") var maximumPercent: Int = 200
        @Flag(help: "An ALB shares the subnets (8 free addresses each).") var alb = false
        @Option(help: "Interface endpoints with an ENI in each subnet.") var endpoints: Int = 0

        func validate() throws {
            try OptionRange.check(tasks, 1...100_000, "--tasks")
            try OptionRange.check(azs, 1...6, "--azs")
            try OptionRange.check(maximumPercent, 100...200, "--maximum-percent")
            try OptionRange.check(endpoints, 0...100, "--endpoints")
        }

        func run() throws {
            let need = try reporting {
                try ECSSizing.addressesPerAZ(
                    desired: tasks, maximumPercent: maximumPercent, azs: azs, alb: alb, endpoints: endpoints)
            }
            let subnet = try reporting { try VPCRules.smallestSubnet(holding: need.value) }
            printComputation(
                Computation(value: subnet.value, formula: need.formula, steps: need.steps + subnet.steps),
                headline: "\(Plural.count(need.value, "address", "addresses")) per AZ: /\(subnet.value)")
        }
    }

    struct EgressCost: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "egress-cost",
            abstract: "Break-even monthly GB for interface endpoints against NAT gateway processing.",
            discussion:
                "Prices are inputs in dollars; the defaults are example us-east-1 list prices when this was written, not current prices."
        )
        @Option(help: "Interface endpoints (services).") var endpoints: Int
        @Option(help: "Availability Zones.") var azs: Int = 3
        @Option(help: "NAT gateway price per GB processed.") var natPerGB: Double = 0.045
        @Option(help: "Interface endpoint price per hour per AZ.") var endpointPerHour: Double = 0.01
        @Option(help: "Interface endpoint price per GB.") var endpointPerGB: Double = 0.01

        func validate() throws {
            try OptionRange.check(endpoints, 1...100, "--endpoints")
            try OptionRange.check(azs, 1...6, "--azs")
            for (value, name) in [
                (natPerGB, "--nat-per-gb"), (endpointPerHour, "--endpoint-per-hour"), (endpointPerGB, "--endpoint-per-gb"),
            ] {
                try OptionRange.check(value, 0...10, name)
            }
        }

        func run() throws {
            let mills = { (dollars: Double) in Int((dollars * 1000).rounded()) }
            let prices = EgressPrices(
                natHourMills: 0, natGBMills: mills(natPerGB), endpointHourMills: mills(endpointPerHour),
                endpointGBMills: mills(endpointPerGB))
            let result = try reporting { try EgressCostRules.breakEvenGB(endpoints: endpoints, azs: azs, prices: prices) }
            printComputation(result, headline: "break-even: \(result.value) GB a month")
        }
    }

    struct Subnet: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "subnet", abstract: "Usable addresses in a subnet.")
        @Argument(help: "A CIDR block, e.g. 10.0.0.0/22.") var cidr: String

        func run() throws {
            let result = try reporting { try VPCRules.usableAddresses(try CIDRBlock(cidr)) }
            printComputation(result, headline: "\(cidr): \(Plural.count(result.value, "usable address", "usable addresses"))")
        }
    }
}

func printComputation(_ result: Computation, headline: String) {
    print(headline)
    print("  rule: \(result.formula)")
    for step in result.steps { print("  - \(step)") }
}
