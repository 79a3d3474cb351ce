import Foundation

/// File operations that either complete or leave the previous state intact.
public enum AtomicFile {
    /// Writes `data` to `url` through a temporary file, fsync and rename, then syncs the directory,
    /// so a crash leaves either the old file or the new one, never a torn one. A device such as
    /// `/dev/null` is written in place, and a symbolic link is kept (its target is replaced).
    public static func write(_ data: Data, to url: URL) throws(ProgressError) {
        do throws(FileWriteError) {
            let file = try OutputFile(path: url.path)
            var failure: FileWriteError?
            data.withUnsafeBytes { raw in
                do throws(FileWriteError) { try file.write(raw) } catch { failure = error }
            }
            if let failure {
                file.discard()
                throw failure
            }
            try file.commit(sync: true)
        } catch {
            throw .io(file: error.file, operation: error.operation, errno: error.errno)
        }
    }

    /// Writes all of `data` to `fd`, retrying short writes; returns 0 or the failing errno.
    static func writeAll(_ fd: Int32, _ data: Data) -> Int32 {
        data.withUnsafeBytes { OutputFile.writeAll(fd, $0) }
    }
}

/// An exclusive lock on a file in the data directory, shared between processes (flock).
final class FileLock {
    private let fd: Int32

    init(_ url: URL) throws(ProgressError) {
        fd = open(url.path, O_RDWR | O_CREAT, 0o644)
        guard fd >= 0 else { throw .io(file: url.path, operation: "open the lock", errno: errno) }
    }

    deinit { close(fd) }

    func withLock<T>(_ body: () throws(ProgressError) -> T) throws(ProgressError) -> T {
        while flock(fd, LOCK_EX) != 0 {
            if errno != EINTR { throw .io(file: "lock", operation: "lock", errno: errno) }
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }
}

/// Errors from the progress store. None of them leaves a file half-written.
public enum ProgressError: Error, Equatable, LocalizedError {
    /// A system call failed.
    case io(file: String, operation: String, errno: Int32)
    /// A file that does not parse; it is left as it is for inspection.
    case corrupt(file: String, line: Int?, reason: String)
    /// A file written by a newer sapro.
    case newerVersion(file: String, found: Int, supported: Int)
    /// A setting out of range.
    case invalidSetting(key: String, value: String, allowed: String)
    /// Nothing to undo.
    case nothingToUndo
    /// A path in the data directory that is not what it must be (a directory where a file goes,
    /// a named pipe, a loop of symbolic links); the sentence says which and what to do.
    case unusable(String)
    /// The part of the journal the snapshot covers changed after it was written, within `lines`;
    /// `invalidLine` is the first of them that is no longer a journal entry, if any.
    case journalChanged(file: String, lines: ClosedRange<Int>, invalidLine: Int?)
    /// The journal is shorter than the part of it the snapshot covers.
    case journalShorter(file: String, size: UInt64, covered: UInt64)
    /// Nothing this process saved is left to undo; the newest answer that could be undone
    /// belongs to `newestSession` (another process's, or one from before this one started).
    case nothingOfYoursToUndo(newestSession: String)

    /// What is wrong and where, without advice (for callers that say what they do about it).
    public var plainDescription: String {
        switch self {
        case let .corrupt(file, line, reason):
            let at = line.map { "\(file):\($0)" } ?? file
            return "\(at): cannot be read (\(reason))"
        default:
            return errorDescription ?? "\(self)"
        }
    }

    public var errorDescription: String? {
        switch self {
        case let .io(file, operation, code):
            let reason = String(cString: strerror(code))
            let hint = code == ENOSPC ? " (the disk is full; free some space — your earlier progress is intact)" : ""
            return "cannot \(operation) \(file): \(reason)\(hint)"
        case let .corrupt(file, line, _):
            if let line, file.hasSuffix(".jsonl") {
                return plainDescription
                    + ". sapro leaves it untouched: fix or delete line \(line) (keep a copy first); the other lines are kept."
            }
            return plainDescription + ". sapro leaves it untouched."
        case let .newerVersion(file, found, supported):
            return "\(file) has schema version \(found), newer than this sapro understands (\(supported)); update sapro"
        case let .invalidSetting(key, value, allowed):
            return "'\(value)' is not a valid value for \(key): \(allowed)"
        case .nothingToUndo:
            return "nothing to undo"
        case let .unusable(problem):
            return problem
        case let .journalChanged(file, lines, invalidLine):
            let start =
                "sapro adds nothing to the journal and reads no report from it; your progress up to the change "
                + "is safe in snapshot.json. To go on, keep a copy of both files, then "
            if let line = invalidLine {
                return "\(file):\(line) is no longer a journal entry: the journal was changed after it was written "
                    + "(it does not match the checksums snapshot.json keeps of it). " + start
                    + "fix or delete line \(line) and move snapshot.json aside: sapro rebuilds your progress from the journal"
            }
            return "\(file) was changed after it was written, between lines \(lines.lowerBound) and \(lines.upperBound) "
                + "(it does not match the checksums snapshot.json keeps of it). " + start
                + "put back a copy of the journal if you have one, or move snapshot.json aside: sapro rebuilds your "
                + "progress from the journal as it is now"
        case let .journalShorter(file, size, covered):
            return "\(file) has \(size) bytes, but snapshot.json covers the first \(covered): the journal was cut "
                + "short or replaced. sapro leaves both files as they are. Put back a copy of the journal if you "
                + "have one; otherwise move snapshot.json aside and sapro rebuilds your progress from what the "
                + "journal still holds (the answers in the missing part are lost)"
        case let .nothingOfYoursToUndo(session):
            return "nothing of yours to undo: this sapro has saved no answer that is still undoable. "
                + "undo takes back only this sapro's answers (another sapro may be using the same data directory); "
                + "the newest answer in the journal is from session \(session), and 'undo --session \(session)' takes it back"
        }
    }
}
