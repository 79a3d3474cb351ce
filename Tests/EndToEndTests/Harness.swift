import Foundation

/// Runs the built `sapro` binary the way a user would, with piped input and a private data directory.
struct Sapro {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static let repoRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The binary `swift test` built next to the test bundle.
    static let binary: URL = {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("sapro")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return repoRoot.appendingPathComponent(".build/debug/sapro")
    }()

    /// True when the tests (and so the binary they built) run under ThreadSanitizer.
    static let underThreadSanitizer = dlsym(dlopen(nil, RTLD_NOW), "__tsan_init") != nil

    private static let ignoreSIGPIPE: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    /// A fresh, empty directory for one test.
    static func temporaryDirectory() -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sapro-e2e-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Runs `sapro arguments…` from `cwd` with `input` on stdin. The data directory is `dataDir`
    /// (a new temporary one by default) so no test touches the user's progress.
    static func run(
        _ arguments: [String], input: String = "", cwd: URL? = nil, dataDir: URL? = nil,
        environment: [String: String] = [:], timeout: TimeInterval = 60
    ) throws -> Result {
        try run(arguments, bytes: Data(input.utf8), cwd: cwd, dataDir: dataDir, environment: environment, timeout: timeout)
    }

    /// Like `run(_:input:…)` with raw bytes on stdin (invalid UTF-8, NUL and the like).
    static func run(
        _ arguments: [String], bytes input: Data, cwd: URL? = nil, dataDir: URL? = nil,
        environment: [String: String] = [:], timeout: TimeInterval = 60
    ) throws -> Result {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = cwd ?? temporaryDirectory()
        var env = ProcessInfo.processInfo.environment
        env["SAPRO_HOME"] = (dataDir ?? temporaryDirectory()).path
        env["NO_COLOR"] = "1"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        // Feed stdin and drain both pipes concurrently, so neither a large input nor a chatty
        // child can block on a full pipe.
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            // A child that leaves before reading everything closes the pipe: EPIPE, not SIGPIPE.
            _ = ignoreSIGPIPE
            try? stdin.fileHandleForWriting.write(contentsOf: input)
            try? stdin.fileHandleForWriting.close()
            group.leave()
        }
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async {
            errData = stderr.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        nonisolated(unsafe) var outData = Data()
        group.enter()
        DispatchQueue.global().async {
            outData = stdout.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        // The timeout holds even when the child hangs with its output open.
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(5_000) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        group.wait()
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }
}
