import Foundation
import Testing
import SaproCore

/// Starts `sapro dev append`, which records reviews one by one and prints `ack TAG#i` once each
/// is durable; returns the process and its output pipe.
private func startWriter(dataDir: URL, tag: String, count: Int) throws -> (Process, Pipe) {
    let process = Process()
    process.executableURL = Sapro.binary
    process.arguments = ["dev", "append", "--count", String(count), "--tag", tag, "--data-dir", dataDir.path]
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    return (process, out)
}

private func answers(in dataDir: URL) throws -> [String] {
    try ProgressStore<StudyCard>(directory: dataDir).reviews().map(\.answer)
}

@Test func killingAWriterAtRandomMomentsLosesNoAcknowledgedReview() throws {
    var generator = SystemRandomNumberGenerator()
    let dataDir = Sapro.temporaryDirectory()
    var acknowledged: [String] = []
    for round in 0..<8 {
        let (process, out) = try startWriter(dataDir: dataDir, tag: "k\(round)", count: 400)
        // Wait for the first acknowledgement (start-up time varies with load), let it run for a
        // random moment more, then kill it without warning.
        var seen = out.fileHandleForReading.availableData
        usleep(UInt32.random(in: 0...40_000, using: &generator))
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        seen.append(out.fileHandleForReading.readDataToEndOfFile())
        let text = String(decoding: seen, as: UTF8.self)
        acknowledged += text.split(separator: "\n").compactMap { $0.hasPrefix("ack ") ? String($0.dropFirst(4)) : nil }
        // The store must load after every kill and hold everything acknowledged so far.
        let stored = Set(try answers(in: dataDir))
        let lost = acknowledged.filter { !stored.contains($0) }
        #expect(lost.isEmpty, "round \(round): lost \(lost.prefix(5))")
    }
    #expect(acknowledged.count > 0, "the writer acknowledged nothing before being killed")
}

@Test func twoWritersOnOneDirectoryLoseNothing() throws {
    let dataDir = Sapro.temporaryDirectory()
    let (a, outA) = try startWriter(dataDir: dataDir, tag: "a", count: 150)
    let (b, outB) = try startWriter(dataDir: dataDir, tag: "b", count: 150)
    let textA = String(decoding: outA.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let textB = String(decoding: outB.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    a.waitUntilExit()
    b.waitUntilExit()
    #expect(a.terminationStatus == 0 && b.terminationStatus == 0)
    #expect(textA.split(separator: "\n").count == 150 && textB.split(separator: "\n").count == 150)
    let stored = try answers(in: dataDir)
    #expect(stored.count == 300)
    #expect(Set(stored).count == 300)
    let store = try ProgressStore<StudyCard>(directory: dataDir)
    #expect(store.lastSequence == 300)
}
