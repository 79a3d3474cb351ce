import Foundation
import Testing
@testable import SaproCore

@Suite struct OutputFileTests {
    let dir: String

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("sapro-out-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    func contents(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }

    func fileType(_ path: String) -> mode_t {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode & S_IFMT : 0
    }

    @Test func aRegularFileIsReplacedOnlyOnCommit() throws {
        let path = dir + "/quiz.json"
        try "old".write(toFile: path, atomically: false, encoding: .utf8)
        let file = try OutputFile(path: path)
        try file.write(Array("new".utf8))
        #expect(contents(path) == "old")
        try file.commit()
        #expect(contents(path) == "new")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["quiz.json"])
    }

    @Test func aDiscardedFileLeavesTheOldOneAndNoTemporaryFile() throws {
        let path = dir + "/report.md"
        try "old".write(toFile: path, atomically: false, encoding: .utf8)
        let file = try OutputFile(path: path)
        try file.write(Array("half".utf8))
        file.discard()
        #expect(contents(path) == "old")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["report.md"])
    }

    @Test func aSymbolicLinkIsKeptAndItsTargetReplaced() throws {
        let target = dir + "/real.json", link = dir + "/link.json"
        try "old".write(toFile: target, atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "real.json")
        let file = try OutputFile(path: link)
        try file.write(Array("new".utf8))
        try file.commit()
        #expect(fileType(link) == S_IFLNK)
        #expect(contents(target) == "new")
    }

    @Test func aPipeIsWrittenInPlaceNotReplaced() throws {
        // A FIFO stands in for /dev/null or /dev/stdout: renaming over it would swap the special
        // file for a plain one.
        let fifo = dir + "/pipe"
        #expect(mkfifo(fifo, 0o600) == 0)
        let reader = open(fifo, O_RDONLY | O_NONBLOCK)
        #expect(reader >= 0)
        defer { close(reader) }
        let file = try OutputFile(path: fifo)
        try file.write(Array("through the pipe".utf8))
        try file.commit()
        #expect(fileType(fifo) == S_IFIFO)
        var buffer = [UInt8](repeating: 0, count: 64)
        let n = read(reader, &buffer, buffer.count)
        #expect(String(decoding: buffer.prefix(max(n, 0)), as: UTF8.self) == "through the pipe")
    }

    @Test func errorsNameThePathAndTheReason() throws {
        #expect(throws: FileWriteError(file: dir + "/missing/x.json", operation: "create", errno: ENOENT)) {
            _ = try OutputFile(path: dir + "/missing/x.json")
        }
        #expect(throws: FileWriteError(file: dir, operation: "write", errno: EISDIR)) {
            _ = try OutputFile(path: dir)
        }
        let error = FileWriteError(file: "/x/y.json", operation: "create", errno: ENOENT)
        #expect(error.localizedDescription == "cannot create /x/y.json: No such file or directory")
    }

    @Test func atomicWritesKeepDevicesAndLinksToo() throws {
        let fifo = dir + "/pipe"
        #expect(mkfifo(fifo, 0o600) == 0)
        let reader = open(fifo, O_RDONLY | O_NONBLOCK)
        defer { close(reader) }
        try AtomicFile.write(Data("x".utf8), to: URL(fileURLWithPath: fifo))
        #expect(fileType(fifo) == S_IFIFO)
    }
}

@Suite struct TrimmingTests {
    @Test(arguments: [
        "", " ", "  a b  ", "\tx\t", " \n x \n ", "\u{00A0}nbsp\u{2003}", "\u{2028}line\u{85}", "é ", " \u{301}a", "a\r\n",
        "\u{0B}v\u{0C}", "∑ sum ∑",
    ])
    func trimmingMatchesFoundation(text: String) {
        #expect(text.trimmingWhitespace() == text.trimmingCharacters(in: .whitespaces))
        #expect(text.trimmingWhitespaceAndNewlines() == text.trimmingCharacters(in: .whitespacesAndNewlines))
        let sub = text.dropFirst(0)
        #expect(sub.trimmingWhitespace() == sub.trimmingCharacters(in: .whitespaces))
    }
}

@Suite struct ByteSearchTests {
    @Test func findsWhatStringContainsFinds() {
        let texts = ["", "a", "abc", "the vpc cni needs an eni", "ééé", "aaab", "− minus", "xyzxyz"]
        let needles = ["", "a", "b", "abc", "abcd", "eni", "vpc cni", "ée", "aab", "aaab", "zx", "−", "q"]
        for text in texts {
            for needle in needles {
                #expect(
                    containsBytes(text, needle)
                        == (needle.isEmpty || text.utf8.count >= needle.utf8.count && text.contains(needle)),
                    "\(text) / \(needle)")
            }
        }
    }
}
