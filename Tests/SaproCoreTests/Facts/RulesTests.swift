import Foundation
import Testing
@testable import SaproCore

/// The EKS AMI's own max-pods file, an independent record of the secondary-IP rule.
private let referenceMaxPods: [String: Int] = {
    let text = try! Repo.text(Repo.fixture("reference/eni-max-pods.txt"))
    var result: [String: Int] = [:]
    for line in text.split(separator: "\n") where !line.hasPrefix("#") {
        let parts = line.split(separator: " ")
        if parts.count == 2, let n = Int(parts[1]) { result[String(parts[0])] = n }
    }
    return result
}()

@Test func maxPodsAgreesWithTheEKSReferenceForEveryTypeInBoth() throws {
    var compared = 0
    for type in Repo.catalog.types {
        guard let expected = referenceMaxPods[type.name] else { continue }
        #expect(try EKSRules.maxPods(type).value == expected, "\(type.name)")
        #expect(try EKSRules.maxPods(type, node: .selfManaged).value == expected, "\(type.name)")
        // A managed node group caps it: 110 below 30 vCPUs, 250 for all others (EKS user guide).
        #expect(try EKSRules.maxPods(type, node: .managed).value == min(expected, type.vcpus < 30 ? 110 : 250), "\(type.name)")
        compared += 1
    }
    #expect(compared > 1000, "the catalog should share most types with the reference file")
}

/// The audit's examples (R2): m5.4xlarge is 234 on a self-managed node and 110 in a managed node
/// group; m5.16xlarge 737 and 250.
@Test(arguments: [("m5.4xlarge", 234, 110), ("m5.16xlarge", 737, 250), ("m5.large", 29, 29), ("m5.24xlarge", 737, 250)])
func aManagedNodeGroupCapsWhatASelfManagedNodeGets(type: String, selfManaged: Int, managed: Int) throws {
    let instance = try Repo.catalog.require(type)
    #expect(try EKSRules.maxPods(instance, node: .selfManaged).value == selfManaged)
    #expect(try EKSRules.maxPods(instance, node: .managed).value == managed)
}

@Test(arguments: [
    ("m5.large", PodNetworking.secondaryIP, 29), ("m5.xlarge", .secondaryIP, 58), ("t3.micro", .secondaryIP, 4),
    ("m5.large", .customNetworking, 20), ("m5.large", .prefixDelegation, 110),
    ("m5.8xlarge", .prefixDelegation, 250), ("t3.micro", .prefixDelegation, 34),
])
func maxPodsMatchesTheWorkedExamplesOfFACTS(type: String, networking: PodNetworking, expected: Int) throws {
    #expect(try EKSRules.maxPods(try Repo.catalog.require(type), networking: networking).value == expected)
}

@Test func maxPodsExplainsItselfInRealNumbers() throws {
    let result = try EKSRules.maxPods(try Repo.catalog.require("m5.large"))
    #expect(result.steps.last == "Add 2 host-network pods (aws-node, kube-proxy): 3 ENIs × (10 − 1) + 2 = 29.")
}

@Test func prefixDelegationIsRefusedOnXen() throws {
    #expect(throws: FactsError.self) { try EKSRules.maxPods(try Repo.catalog.require("m4.large"), networking: .prefixDelegation) }
}

/// Audit R3: bare metal is built on Nitro, and the VPC CNI delegates prefixes there too
/// (`IsPrefixDelegationSupported`: nitro or bare metal). m5.metal has 96 vCPUs, so EKS's
/// recommended value is the 250 cap (max-pods-calculator.sh ends at 250 as well).
@Test func prefixDelegationWorksOnBareMetal() throws {
    let metal = try Repo.catalog.require("m5.metal")
    #expect(try EKSRules.maxPods(metal, networking: .prefixDelegation).value == 250)
    #expect(try EKSRules.maxPods(metal, networking: .prefixDelegation, node: .managed).value == 250)
}

/// Audit R8: the ECS developer guide's "task limit without ENI trunking" counts every network card:
/// p4d.24xlarge 59, dl1.24xlarge 59, trn1.32xlarge 39, hpc6id.32xlarge 1.
@Test(arguments: [("p4d.24xlarge", 59), ("dl1.24xlarge", 59), ("trn1.32xlarge", 39), ("hpc6id.32xlarge", 1)])
func awsvpcTasksOnMultiCardTypesCountEveryCard(type: String, expected: Int) throws {
    #expect(try ECSRules.awsvpcTasks(try Repo.catalog.require(type)).value == expected)
}

@Test(arguments: [("t3.micro", 1), ("t3.small", 2), ("t3.medium", 2), ("t3.large", 2), ("m5.large", 2), ("m5.xlarge", 3)])
func awsvpcTasksLeaveThePrimaryENIToTheInstance(type: String, expected: Int) throws {
    #expect(try ECSRules.awsvpcTasks(try Repo.catalog.require(type)).value == expected)
}

@Test(arguments: [("m5.large", 10), ("m5.xlarge", 20), ("m5.2xlarge", 40), ("m5.4xlarge", 60), ("c5.large", 10)])
func trunkingUsesThePerTypeLimit(type: String, expected: Int) throws {
    #expect(try ECSRules.awsvpcTasks(try Repo.catalog.require(type), trunking: true).value == expected)
}

@Test func trunkingIsRefusedOnTheTFamily() {
    #expect(throws: FactsError.self) { try ECSRules.awsvpcTasks(try Repo.catalog.require("t3.large"), trunking: true) }
}

@Test(arguments: [("10.0.0.0/24", 251), ("10.0.0.0/22", 1019), ("10.0.0.0/28", 11), ("10.0.0.0/16", 65531)])
func usableAddressesLeaveFiveReserved(cidr: String, expected: Int) throws {
    #expect(try VPCRules.usableAddresses(try CIDRBlock(cidr)).value == expected)
}

@Test(arguments: ["10.0.0.0/29", "10.0.0.0/8", "10.0.0.1/24", "10.0.0/24", "300.0.0.0/24", "10.0.0.0"])
func badOrOutOfRangeCIDRsAreRefused(cidr: String) {
    #expect(throws: FactsError.self) { try VPCRules.usableAddresses(try CIDRBlock(cidr)) }
}

@Test func anUnknownTypeSuggestsTheClosestNames() {
    do {
        _ = try Repo.catalog.require("m5.larg")
        Issue.record("expected an error")
    } catch {
        #expect(error.errorDescription?.contains("did you mean m5.large") == true)
    }
}

@Test func theCatalogCarriesEveryColumnOfTheSharedFacts() throws {
    let m5 = try Repo.catalog.require("m5.large")
    #expect(
        m5
            == InstanceType(
                name: "m5.large", vcpus: 2, hypervisor: .nitro, maxENIs: 3, ipv4PerENI: 10,
                allCardENIs: 3, ecsTrunkTasks: 10, eksBranchENIs: 9))
    #expect(Repo.catalog.types.count > 1200)
}

@Test(arguments: [
    ("type,vcpus,hypervisor,max_enis,ipv4_per_eni\nm5.large,2,nitro,3\n", 2, "row has 4 cells, the header has 5"),
    ("type,vcpus,hypervisor,max_enis,ipv4_per_eni\nm5.large,2,kvm,3,10\n", 2, "hypervisor must be nitro, xen or none, not 'kvm'"),
    ("type,vcpus,hypervisor,max_enis,ipv4_per_eni\nm5.large,2,nitro,three,10\n", 2, "'max_enis' is not a whole number: 'three'"),
    ("type,vcpus,hypervisor,max_enis\n", 1, "header lacks the column 'ipv4_per_eni'"),
    ("# only a comment\n", 1, "no header row"),
])
func aBrokenCatalogNamesItsLine(csv: String, line: Int, message: String) {
    #expect(throws: FactsError.badCatalog(file: "x.csv", line: line, message: message)) {
        try InstanceCatalog.parse(csv: csv, file: "x.csv")
    }
}
