import Foundation

/// The app's table of EC2 instance types, read from `Content/facts/ec2-instance-types.csv`.
public struct InstanceCatalog: Sendable {
    /// Every type, sorted by name.
    public let types: [InstanceType]
    private let byName: [String: InstanceType]

    public init(types: [InstanceType]) {
        let sorted = types.sorted { $0.name < $1.name }
        self.types = sorted
        var index: [String: InstanceType] = [:]
        for type in sorted { index[type.name] = type }
        self.byName = index
    }

    /// The type called `name` (case-insensitive), or `nil`.
    public subscript(name: String) -> InstanceType? {
        byName[name.lowercased().trimmingWhitespace()]
    }

    /// Looks a type up, throwing an error that lists the closest known names.
    public func require(_ name: String) throws(FactsError) -> InstanceType {
        if let type = self[name] { return type }
        throw .unknownInstanceType(name, suggestions: suggestions(for: name))
    }

    /// Up to `limit` known names closest to `name` by edit distance.
    public func suggestions(for name: String, limit: Int = 3) -> [String] {
        Fuzzy.closest(to: name.lowercased(), among: types.map(\.name), limit: limit)
    }

    /// Types of one family (`m5`), smallest first by interfaces, then addresses, then vCPUs.
    public func family(_ family: String) -> [InstanceType] {
        types.filter { $0.family == family }
            .sorted { ($0.vcpus, $0.maxENIs, $0.ipv4PerENI, $0.name) < ($1.vcpus, $1.maxENIs, $1.ipv4PerENI, $1.name) }
    }

    /// Parses the catalog's CSV. `file` names the source in error messages.
    public static func parse(csv text: String, file: String) throws(FactsError) -> InstanceCatalog {
        var header: [String]?
        var position: [String: Int] = [:]
        var types: [InstanceType] = []
        var seen: Set<String> = []
        // Lines split on the newline byte (a `\r` before it is trimmed with the spaces): splitting
        // on Characters costs grapheme breaking on every byte.
        for (offset, rawLine) in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let line = Substring(rawLine).trimmingWhitespaceAndNewlines()
            let lineNumber = offset + 1
            if line.isEmpty || line.hasPrefix("#") { continue }
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingWhitespace() }
            guard let columns = header else {
                let required = ["type", "vcpus", "hypervisor", "max_enis", "ipv4_per_eni"]
                for name in required where !cells.contains(name) {
                    throw .badCatalog(file: file, line: lineNumber, message: "header lacks the column '\(name)'")
                }
                header = cells
                for (index, name) in cells.enumerated() { position[name] = index }
                continue
            }
            guard cells.count == columns.count else {
                throw .badCatalog(
                    file: file, line: lineNumber,
                    message: "row has \(cells.count) cells, the header has \(columns.count)")
            }
            func value(_ key: String) -> String? { position[key].map { cells[$0] } }
            func int(_ key: String, optional: Bool = false) throws(FactsError) -> Int? {
                let value = value(key) ?? ""
                if value.isEmpty {
                    if optional { return nil }
                    throw .badCatalog(file: file, line: lineNumber, message: "'\(key)' is empty")
                }
                guard let number = Int(value), number >= 0 else {
                    throw .badCatalog(file: file, line: lineNumber, message: "'\(key)' is not a whole number: '\(value)'")
                }
                return number
            }
            let name = value("type") ?? ""
            guard name.contains("."), !name.contains(" ") else {
                throw .badCatalog(file: file, line: lineNumber, message: "'\(name)' is not an instance type name")
            }
            guard let hypervisor = Hypervisor(rawValue: value("hypervisor") ?? "") else {
                throw .badCatalog(
                    file: file, line: lineNumber,
                    message: "hypervisor must be nitro, xen or none, not '\(value("hypervisor") ?? "")'")
            }
            guard seen.insert(name).inserted else {
                throw .badCatalog(file: file, line: lineNumber, message: "'\(name)' appears twice")
            }
            let maxENIs = try int("max_enis")!
            let ipv4 = try int("ipv4_per_eni")!
            guard maxENIs >= 1, ipv4 >= 1 else {
                throw .badCatalog(file: file, line: lineNumber, message: "max_enis and ipv4_per_eni must be at least 1")
            }
            types.append(
                InstanceType(
                    name: name, vcpus: try int("vcpus")!, hypervisor: hypervisor,
                    maxENIs: maxENIs, ipv4PerENI: ipv4,
                    allCardENIs: try int("all_card_enis", optional: true),
                    ecsTrunkTasks: try int("ecs_trunk_tasks", optional: true),
                    eksBranchENIs: try int("eks_branch_enis", optional: true)))
        }
        if header == nil { throw .badCatalog(file: file, line: 1, message: "no header row") }
        return InstanceCatalog(types: types)
    }
}

/// Errors from the facts layer: the instance catalog and the rules.
public enum FactsError: Error, Equatable, LocalizedError {
    /// A name not in the catalog, with the closest known names.
    case unknownInstanceType(String, suggestions: [String])
    /// The catalog file is malformed at `line`.
    case badCatalog(file: String, line: Int, message: String)
    /// A rule does not apply to this input (e.g. prefix delegation on a Xen type).
    case notApplicable(String)
    /// A CIDR that is not a valid VPC or subnet block.
    case badCIDR(String, reason: String)

    public var errorDescription: String? {
        switch self {
        case let .unknownInstanceType(name, suggestions):
            let hint = suggestions.isEmpty ? "" : "; did you mean \(suggestions.joined(separator: ", "))?"
            return "unknown instance type '\(name.clipped())'\(hint)"
        case let .badCatalog(file, line, message):
            return "\(file):\(line): \(message)"
        case let .notApplicable(message):
            return message
        case let .badCIDR(text, reason):
            return "'\(text)' is not a usable CIDR block: \(reason)"
        }
    }
}
