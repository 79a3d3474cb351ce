import Foundation
import Testing
@testable import SaproCore

/// `WarmPoolRules` against the worked examples of the VPC CNI's own documents, copied row by row
/// into Fixtures/reference/vpc-cni-warm-pool.tsv (with the upstream commit in its header).
@Suite struct WarmPoolRulesTests {
    struct Row: CustomTestStringConvertible, Sendable {
        var cells: [String: String]
        var line: Int
        var testDescription: String { "line \(line): \(cells["instance_type"] ?? "?"), \(cells["pods"] ?? "?") pods" }

        func int(_ key: String) -> Int? { cells[key].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } }
    }

    static let rows: [Row] = {
        var header: [String] = []
        var rows: [Row] = []
        for (index, line) in Reference.fixture("vpc-cni-warm-pool", "tsv").split(
            separator: "\n", omittingEmptySubsequences: false
        )
        .enumerated()
        where !line.hasPrefix("#") && !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let cells = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            if header.isEmpty {
                header = cells
                continue
            }
            rows.append(Row(cells: Dictionary(uniqueKeysWithValues: zip(header, cells)), line: index + 1))
        }
        return rows
    }()

    func type(_ row: Row) -> InstanceType {
        InstanceType(
            name: row.cells["instance_type"]!, vcpus: 2, hypervisor: .nitro, maxENIs: row.int("max_enis")!,
            ipv4PerENI: row.int("ipv4_per_eni")!)
    }

    func setting(_ row: Row) -> WarmPoolSetting {
        let ipTarget = row.int("warm_ip_target"), minimum = row.int("minimum_ip_target")
        if row.cells["mode"] == "prefix-delegation" {
            if let prefix = row.int("warm_prefix_target"), ipTarget == nil, minimum == nil { return .warmPrefix(prefix) }
            if ipTarget != nil || minimum != nil { return .prefixWarmIP(target: ipTarget ?? 0, minimum: minimum ?? 0) }
            return .warmPrefix(1)
        }
        if ipTarget != nil || minimum != nil { return .warmIP(target: ipTarget ?? 0, minimum: minimum ?? 0) }
        return .warmENI(row.int("warm_eni_target") ?? 1)
    }

    @Test func theFixtureHoldsTheDocumentsExamples() {
        #expect(Self.rows.count >= 4)
        #expect(Set(Self.rows.compactMap { $0.cells["mode"] }) == ["secondary-ip", "prefix-delegation"])
    }

    /// The prefix table's "Prefixes per ENI" column, e.g. `3,2` (kept in the row's note).
    func prefixesPerENI(_ row: Row) -> [Int]? {
        guard let note = row.cells["note"], let range = note.range(of: "prefixes_per_eni=") else { return nil }
        let list = note[range.upperBound...].prefix { $0 != ";" }
        return list.split(separator: ",").compactMap { Int($0) }
    }

    @Test(arguments: rows)
    func eachDocumentedExampleHoldsWhatTheTableSays(row: Row) throws {
        let result = try WarmPoolRules.hold(type(row), pods: row.int("pods")!, setting: setting(row))
        if let ips = row.int("expected_secondary_ips") { #expect(result.hold.secondaryIPs == ips, "secondary IPs") }
        if let perENI = prefixesPerENI(row) {
            // Four rows of prefix-and-ip-target.md contradict themselves (L32: "Attached Prefixes 1" but
            // prefixes per ENI "2"; L38, L39, L44: ENI counts copied from the secondary-IP table, listing
            // ENIs that hold no prefix, which ipamd never attaches). The per-ENI column is what the
            // rest of each row agrees with (see vpc-cni-warm-pool.md), so it is the one checked.
            #expect(result.hold.prefixes == perENI.reduce(0, +), "prefixes")
            #expect(result.hold.enis == perENI.filter { $0 > 0 }.count, "ENIs")
            let consistent =
                !(row.cells["note"] ?? "").contains("inconsistent") && !(row.cells["note"] ?? "").contains("0 prefixes")
            if consistent {
                #expect(result.hold.prefixes == row.int("expected_prefixes"), "prefixes")
                #expect(result.hold.enis == row.int("expected_enis"), "ENIs")
            }
        } else if let enis = row.int("expected_enis") {
            #expect(result.hold.enis == enis, "ENIs")
        }
    }

    /// 16 secondary-IP rows and 20 prefix rows, 4 of them doc-inconsistent: the rule holds on all the rest.
    @Test func theRuleMatchesEveryConsistentRow() throws {
        #expect(Self.rows.filter { $0.cells["mode"] == "secondary-ip" }.count == 16)
        #expect(Self.rows.filter { $0.cells["mode"] == "prefix-delegation" }.count == 20)
        #expect(
            Self.rows.filter {
                ($0.cells["note"] ?? "").contains("inconsistent") || ($0.cells["note"] ?? "").contains("0 prefixes")
            }.count == 4)
    }

    /// The audit's G1 example: 40 × m5.large with 8 pods each.
    @Test func theAuditExampleForFortyNodes() throws {
        let m5 = try Reference.catalog.require("m5.large")
        let defaults = try WarmPoolRules.hold(m5, pods: 8, setting: .warmENI(1))
        #expect(defaults.hold.addresses == 20)
        #expect(defaults.hold.addresses * 40 == 800)
        let targets = try WarmPoolRules.hold(m5, pods: 8, setting: .warmIP(target: 2, minimum: 10))
        #expect(targets.hold.addresses == 12)
        #expect(1_019 / defaults.hold.addresses == 50 && 1_019 / targets.hold.addresses == 84)
    }

    @Test func impossibleSettingsAreRefusedWithTheReason() throws {
        let m5 = try Reference.catalog.require("m5.large")
        #expect(throws: FactsError.self) { try WarmPoolRules.hold(m5, pods: 28, setting: .warmENI(1)) }
        #expect(throws: FactsError.self) { try WarmPoolRules.hold(m5, pods: 10, setting: .warmPrefix(0)) }
        #expect(throws: FactsError.self) { try WarmPoolRules.hold(m5, pods: 10, setting: .prefixWarmIP(target: 0, minimum: 0)) }
        let xen = InstanceType(name: "m4.large", vcpus: 2, hypervisor: .xen, maxENIs: 2, ipv4PerENI: 10)
        #expect(throws: FactsError.self) { try WarmPoolRules.hold(xen, pods: 10, setting: .warmPrefix(1)) }
    }
}
