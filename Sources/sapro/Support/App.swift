import ArgumentParser
import Foundation
import SaproCore

/// Where progress is kept: `--data-dir`, else `$SAPRO_HOME`, else `$XDG_DATA_HOME/sapro`, else
/// `~/.local/share/sapro`.
struct DataOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: ArgumentHelp("Keep progress in DIR.", valueName: "DIR"))
    var dataDir: String?

    func resolve() -> URL {
        let env = ProcessInfo.processInfo.environment
        if let dataDir, !dataDir.isEmpty { return URL(fileURLWithPath: dataDir) }
        if let home = env["SAPRO_HOME"], !home.isEmpty { return URL(fileURLWithPath: home) }
        if let xdg = env["XDG_DATA_HOME"], !xdg.isEmpty { return URL(fileURLWithPath: xdg).appendingPathComponent("sapro") }
        let home = env["HOME"].map { URL(fileURLWithPath: $0) } ?? FileManager.default.homeDirectoryForCurrentUser
        return home.appendingPathComponent(".local/share/sapro")
    }
}

/// What a running sapro holds: content, settings, progress and the line reader. The REPL makes
/// one and keeps it; a one-shot subcommand makes its own.
final class App {
    /// The REPL's app, while a REPL runs.
    nonisolated(unsafe) static var current: App?

    let dataDirectory: URL
    let content: ContentLoader.Loaded
    var settings: Settings
    let reader: LineReader
    let color: Bool
    let width: Int

    init(dataDirectory: URL, content: ContentLoader.Loaded, reader: LineReader) throws {
        self.dataDirectory = dataDirectory
        self.content = content
        self.reader = reader
        self.color = Terminal.colorEnabled()
        self.width = Terminal.width()
        do {
            try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        } catch {
            throw fail("cannot create the data directory \(dataDirectory.path): \(error.localizedDescription)")
        }
        self.settings = try reporting { try Settings.load(from: dataDirectory) }
    }

    /// The REPL's app when inside the REPL (where options given to the REPL itself win),
    /// otherwise a new one for this command.
    static func obtain(data: DataOptions, content: ContentOptions) throws -> App {
        if let current { return current }
        let reader: LineReader = isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1
            ? EditLineReader(historyFile: data.resolve().appendingPathComponent("history"), completions: { _, _ in [] })
            : PlainLineReader()
        return try App(dataDirectory: data.resolve(), content: try content.load(), reader: reader)
    }

    var style: TerminalStyle { TerminalStyle(enabled: color) }
}
