import Foundation

/// A failed system call while writing a file the user asked for.
public struct FileWriteError: Error, Equatable, LocalizedError {
    /// The path as the user gave it.
    public var file: String
    /// What was being done: `create`, `write`, `replace`.
    public var operation: String
    public var errno: Int32

    public init(file: String, operation: String, errno: Int32) {
        self.file = file
        self.operation = operation
        self.errno = errno
    }

    public var errorDescription: String? {
        let hint = errno == ENOSPC ? " (the disk is full)" : ""
        return "cannot \(operation) \(file): \(String(cString: strerror(errno)))\(hint)"
    }
}

/// A file written for the user, such as an exported quiz or report.
///
/// A regular file (or one that does not exist yet) is replaced atomically: the text goes to a
/// temporary file beside it, renamed over it by `commit()`, so a failure leaves the old file.
/// A device, pipe or terminal (`/dev/null`, `/dev/stdout`) is written in place: renaming over
/// one would replace the device with a plain file. A symbolic link is followed, so the link
/// stays and the file it names is replaced.
public final class OutputFile: Sendable {
    /// The path as the user gave it, for messages.
    public let path: String
    private let fd: Int32
    /// The temporary file renamed over `target` on commit; nil when written in place.
    private let temporary: String?
    private let target: String
    private let closes: Bool

    /// Opens `path` for writing (see the type's description for how).
    public init(path: String) throws(FileWriteError) {
        self.path = path
        let resolved = Self.resolve(path)
        var info = stat()
        if stat(resolved, &info) == 0, (info.st_mode & S_IFMT) != S_IFREG {
            if (info.st_mode & S_IFMT) == S_IFDIR { throw FileWriteError(file: path, operation: "write", errno: EISDIR) }
            let fd = open(resolved, O_WRONLY | O_TRUNC | O_CLOEXEC)
            guard fd >= 0 else { throw FileWriteError(file: path, operation: "open", errno: errno) }
            (self.fd, temporary, target, closes) = (fd, nil, resolved, true)
            return
        }
        let directory = (resolved as NSString).deletingLastPathComponent
        let name = (resolved as NSString).lastPathComponent
        let temporary = (directory.isEmpty ? "" : directory + "/") + ".\(name).\(getpid()).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileWriteError(file: path, operation: "create", errno: errno) }
        (self.fd, self.temporary, target, closes) = (fd, temporary, resolved, true)
    }

    private init(standardOutput: Void) {
        (path, fd, temporary, target, closes) = ("standard output", STDOUT_FILENO, nil, "/dev/stdout", false)
    }

    /// Standard output, written in place and never closed.
    public static func standardOutput() -> OutputFile {
        fflush(nil)  // anything print() buffered goes first
        return OutputFile(standardOutput: ())
    }

    /// The path a write to `path` lands on: symbolic links followed (a link to a file that does
    /// not exist yet names that file).
    static func resolve(_ path: String) -> String {
        var current = path
        for _ in 0..<32 {
            var info = stat()
            guard lstat(current, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK,
                  let link = try? FileManager.default.destinationOfSymbolicLink(atPath: current) else { return current }
            current = link.hasPrefix("/") ? link : ((current as NSString).deletingLastPathComponent as NSString).appendingPathComponent(link)
        }
        return current
    }

    /// Writes all of `bytes`, retrying short writes.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(FileWriteError) {
        let code = Self.writeAll(fd, bytes)
        if code != 0 { throw FileWriteError(file: path, operation: "write", errno: code) }
    }

    /// Writes all of `bytes` to `fd`, retrying short and interrupted writes; 0 or the errno.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32 {
        guard let base = bytes.baseAddress else { return 0 }
        var offset = 0
        while offset < bytes.count {
            let n = Foundation.write(fd, base + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            offset += n
        }
        return 0
    }

    /// Writes all of `bytes`.
    public func write(_ bytes: [UInt8]) throws(FileWriteError) {
        var failure: FileWriteError?
        bytes.withUnsafeBytes { raw in
            do throws(FileWriteError) { try write(raw) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Finishes the file: flushes it to disk when `sync`, closes it and puts it in place.
    public func commit(sync: Bool = false) throws(FileWriteError) {
        if sync && temporary != nil && fsync(fd) != 0 {
            let code = errno
            discard()
            throw FileWriteError(file: path, operation: "write", errno: code)
        }
        if closes && close(fd) != 0 {
            let code = errno
            if let temporary { unlink(temporary) }
            throw FileWriteError(file: path, operation: "write", errno: code)
        }
        guard let temporary else { return }
        guard rename(temporary, target) == 0 else {
            let code = errno
            unlink(temporary)
            throw FileWriteError(file: path, operation: "replace", errno: code)
        }
        if sync {
            let directory = open((target as NSString).deletingLastPathComponent.isEmpty ? "." : (target as NSString).deletingLastPathComponent, O_RDONLY)
            if directory >= 0 {
                fsync(directory)
                close(directory)
            }
        }
    }

    /// Abandons the file: the temporary file is removed and the old file, if any, stays.
    public func discard() {
        if closes { close(fd) }
        if let temporary { unlink(temporary) }
    }
}
