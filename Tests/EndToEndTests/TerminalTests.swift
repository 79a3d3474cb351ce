import Foundation
import Testing

/// Drives `sapro` in a pseudo-terminal, where it uses libedit: completion, Ctrl-C and Ctrl-D.
private final class PTYSession {
    let process = Process()
    let master: FileHandle
    private var output = Data()

    init(dataDir: URL) throws {
        var masterFD: Int32 = 0, slaveFD: Int32 = 0
        var size = winsize(ws_row: 40, ws_col: 100, ws_xpixel: 0, ws_ypixel: 0)
        guard openpty(&masterFD, &slaveFD, nil, nil, &size) == 0 else { throw POSIXError(.EIO) }
        master = FileHandle(fileDescriptor: masterFD, closeOnDealloc: true)
        let slave = FileHandle(fileDescriptor: slaveFD, closeOnDealloc: true)
        // setsid --ctty makes the pty the controlling terminal, so Ctrl-C becomes SIGINT as for a user.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setsid")
        process.arguments = ["--ctty", Sapro.binary.path]
        var env = ProcessInfo.processInfo.environment
        env["SAPRO_HOME"] = dataDir.path
        env["TERM"] = "xterm"
        env["NO_COLOR"] = "1"
        process.environment = env
        process.standardInput = slave
        process.standardOutput = slave
        process.standardError = slave
        try process.run()
        _ = fcntl(masterFD, F_SETFL, fcntl(masterFD, F_GETFL) | O_NONBLOCK)
    }

    func send(_ text: String) {
        master.write(Data(text.utf8))
    }

    /// Reads until `needle` appears in the output since the last call, or the timeout passes.
    @discardableResult
    func expect(_ needle: String, timeout: TimeInterval = 10) -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date() < deadline {
            let n = read(master.fileDescriptor, &buffer, buffer.count)
            if n > 0 { output.append(contentsOf: buffer[0..<n]) }
            let text = String(decoding: output, as: UTF8.self)
            if let range = text.range(of: needle) {
                // Keep what came after the match for the next expectation.
                output = Data(text[range.upperBound...].utf8)
                return String(text[..<range.upperBound])
            }
            if n <= 0 { usleep(20_000) }
        }
        return String(decoding: output, as: UTF8.self)
    }

    func waitForExit(timeout: TimeInterval = 10) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline {
            _ = expect("\u{0}", timeout: 0.05)
        }
        if process.isRunning {
            process.terminate()
            return nil
        }
        return process.terminationStatus
    }
}

@Test func inATerminalTabCompletesAndCtrlCDropsTheLineAndCtrlDLeaves() throws {
    let session = try PTYSession(dataDir: Sapro.temporaryDirectory())
    #expect(session.expect("]> ").contains("sapro [20 new]> "))
    // Completion of the command, then of a topic's last part: the completed line runs.
    session.send("rea\t")
    session.send("host-mo\t")
    session.send("--no-sub\t\r")
    let heading = "#### host Mode  [amazon-ecs-networking/network-modes/host-mode]"
    #expect(session.expect(heading).contains(heading))
    session.expect("> ")
    // Ctrl-C abandons the half-typed line: nothing of it runs.
    session.send("read bogus-topic-name")
    // Ctrl-C only once libedit has taken the keys (their echo), and the next line only at the
    // new prompt: a SIGINT that lands while libedit is busy rather than blocked in read() is
    // noticed when readline() returns, and drops whatever line that is.
    session.expect("bogus-topic-name")
    session.send("\u{03}")
    session.expect("> ")
    session.send("calc max-pods m5.lar\t\r")
    let output = session.expect("29 pods\r\n")
    #expect(output.contains("m5.large (secondary-ip): 29 pods"))
    #expect(!output.contains("bogus"))
    #expect(!output.contains("error"))
    session.expect("> ")
    session.send("\u{04}")
    #expect(session.waitForExit() == 0)
}
