import Foundation
import Testing
@testable import SaproCore

/// The generators added after the content audit (section 4 of AUDIT.md), each re-computed over
/// many seeds by a small implementation of its rule written here from the source, reading the
/// instance facts from the CSV rows directly (`Reference.rows`), never through the app's rules.
@Suite struct AuditGeneratorsTests {
    static let newGenerators = [
        "cni-warm-pool", "mng-max-pods", "custom-networking-prefixes", "sgp-capacity", "awsvpc-subnet-sizing",
        "trunking-eligibility", "tgw-appliance-path", "egress-cost",
    ]

    func enis(_ type: String) -> Int { Reference.int(type, "max_enis")! }
    func ips(_ type: String) -> Int { Reference.int(type, "ipv4_per_eni")! }
    func vcpus(_ type: String) -> Int { Reference.int(type, "vcpus")! }
    /// EKS user guide: 110 for fewer than 30 vCPUs, 250 for all others.
    func cap(_ type: String) -> Int { vcpus(type) < 30 ? 110 : 250 }
    func usable(_ cidr: String) -> Int { (1 << (32 - Int(cidr.split(separator: "/")[1])!)) - 5 }

    /// docs/eni-and-ip-target.md and docs/prefix-and-ip-target.md, as the test reads them.
    func warmPoolAddresses(_ q: Question) -> Int {
        let type = q.string("instanceType")!, pods = q.int("pods")!
        let e = enis(type), s = ips(type) - 1
        func ceil(_ a: Int, _ b: Int) -> Int { (a + b - 1) / b }
        // ipamd grows the pool one ENI or prefix at a time while it is short of its target and
        // holds fewer addresses than the node's max pods (ipamd.go, per vpc-cni-warm-pool.md).
        let maxPods = q.int("maxPods")!
        switch q.string("setting")! {
        case "warm-eni":
            let w = q.int("warmENITarget")!
            var attached = 1
            while attached < e, attached * s < maxPods, (w == 0 ? attached * s - pods <= 0 : attached * s - pods < w * s) {
                attached += 1
            }
            return attached * (s + 1)
        case "warm-ip":
            let wanted = min(e * s, max(q.int("minimumIPTarget")!, pods + q.int("warmIPTarget")!))
            let secondaries = max(pods, min(wanted, maxPods))
            return secondaries + max(1, ceil(secondaries, s))
        case "warm-prefix":
            var prefixes = 1
            while prefixes < e * s, prefixes * 16 < maxPods, prefixes * 16 - pods < 16 * q.int("warmPrefixTarget")! {
                prefixes += 1
            }
            while prefixes * 16 < pods { prefixes += 1 }
            return prefixes * 16 + max(1, ceil(prefixes, s))
        default:
            let wanted = max(q.int("minimumIPTarget")!, pods + q.int("warmIPTarget")!)
            var prefixes = 1
            while prefixes < e * s, prefixes * 16 < maxPods, prefixes * 16 < wanted { prefixes += 1 }
            return prefixes * 16 + max(1, ceil(prefixes, s))
        }
    }

    @Test func warmPoolAnswersFollowTheVPCCNIDocuments() {
        var settings: Set<String> = []
        for q in Reference.questions("cni-warm-pool", count: 500) {
            settings.insert(q.string("setting")!)
            let perNode = warmPoolAddresses(q)
            if q.string("variant") == "per-node" {
                #expect(q.numericAnswer == perNode, "\(q.id)")
            } else {
                #expect(q.numericAnswer == usable(q.string("cidr")!) / perNode, "\(q.id)")
            }
        }
        #expect(settings == ["warm-eni", "warm-ip", "warm-prefix", "prefix-warm-ip"])
    }

    /// Managed node groups: eni-max-pods.txt's value (the AMI's own table) capped at 110/250,
    /// the smallest of the group's types applied to every node.
    @Test func managedNodeGroupAnswersAreTheCappedMinimumOfEniMaxPods() {
        var mixed = 0
        for q in Reference.questions("mng-max-pods", count: 400) {
            let types = q.string("instanceTypes")!.split(separator: ",").map(String.init)
            let values = types.map { type -> Int in
                if q.bool("prefixDelegation")! {
                    return min(enis(type) * (ips(type) - 1) * 16 + 2, cap(type))
                }
                guard let ami = Reference.amiMaxPods[type] else {
                    return min(enis(type) * (ips(type) - 1) + 2, cap(type))
                }
                return min(ami, cap(type))
            }
            if types.count > 1 { mixed += 1 }
            #expect(q.numericAnswer == values.min(), "\(q.id)")
            #expect(q.prompt.contains("managed node group"))
        }
        #expect(mixed > 100)
    }

    /// Audit R10: the guide ("fewer than 30 vCPUs") and the calculator (`-gt 30`) differ only at
    /// exactly 30 vCPUs, which no type in the catalog has.
    @Test func noInstanceTypeHasExactlyThirtyVCPUs() {
        #expect(!Reference.rows.values.contains { $0["vcpus"] == "30" })
    }

    /// The audit's worked examples: MNG of m5.4xlarge 110 (self-managed 234); [m5.large, m5.2xlarge] 29.
    @Test func managedNodeGroupRuleMatchesTheAuditExamples() throws {
        let c = Reference.catalog
        #expect(try EKSRules.managedNodeGroupMaxPods([c.require("m5.4xlarge")], prefixDelegation: false).value == 110)
        #expect(Reference.amiMaxPods["m5.4xlarge"] == 234)
        #expect(
            try EKSRules.managedNodeGroupMaxPods([c.require("m5.large"), c.require("m5.2xlarge")], prefixDelegation: false).value
                == 29)
        #expect(try EKSRules.managedNodeGroupMaxPods([c.require("m5.24xlarge")], prefixDelegation: true).value == 250)
    }

    /// max-pods-calculator.sh: with custom networking, ENIs − 1, then the prefix formula, then the cap.
    @Test func customNetworkingWithPrefixesFollowsTheCalculator() throws {
        for q in Reference.questions("custom-networking-prefixes", count: 400) {
            let type = q.string("instanceType")!
            let maxPods = min((enis(type) - 1) * (ips(type) - 1) * 16 + 2, cap(type))
            if q.string("variant") == "nodes" {
                let perNode = maxPods - 2
                #expect(q.numericAnswer == (q.int("pods")! + perNode - 1) / perNode, "\(q.id)")
            } else {
                #expect(q.numericAnswer == maxPods, "\(q.id)")
            }
        }
        // The audit's examples: m5.large 2 × 144 + 2 = 290 → 110; m5.24xlarge → 250.
        #expect(try EKSRules.maxPodsCustomNetworkingWithPrefixes(Reference.catalog.require("m5.large")).value == 110)
        #expect(try EKSRules.maxPodsCustomNetworkingWithPrefixes(Reference.catalog.require("m5.24xlarge")).value == 250)
    }

    /// Security groups for pods: one branch ENI per pod (limits.go, the CSV's eks_branch_enis).
    @Test func securityGroupsForPodsNodesComeFromBranchENIs() throws {
        for q in Reference.questions("sgp-capacity", count: 300) {
            let type = q.string("instanceType")!
            let branch = Reference.int(type, "eks_branch_enis")!
            #expect(q.numericAnswer == (q.int("pods")! + branch - 1) / branch, "\(q.id)")
            #expect(!type.hasPrefix("t"))
        }
        // The audit's example: 200 pods on m5.xlarge (18 branch ENIs) → 12 nodes.
        #expect(try EKSRules.securityGroupPods(Reference.catalog.require("m5.xlarge"), pods: 200).value == 12)
        #expect(throws: FactsError.self) { try EKSRules.securityGroupPods(Reference.catalog.require("t3.large"), pods: 10) }
    }

    /// ECS deployment peak (maximumPercent), one address per task, ALB 8 free per subnet, one ENI
    /// per endpoint per AZ, 5 reserved per subnet.
    @Test func awsvpcSubnetSizingIsTheSmallestSubnetThatHoldsThePeak() {
        for q in Reference.questions("awsvpc-subnet-sizing", count: 400) {
            let peak = (q.int("desired")! * q.int("maximumPercent")! + 99) / 100
            let azs = q.int("azs")!
            let need = (peak + azs - 1) / azs + (q.bool("alb")! ? 8 : 0) + q.int("endpoints")!
            var prefix = 28
            while (1 << (32 - prefix)) - 5 < need { prefix -= 1 }
            #expect(q.correctText?.hasPrefix("/\(prefix) ") == true, "\(q.id): \(q.correctText ?? "numeric")")
        }
    }

    @Test func awsvpcSubnetSizingMatchesTheAuditExample() throws {
        let need = try ECSSizing.addressesPerAZ(desired: 300, maximumPercent: 200, azs: 3, alb: true, endpoints: 5)
        #expect(need.value == 213)
        #expect(try VPCRules.smallestSubnet(holding: 213).value == 24)
    }

    /// The ECS guide's trunking conditions: the keyed fix names the one broken condition; a
    /// t family type has no trunking, every other drawn type has a documented limit.
    @Test func trunkingEligibilityKeysTheBrokenCondition() {
        let fixes = [
            "windows": "Linux", "launched-before-opt-in": "Replace the container instances",
            "shared-subnet": "subnets the account owns", "principal-setting": "container instance IAM role",
            "resource-name-dns": "resource-based IPv4 DNS names", "instance-type": "supported instance type",
        ]
        var seen: Set<String> = []
        for q in Reference.questions("trunking-eligibility", count: 300) {
            let variant = q.string("variant")!
            seen.insert(variant)
            let type = q.string("instanceType")!
            #expect(q.correctText?.contains(fixes[variant]!) == true, "\(q.id)")
            let family = type.split(separator: ".")[0]
            let burstable = family.first == "t" && family.dropFirst().first?.isNumber == true
            #expect(burstable == (variant == "instance-type"), "\(q.id)")
            if !burstable { #expect(Reference.int(type, "ecs_trunk_tasks") != nil) }
            // The stem's task count is the limit without trunking: all cards' ENIs − 1.
            #expect(q.prompt.contains("at most \(Reference.int(type, "all_card_enis")! - 1) task"), "\(q.id)")
        }
        #expect(seen == Set(fixes.keys))
    }

    /// Transit Gateway appliance mode: without it each direction stays in the AZ it entered from.
    @Test func applianceModePathIsAsymmetricOnlyAcrossAZsWithoutApplianceMode() {
        var kinds: Set<String> = []
        for q in Reference.questions("tgw-appliance-path", count: 300) {
            let asymmetric = !q.bool("applianceMode")! && !q.bool("sameAZ")!
            kinds.insert(q.string("variant")!)
            #expect(q.correctText?.contains(asymmetric ? "drops the reply" : "succeeds") == true, "\(q.id)")
        }
        #expect(kinds == ["appliance-mode", "same-az", "cross-az"])
    }

    /// Break-even = endpoint-hours × price ÷ per-GB saving; at a given volume the cheaper design wins.
    @Test func egressCostAnswersFollowThePricesInTheQuestion() {
        for q in Reference.questions("egress-cost", count: 300) {
            let fixed = q.int("endpoints")! * q.int("azs")! * 730 * q.int("endpointHourMills")!
            let saving = q.int("natGBMills")! - q.int("endpointGBMills")!
            // The prompt states every price it uses.
            for key in ["natGBMills", "endpointHourMills", "endpointGBMills"] {
                let mills = q.int(key)!
                let text =
                    mills % 10 == 0
                    ? String(format: "$%.2f", Double(mills) / 1000) : String(format: "$%.3f", Double(mills) / 1000)
                #expect(q.prompt.contains(text), "\(q.id): \(text)")
            }
            #expect(q.prompt.contains("example list prices"))
            if q.string("variant") == "break-even" {
                #expect(q.numericAnswer == (fixed + saving - 1) / saving, "\(q.id)")
            } else {
                let gb = q.int("gb")!
                let endpointsCheaper = fixed + gb * q.int("endpointGBMills")! < gb * q.int("natGBMills")!
                #expect(
                    q.correctText?.hasPrefix(endpointsCheaper ? "Add the interface endpoints" : "Keep the traffic") == true,
                    "\(q.id)")
            }
        }
        // The audit's example: 2 endpoints × 3 AZs at $0.01/h = $43.80 a month; ÷ $0.035 ≈ 1,251 GB.
        let example = try? EgressCostRules.breakEvenGB(endpoints: 2, azs: 3, prices: .example)
        #expect(example?.value == 1_252)
        #expect(example?.steps.first?.contains("$43.80") == true)
    }

    /// "No two questions of a 200-question draw alike", and each names its source.
    @Test(arguments: newGenerators)
    func twoHundredDrawsAreAllDifferentAndNameTheirSource(generator: String) {
        let questions = Reference.questions(generator, count: 200)
        let distinct = Set(questions.map { $0.prompt + "|" + $0.body.optionLines.joined(separator: "|") })
        #expect(distinct.count == questions.count, "\(generator): \(questions.count - distinct.count) repeats")
        for q in questions {
            #expect(q.explanation.contains { $0.hasPrefix("Source: ") || $0.hasPrefix("Sources: ") }, "\(q.id)")
            if case let .singleChoice(choices, correct) = q.body {
                for (index, choice) in choices.enumerated() where index != correct {
                    #expect(choice.misconception != nil, "\(q.id): option '\(choice.text)' names no misconception")
                }
            }
        }
    }
}
