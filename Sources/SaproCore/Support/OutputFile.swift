import Foundation

/// A failed system call while writing a file the user asked for.
public struct FileWriteError: Error, Equatable, LocalizedError {
    /// The path as the user gave it.
    public var file: String
    /// What was being done: `create`, `write`, `replace`.
    public var operation: String
    /// The system's error number.
    public var errno: Int32

    /// An error for `operation` on `file`.
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
/// A device, pipe or socket (`/dev/null`, a FIFO) is written in place: renaming over one would
/// replace it with a plain file. A path naming an open descriptor (`/dev/stdout`, `/dev/fd/3`,
/// `/proc/self/fd/1`) is opened and appended to, whatever it leads to, so
/// `--out /dev/stdout >> log` adds to the log. A symbolic link is followed, so the link stays and the file it names is
/// replaced. Call `commit()` or `discard()` once.
public final class OutputFile: @unchecked Sendable {
    /// The path as the user gave it, for messages.
    public let path: String
    private let fd: Int32
    /// The temporary file renamed over `target` on commit; nil when written in place.
    private let temporary: String?
    private let target: String
    private let closes: Bool
    // Set by `commit()` or `discard()`, which the owner calls once, from one thread.
    private var finished = false

    /// Opens `path` for writing (see the type's description for how).
    public init(path: String) throws(FileWriteError) {
        self.path = path
        var info = stat()
        let exists = stat(path, &info) == 0
        if exists && (info.st_mode & S_IFMT) == S_IFDIR { throw FileWriteError(file: path, operation: "write", errno: EISDIR) }
        if Self.namesDescriptor(path) || (exists && (info.st_mode & S_IFMT) != S_IFREG) {
            let fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
            guard fd >= 0 else { throw FileWriteError(file: path, operation: "open", errno: errno) }
            (self.fd, temporary, target, closes) = (fd, nil, path, true)
            return
        }
        let resolved = Self.resolve(path)
        let directory = (resolved as NSString).deletingLastPathComponent
        let name = (resolved as NSString).lastPathComponent
        // O_EXCL and O_NOFOLLOW: a name planted in a shared folder is never written through.
        var attempt = 0
        while true {
            let temporary = (directory.isEmpty ? "" : directory + "/") + ".\(name).\(getpid())-\(Self.nextSerial()).tmp"
            let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
            if fd >= 0 {
                TemporaryFiles.add(temporary)
                (self.fd, self.temporary, target, closes) = (fd, temporary, resolved, true)
                return
            }
            attempt += 1
            guard errno == EEXIST, attempt < 100 else { throw FileWriteError(file: path, operation: "create", errno: errno) }
        }
    }

    private init(standardOutput: Void) {
        (path, fd, temporary, target, closes) = ("standard output", STDOUT_FILENO, nil, "/dev/stdout", false)
    }

    deinit {
        if !finished { discard() }
    }

    /// Standard output, written in place and never closed.
    public static func standardOutput() -> OutputFile {
        fflush(nil)  // anything print() buffered goes first
        return OutputFile(standardOutput: ())
    }

    private static let serials = NSLock()
    nonisolated(unsafe) private static var serial = 0

    /// A number no other temporary file of this process has used.
    private static func nextSerial() -> Int {
        serials.withLock {
            serial += 1
            return serial
        }
    }

    /// True for paths that stand for an open file descriptor rather than a file of their own.
    static func namesDescriptor(_ path: String) -> Bool {
        if ["/dev/stdin", "/dev/stdout", "/dev/stderr"].contains(path) { return true }
        if path.hasPrefix("/dev/fd/") || path.hasPrefix("/proc/self/fd/") || path.hasPrefix("/proc/thread-self/fd/") {
            return true
        }
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        return parts.count == 4 && parts[0] == "proc" && parts[1].allSatisfy(\.isNumber) && parts[2] == "fd"
    }

    /// The path a write to `path` lands on: symbolic links followed (a link to a file that does
    /// not exist yet names that file).
    static func resolve(_ path: String) -> String {
        var current = path
        for _ in 0..<32 {
            var info = stat()
            guard lstat(current, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK,
                let link = try? FileManager.default.destinationOfSymbolicLink(atPath: current)
            else { return current }
            current =
                link.hasPrefix("/")
                ? link : ((current as NSString).deletingLastPathComponent as NSString).appendingPathComponent(link)
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
        finished = true
        defer { if let temporary { TemporaryFiles.remove(temporary) } }
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
        if sync { Self.syncDirectory(of: target) }
    }

    /// Abandons the file: the temporary file is removed and the old file, if any, stays.
    public func discard() {
        finished = true
        if closes { close(fd) }
        if let temporary {
            unlink(temporary)
            TemporaryFiles.remove(temporary)
        }
    }

    /// Makes a rename or a new file beside `path` durable.
    public static func syncDirectory(of path: String) {
        let directory = (path as NSString).deletingLastPathComponent
        let fd = open(directory.isEmpty ? "." : directory, O_RDONLY)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
    }

    /// Sets up the memory `removeTemporaryFiles()` reads; call it before installing a signal
    /// handler that calls that, so the handler never allocates.
    public static func prepareForSignals() {
        _ = TemporaryFiles.paths
    }

    /// Removes the temporary files still being written. Safe in a signal handler once
    /// `prepareForSignals()` has run (it reads fixed memory and calls `unlink`), so an interrupted
    /// export leaves nothing behind.
    public static func removeTemporaryFiles() {
        TemporaryFiles.unlinkAll()
    }

    /// Marks `path` as a temporary file that an interrupted run must remove (and unmarks it).
    static func track(_ path: String) { TemporaryFiles.add(path) }
    static func untrack(_ path: String) { TemporaryFiles.remove(path) }
}

/// The paths of temporary files being written, kept in fixed memory a signal handler can read.
private enum TemporaryFiles {
    static let slots = 8
    static let length = 4096
    nonisolated(unsafe) static let paths: UnsafeMutablePointer<CChar> = {
        let memory = UnsafeMutablePointer<CChar>.allocate(capacity: slots * length)
        memory.initialize(repeating: 0, count: slots * length)
        return memory
    }()
    static let lock = NSLock()

    static func add(_ path: String) {
        let bytes = Array(path.utf8CString)
        guard bytes.count <= length else { return }
        lock.withLock {
            for slot in 0..<slots where paths[slot * length] == 0 {
                bytes.withUnsafeBufferPointer { (paths + slot * length).update(from: $0.baseAddress!, count: $0.count) }
                return
            }
        }
    }

    static func remove(_ path: String) {
        lock.withLock {
            for slot in 0..<slots where paths[slot * length] != 0 && String(cString: paths + slot * length) == path {
                paths[slot * length] = 0
            }
        }
    }

    static func unlinkAll() {
        for slot in 0..<slots where paths[slot * length] != 0 {
            unlink(paths + slot * length)
        }
    }
}
