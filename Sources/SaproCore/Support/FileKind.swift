import Foundation

/// What is at a path, for messages that say what is actually wrong with a file in the data
/// directory: a directory where a file belongs, a named pipe, a symbolic-link loop.
public enum FileKind: Equatable, Sendable {
    case missing, file, directory, fifo, socket, device, symlinkLoop
    /// `stat` failed for another reason (its errno).
    case unreadable(Int32)

    /// What `path` is, following symbolic links.
    public static func of(_ path: String) -> FileKind {
        var info = stat()
        guard stat(path, &info) == 0 else {
            switch errno {
            case ENOENT: return .missing
            case ELOOP: return .symlinkLoop
            default: return .unreadable(errno)
            }
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .directory
        case S_IFIFO: return .fifo
        case S_IFSOCK: return .socket
        case S_IFCHR, S_IFBLK: return .device
        default: return .file
        }
    }

    var phrase: String {
        switch self {
        case .missing: "missing"
        case .file: "a file"
        case .directory: "a directory"
        case .fifo: "a named pipe (FIFO)"
        case .socket: "a socket"
        case .device: "a device"
        case .symlinkLoop: "a loop of symbolic links"
        case .unreadable(let code): "unreadable (\(String(cString: strerror(code))))"
        }
    }

    /// Why `path` cannot be used as a regular file (missing is fine: it is made), or `nil`.
    public static func problem(file path: String) -> String? {
        let kind = of(path)
        guard kind != .missing, kind != .file else { return nil }
        return "\(path) is \(kind.phrase), not a file; move it aside"
    }

    /// Why `path` cannot be used as a directory (missing is fine: it is made), or `nil`.
    public static func problem(directory path: String) -> String? {
        let kind = of(path)
        guard kind != .missing, kind != .directory else { return nil }
        return "\(path) is \(kind.phrase), not a directory; move it aside"
    }
}
