import ArgumentParser
import Foundation
import SaproCore

/// Options every command that reads content accepts.
struct ContentOptions: ParsableArguments {
    @Option(
        name: .customLong("content"), help: ArgumentHelp("Also read your own documents from DIR (repeatable).", valueName: "DIR"))
    var extraContent: [String] = []

    @Flag(name: .customLong("no-shipped"), help: .hidden)
    var noShipped = false

    /// The options as if none were given (property wrappers cannot be built with `init()`).
    static func defaults() -> ContentOptions {
        // Parsing no arguments cannot fail: every option has a default.
        (try? parse([])) ?? { fatalError("ContentOptions must parse without arguments") }()
    }

    /// These options with `directory` (when given) read as a learner's notes in place of the
    /// shipped documents: what `content check DIR` and `content stats DIR` look at.
    func replacingShipped(with directory: String?) -> ContentOptions {
        guard let directory else { return self }
        var options = self
        options.extraContent = [directory] + extraContent
        options.noShipped = true
        return options
    }

    /// Content directories in order: the shipped one, then the user's.
    func directories() throws -> [URL] {
        var dirs: [URL] = []
        if !noShipped {
            guard let shipped = Resources.contentDirectory() else {
                throw ValidationError("cannot find sapro's shipped Content/ folder; set SAPRO_SHARE to the folder holding it")
            }
            dirs.append(shipped)
        }
        for path in extraContent {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw ValidationError("--content \(path.clipped()): no such directory")
            }
            guard isDirectory.boolValue else { throw ValidationError("--content \(path.clipped()): not a directory") }
            dirs.append(URL(fileURLWithPath: path))
        }
        return dirs
    }

    /// Loads the content library. Problems are printed as warnings (use `content check` to list
    /// them with an exit status).
    func load(in context: RunContext, quiet: Bool = false) throws -> ContentLoader.Loaded {
        if let app = context.repl, extraContent.isEmpty, !noShipped { return app.content }
        let dirs = try directories()
        let shippedCount = noShipped ? 0 : 1
        let loaded = ContentLoader.load(
            directories: Array(dirs.prefix(shippedCount)), notes: Array(dirs.dropFirst(shippedCount)),
            displayName: displayName(for: dirs))
        if !quiet {
            for problem in loaded.problems { Terminal.warn("warning: \(problem)") }
        }
        return loaded
    }

    /// The REPL's content, and the salt of the key to keep its summary under. With a learner's notes, when
    /// the data directory keeps a summary of the same files, the content loads on another thread
    /// and the summary's warnings are printed; otherwise it loads here.
    func source(dataDirectory: URL) throws -> (source: ContentSource, summarySalt: String?) {
        guard !extraContent.isEmpty else { return (.loaded(try load(in: RunContext())), nil) }
        let dirs = try directories()
        let shippedCount = noShipped ? 0 : 1
        let (shipped, notes) = (Array(dirs.prefix(shippedCount)), Array(dirs.dropFirst(shippedCount)))
        let names = displayName(for: dirs)
        let files = ContentLoader.sourceFiles(directories: shipped, notes: notes, displayName: names).files
        let salt = Resources.programIdentity()
        let key = ContentLoader.key(salt: salt, digest: ContentLoader.digest(of: files))
        guard let summary = ContentSummary.read(from: dataDirectory, key: key) else {
            return (.loaded(try load(in: RunContext())), salt)
        }
        for problem in summary.problems { Terminal.warn("warning: \(problem)") }
        // The loading thread gets the names worked out here, not the options.
        let named = Dictionary(files.map { ($0.url, $0.name) } + dirs.map { ($0, names($0)) }, uniquingKeysWith: { a, _ in a })
        let loading = Background { ContentLoader.load(directories: shipped, notes: notes, displayName: { named[$0] ?? $0.path }) }
        return (.loading(loading, summary), salt)
    }

    /// Shows shipped files as `Content/…`, the user's as the path they gave.
    func displayName(for dirs: [URL]) -> (URL) -> String {
        let shipped = noShipped ? nil : dirs.first
        return { url in
            let path = url.standardizedFileURL.path
            for (i, dir) in dirs.enumerated() {
                let base = dir.standardizedFileURL.path
                guard path.hasPrefix(base) else { continue }
                let rel = String(path.dropFirst(base.count)).trimmingCharacters(in: CharacterSet(charactersIn: "/"))
                if dir == shipped && i == 0 { return rel.isEmpty ? "Content" : "Content/\(rel)" }
                let given = self.extraContent[i - (shipped == nil ? 0 : 1)]
                return rel.isEmpty ? given : (given.hasSuffix("/") ? given + rel : given + "/" + rel)
            }
            return url.path
        }
    }
}

/// Terminal facts the executable (and only it) reads from the environment.
enum Terminal {
    /// Colours only on a terminal, never with NO_COLOR or TERM=dumb.
    static func colorEnabled(fd: Int32 = STDOUT_FILENO) -> Bool {
        let env = ProcessInfo.processInfo.environment
        if env["NO_COLOR"] != nil { return false }
        if env["TERM"] == "dumb" { return false }
        return isatty(fd) == 1
    }

    static func width() -> Int {
        var size = winsize()
        if isatty(STDOUT_FILENO) == 1, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
            return min(Int(size.ws_col), 120)
        }
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns > 0 {
            return min(columns, 120)
        }
        return 80
    }

    static func warn(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}
