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

    /// Addresses one node takes, by filling ENIs one at a time.
    static func perNode(pods: Int, slotsPerENI: Int, addressesPerSlot: Int = 1) -> Int {
        var left = pods, taken = 0
        repeat {
            taken += 1  // the ENI's primary address
            for _ in 0..<slotsPerENI where left > 0 {
                taken += addressesPerSlot
                left -= min(left, addressesPerSlot)
            }
        } while left > 0
        return taken
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
            let per = Self.perNode(pods: question.int("podsPerNode")!, slotsPerENI: ips - 1)
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
            let per = Self.perNode(pods: question.int("podsPerNode")!, slotsPerENI: ips - 1)
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
            let expected = Self.perNode(pods: question.int("podsPerNode")!, slotsPerENI: ips - 1, addressesPerSlot: 16)
            #expect(question.value == expected)
            #expect(question.value! % 16 != 0)  // at least one ENI primary on top of whole /28s
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
            let perNode = Self.perNode(pods: question.int("podsPerNode")!, slotsPerENI: ips - 1)
            let byPods = Self.nodesThatFit(usable: Self.usable(podSubnet), perNode: perNode)
            let byNodes = Self.usable(question.string("nodeSubnet")!)
            #expect(question.value == min(byPods, byNodes))
            checked += 1
        }
        #expect(checked > 100)
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
