import Foundation
@testable import SaproCore

/// Paths into the repository and the test fixtures, found from this file's location.
enum Repo {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let content = root.appendingPathComponent("Content")
    static let quizzes = root.appendingPathComponent("Quizzes")
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func fixture(_ path: String) -> URL { fixtures.appendingPathComponent(path) }

    static func text(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }

    /// The shipped catalog, parsed once.
    static let catalog: InstanceCatalog = {
        let url = content.appendingPathComponent("facts/ec2-instance-types.csv")
        return try! InstanceCatalog.parse(csv: try! text(url), file: "ec2-instance-types.csv")
    }()

    /// The shipped content, loaded once.
    static let shipped: ContentLoader.Loaded = ContentLoader.load(directories: [content])

    /// Writes `files` into a fresh temporary directory.
    static func temporaryDirectory(_ files: [String: [UInt8]]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sapro-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, bytes) in files {
            let url = dir.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
        }
        return dir
    }
}

/// Runs python3 with `arguments`; its standard output, or nil if it failed.
func runPython(_ arguments: [String]) -> Data? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3"] + arguments
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { return nil }
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return process.terminationStatus == 0 ? data : nil
}
