import ArgumentParser
import Foundation
import SaproCore

/// The `sapro` command and its REPL. The executable's `main.swift` only calls `Sapro.main()`;
/// everything else lives in this library so that tests can drive it in-process.
public struct Sapro: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "sapro",
        abstract: "Study and drill AWS SA Pro container networking.",
        discussion: "Without a command, sapro starts its interactive prompt (the REPL).",
        version: SaproCore.version,
        subcommands: [
            Drill.self, Quiz.self, Exam.self, Stats.self, ReportCommand.self, Undo.self,
            Topics.self, Read.self, Search.self, Calc.self, ContentGroup.self,
            FlagsCommand.self, SettingsCommand.self, SetCommand.self, Srs.self, ExportCommand.self, Dev.self,
        ]
    )

    @OptionGroup var data: DataOptions
    @OptionGroup var content: ContentOptions

    public init() {}

    /// Runs the command line (or the REPL) and exits.
    public static func main() {
        CharacterLocale.configure()
        // Past a file-size limit (ulimit -f) a write should fail with EFBIG, which is reported
        // like a full disk, instead of the signal ending sapro in the middle of saving.
        signal(SIGXFSZ, SIG_IGN)
        // An export interrupted by Ctrl-C, kill or a closed terminal leaves no temporary file.
        // (The interactive REPL takes SIGINT over for line editing; exports there finish.)
        OutputFile.prepareForSignals()
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for stop in [SIGINT, SIGTERM, SIGHUP] {
            let previous = signal(stop) { received in
                OutputFile.removeTemporaryFiles()
                signal(received, SIG_DFL)
                raise(received)
            }
            // A signal the launcher ignores (nohup) stays ignored; one it blocked (masks are
            // inherited) is let through, so Ctrl-C works.
            if unsafeBitCast(previous, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self) {
                signal(stop, SIG_IGN)
            } else {
                sigaddset(&unblock, stop)
            }
        }
        sigprocmask(SIG_UNBLOCK, &unblock, nil)
        main(HelpRequest.normalized(Array(CommandLine.arguments.dropFirst())))
    }

    public mutating func run() throws {
        let dataDir = data.resolve()
        let interactive = isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1
        let reader: LineReader =
            interactive
            ? EditLineReader(historyFile: dataDir.appendingPathComponent("history"), completions: Completion.candidates)
            : PlainLineReader()
        // The progress store is read while the content loads: they do not depend on each other,
        // and on a second core the snapshot costs nothing on the way to the first prompt.
        let early = EarlyStore(directory: dataDir)
        let (source, summarySalt) = try content.source(dataDirectory: dataDir)
        let app = try App(dataDirectory: dataDir, source: source, reader: reader)
        if let store = early.take() { app.adopt(store) }
        if let summarySalt { app.keepSummary(salt: summarySalt) }
        Completion.load(
            topicIDs: app.topicIDs, instanceTypes: app.instanceTypeNames,
            generators: Generators.all.map(\.id), blueprints: app.quizzes.blueprints.map(\.id))
        var repl = REPL(app: app)
        let status = repl.run()
        if status != 0 { throw ExitCode(status) }
    }
}
