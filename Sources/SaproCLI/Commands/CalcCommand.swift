import ArgumentParser
import Foundation
import SaproCore

struct Calc: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calc",
        abstract: "Compute AWS networking limits with the worked steps.",
        subcommands: [MaxPods.self, ECSTasks.self, Subnet.self])

    struct MaxPods: SaproCommand {
        static let configuration = CommandConfiguration(
            commandName: "max-pods", abstract: "EKS max pods per node (Amazon VPC CNI).")
        @Argument(help: "EC2 instance type, e.g. m5.large.") var type: String
        @Flag(help: "Pods in other subnets via ENIConfig: the primary ENI carries no pods.")
        var customNetworking = false
        @Flag(help: "/28 prefixes per slot (Nitro only), with EKS's 110/250 cap.")
        var prefixDelegation = false
        @OptionGroup var content: ContentOptions

        func validate() throws {
            if customNetworking && prefixDelegation {
                throw ValidationError("choose one of --custom-networking and --prefix-delegation")
            }
        }

        func run(in context: RunContext) throws {
            let catalog = try content.load(in: context).catalog
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
