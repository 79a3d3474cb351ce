import Foundation
import Testing
@testable import SaproCore

/// Shared inputs for generator tests: the app's catalog, the same CSV read independently, and
/// the reference files in Fixtures.
enum Reference {
    /// Repository root: Tests/SaproCoreTests/Generators/<this file> is three folders down.
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let csvText: String = {
        let url = repositoryRoot.appendingPathComponent("Content/facts/ec2-instance-types.csv")
        return (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }()

    static let catalog: InstanceCatalog = {
        (try? InstanceCatalog.parse(csv: csvText, file: "ec2-instance-types.csv")) ?? InstanceCatalog(types: [])
    }()

    /// The catalog CSV as raw rows keyed by type, columns by header name: a second reading
    /// that shares no code with `InstanceCatalog.parse`.
    static let rows: [String: [String: String]] = {
        var header: [Substring] = []
        var result: [String: [String: String]] = [:]
        for line in csvText.split(separator: "\n") where !line.hasPrefix("#") {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            if header.isEmpty { header = cells; continue }
            var row: [String: String] = [:]
            for (key, value) in zip(header, cells) { row[String(key)] = String(value) }
            result[row["type"]!] = row
        }
        return result
    }()

    static func int(_ type: String, _ column: String) -> Int? {
        rows[type]?[column].flatMap { Int($0) }
    }

    static func fixture(_ name: String, _ ext: String) -> String {
        guard let url = Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Fixtures/reference") else {
            Issue.record("missing fixture \(name).\(ext)")
            return ""
        }
        return (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }

    /// The EKS AMI's eni-max-pods.txt: type → max pods in secondary-IP mode.
    static let amiMaxPods: [String: Int] = {
        var table: [String: Int] = [:]
        for line in fixture("eni-max-pods", "txt").split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            if parts.count == 2, let value = Int(parts[1]) { table[String(parts[0])] = value }
        }
        return table
    }()

    /// The catalog with the generators' pools worked out once for every test.
    static let generatorCatalog = GeneratorCatalog(catalog)

    /// Generates `count` questions from `generatorID` with seeds 0, 1, 2, …
    static func questions(_ generatorID: String, count: Int = 400) -> [Question] {
        let generator = Generators.named(generatorID)!
        return (0..<UInt64(count)).compactMap { seed in
            do { return try generator.generate(catalog: generatorCatalog, seed: seed) } catch {
                Issue.record("\(generatorID) seed \(seed): \(error)")
                return nil
            }
        }
    }
}

extension Question {
    func string(_ key: String) -> String? {
        if case let .string(value)? = params[key] { return value }
        return nil
    }

    func int(_ key: String) -> Int? {
        if case let .int(value)? = params[key] { return value }
        return nil
    }

    func bool(_ key: String) -> Bool? {
        if case let .bool(value)? = params[key] { return value }
        return nil
    }

    /// The number a user must give, whatever the rendering.
    var numericAnswer: Int? {
        switch body {
        case let .numeric(answer, _): answer
        case let .singleChoice(choices, correct): Int(choices[correct].text.split(separator: " ")[0])
        default: nil
        }
    }

    /// The correct choice's text for single-choice questions.
    var correctText: String? {
        if case let .singleChoice(choices, correct) = body { return choices[correct].text }
        return nil
    }
}
