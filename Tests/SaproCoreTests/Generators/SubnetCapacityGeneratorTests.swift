import Testing
@testable import SaproCore

@Suite struct SubnetCapacityGeneratorTests {
    static let questions = Reference.questions("subnet-capacity", count: 1500)

    /// Usable addresses by doubling (32 − prefix) times, then taking off AWS's five.
    static func usable(_ cidr: String) -> Int {
        let prefix = Int(cidr.split(separator: "/")[1])!
        var size = 1
        for _ in 0..<(32 - prefix) { size *= 2 }
        return size - 5
    }

    /// Addresses one node takes with the VPC CNI's default warm pool, by attaching ENIs one at a
    /// time (docs/eni-and-ip-target.md): WARM_ENI_TARGET=1 attaches another whole ENI until a full
    /// ENI's worth of addresses is free, or the type runs out of ENIs.
    static func perNode(pods: Int, slotsPerENI: Int, maxENIs: Int) -> Int {
        var attached = 1
        while attached < maxENIs && attached * slotsPerENI - pods < slotsPerENI { attached += 1 }
        return attached * (slotsPerENI + 1)
    }

    /// With prefix delegation and WARM_PREFIX_TARGET=1 (docs/prefix-and-ip-target.md): prefixes
    /// are added until one whole /28 is free, ENIs attached as their slots fill.
    /// ipamd stops adding prefixes once the node holds max pods addresses (`maxPods`).
    static func perNodeWithPrefixes(pods: Int, slotsPerENI: Int, maxENIs: Int, maxPods: Int = .max) -> Int {
        var prefixes = 0
        while prefixes * 16 < pods || ((prefixes * 16 - pods) < 16 && prefixes * 16 < maxPods), prefixes < maxENIs * slotsPerENI {
            prefixes += 1
        }
        var attached = 1
        while attached * slotsPerENI < prefixes { attached += 1 }
        return prefixes * 16 + attached
    }

    /// Nodes that fit by taking addresses node by node.
    static func nodesThatFit(usable: Int, perNode: Int) -> Int {
        var remaining = usable, nodes = 0
        while remaining >= perNode {
            remaining -= perNode
            nodes += 1
        }
        return nodes
    }

    @Test(arguments: [("10.0.0.0/24", 251), ("10.0.4.0/22", 1019), ("10.0.0.16/28", 11), ("10.0.0.0/16", 65531)])
    func factsUsableAddresses(cidr: String, usable: Int) throws {
        #expect(try VPCRules.usableAddresses(CIDRBlock(cidr)).value == usable)
        #expect(Self.usable(cidr) == usable)
    }

    @Test func usableVariantMatchesIndependentArithmetic() throws {
        var checked = 0
        for question in Self.questions where question.string("variant") == "usable" {
            let cidr = question.string("cidr")!
            #expect(question.value == Self.usable(cidr), "\(cidr)")
            #expect(question.numericAnswer == question.value)
            // The block is valid: host bits clear, /16 to /28.
            let block = try CIDRBlock(cidr)
            #expect((16...28).contains(block.prefixLength))
            checked += 1
        }
        #expect(checked > 100)
    }

    @Test func nodesVariantMatchesSimulation() throws {
        var checked = 0
        for question in Self.questions where question.string("variant") == "nodes" {
            let ips = Reference.int(question.string("instanceType")!, "ipv4_per_eni")!
            let enis = Reference.int(question.string("instanceType")!, "max_enis")!
            let per = Self.perNode(pods: question.int("podsPerNode")!, slotsPerENI: ips - 1, maxENIs: enis)
            let expected = Self.nodesThatFit(usable: Self.usable(question.string("cidr")!), perNode: per)
            #expect(question.value == expected)
            #expect(question.numericAnswer == expected)
            checked += 1
        }
        #expect(checked > 100)
    }

    @Test func fitsVariantMatchesSimulation() {
        var answers: Set<Bool> = []
        for question in Self.questions where question.string("variant") == "fits" {
            let ips = Reference.int(question.string("instanceType")!, "ipv4_per_eni")!
            let enis = Reference.int(question.string("instanceType")!, "max_enis")!
            let per = Self.perNode(pods: question.int("podsPerNode")!, slotsPerENI: ips - 1, maxENIs: enis)
            let capacity = Self.nodesThatFit(usable: Self.usable(question.string("cidr")!), perNode: per)
            let fits = question.int("nodes")! <= capacity
            #expect(question.correctText?.hasPrefix(fits ? "Yes" : "No") == true)
            answers.insert(fits)
        }
        #expect(answers == [true, false])
    }

    @Test func prefixDelegationTakesWholePrefixes() {
        var checked = 0
        for question in Self.questions where question.string("variant") == "prefix-delegation" {
            let ips = Reference.int(question.string("instanceType")!, "ipv4_per_eni")!
            let enis = Reference.int(question.string("instanceType")!, "max_enis")!
            // Prefix delegation's max pods: 110 below 30 vCPUs, else 250 (EKS user guide).
            let maxPods = Reference.int(question.string("instanceType")!, "vcpus")! < 30 ? 110 : 250
            let expected = Self.perNodeWithPrefixes(
                pods: question.int("podsPerNode")!, slotsPerENI: ips - 1, maxENIs: enis, maxPods: maxPods)
            #expect(question.value == expected)
            #expect(question.value! % 16 != 0)  // at least one ENI primary on top of whole /28s
            #expect(question.value! >= 16 * 2 + 1 || question.int("podsPerNode")! <= 16)  // one /28 in use and one warm
            checked += 1
        }
        #expect(checked > 100)
    }

    @Test func secondaryCIDRVariantMatchesSimulation() {
        var checked = 0
        for question in Self.questions where question.string("variant") == "secondary-cidr" {
            let ips = Reference.int(question.string("instanceType")!, "ipv4_per_eni")!
            let podSubnet = question.string("podSubnet")!
            #expect(podSubnet.hasPrefix("100.64."))
            // The primary ENI stays in the node subnet: the pods' ENIs are the others.
            let enis = Reference.int(question.string("instanceType")!, "max_enis")!
            let perNode = Self.perNode(pods: question.int("podsPerNode")!, slotsPerENI: ips - 1, maxENIs: enis - 1)
            let byPods = Self.nodesThatFit(usable: Self.usable(podSubnet), perNode: perNode)
            let byNodes = Self.usable(question.string("nodeSubnet")!)
            #expect(question.value == min(byPods, byNodes))
            checked += 1
        }
        #expect(checked > 100)
    }

    /// Audit R6: the worked examples of the VPC CNI documents and of the audit.
    @Test func defaultWarmPoolMatchesTheDocumentedExamples() {
        // eni-and-ip-target.md: t3.small (3 ENIs × 4 addresses), 5 pods → 3 ENIs, 9 secondaries.
        #expect(Self.perNode(pods: 5, slotsPerENI: 3, maxENIs: 3) == 12)
        // prefix-and-ip-target.md: t3.small with 58 pods → 5 prefixes on 2 ENIs.
        #expect(Self.perNodeWithPrefixes(pods: 58, slotsPerENI: 3, maxENIs: 3) == 5 * 16 + 2)
        // AUDIT R6: c5a.24xlarge, 24 pods, prefix delegation → 3 × 16 + 1 = 49.
        #expect(Self.perNodeWithPrefixes(pods: 24, slotsPerENI: 49, maxENIs: 15) == 49)
        // AUDIT D5: m5.xlarge with 50 pods holds 4 ENIs × 15 = 60 addresses.
        #expect(Self.perNode(pods: 50, slotsPerENI: 14, maxENIs: 4) == 60)
        for question in Self.questions where question.string("variant") != "usable" {
            #expect(
                question.prompt.contains("WARM_ENI_TARGET=1") || question.prompt.contains("WARM_PREFIX_TARGET=1"),
                "\(question.id)")
            #expect(!question.prompt.contains("no spare"), "\(question.id)")
        }
    }

    @Test func forgettingReservedAddressesIsNamed() {
        var found = 0
        for question in Self.questions where question.string("variant") == "usable" {
            guard case let .singleChoice(choices, _) = question.body,
                let index = choices.firstIndex(where: { $0.misconception?.id == "forgot-five-reserved" })
            else { continue }
            #expect(Int(choices[index].text.split(separator: " ")[0]) == question.value! + 5)
            found += 1
        }
        #expect(found > 20)
    }
}
