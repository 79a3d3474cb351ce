import Foundation
import Testing

@Suite struct ExportTests {
    @Test func quizToDevStdoutWritesThroughThePipe() throws {
        let direct = try Sapro.run(["quiz", "generate", "--count", "5", "--seed", "3", "--format", "json"])
        let viaPath = try Sapro.run([
            "quiz", "generate", "--count", "5", "--seed", "3", "--format", "json", "--out", "/dev/stdout",
        ])
        #expect(viaPath.status == 0, "\(viaPath.stderr)")
        #expect(viaPath.stdout == direct.stdout)
        #expect(direct.stdout.hasPrefix("{\n  \"questions\" : ["))
    }

    @Test func aFullDeviceStopsTheQuizWithAClearMessage() throws {
        // /dev/full refuses every write with ENOSPC: the first batch fails and the build stops.
        let started = Date()
        let result = try Sapro.run([
            "quiz", "generate", "--count", "2000000", "--seed", "1", "--format", "json", "--out", "/dev/full",
        ])
        #expect(result.status == 1)
        #expect(result.stderr.contains("cannot write /dev/full: No space left on device"), "\(result.stderr)")
        // Two million questions take well over a minute; stopping at the first batch takes a moment.
        #expect(Date().timeIntervalSince(started) < 30)
    }

    @Test func anInterruptedExportLeavesNoTemporaryFile() throws {
        let dir = Sapro.temporaryDirectory()
        let target = dir.appendingPathComponent("big.json")
        try "previous".write(to: target, atomically: false, encoding: .utf8)
        let process = Process()
        process.executableURL = Sapro.binary
        process.arguments = ["quiz", "generate", "--count", "1000000", "--seed", "1", "--format", "json", "--out", target.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait until the temporary file exists, then press Ctrl-C.
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline,
            (try? FileManager.default.contentsOfDirectory(atPath: dir.path))?.contains(where: { $0.hasSuffix(".tmp") }) != true
        {
            usleep(20_000)
        }
        process.interrupt()
        let stopBy = Date().addingTimeInterval(10)
        while process.isRunning && Date() < stopBy { usleep(20_000) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["big.json"])
        #expect(try String(contentsOf: target, encoding: .utf8) == "previous")
    }

    @Test func aReportToALinkReplacesTheLinkedFile() throws {
        let dir = Sapro.temporaryDirectory()
        let real = dir.appendingPathComponent("real.md"), link = dir.appendingPathComponent("link.md")
        try "old".write(to: real, atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "real.md")
        let result = try Sapro.run(["report", "--out", link.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == "real.md")
        #expect(try String(contentsOf: real, encoding: .utf8).hasPrefix("# "))
    }
}
