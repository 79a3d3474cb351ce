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
    let dataDirectory: URL
    private let source: ContentSource
    var settings: Settings
    let reader: LineReader
    let color: Bool
    let width: Int
    let storage = AppStorage()

    convenience init(dataDirectory: URL, content: ContentLoader.Loaded, reader: LineReader) throws {
        try self.init(dataDirectory: dataDirectory, source: .loaded(content), reader: reader)
    }

    init(dataDirectory: URL, source: ContentSource, reader: LineReader) throws {
        self.dataDirectory = dataDirectory
        self.source = source
        self.reader = reader
        self.color = Terminal.colorEnabled()
        self.width = Terminal.width()
        if let problem = FileKind.problem(directory: dataDirectory.path) {
            throw fail("the data directory cannot be used: \(problem), or give another with --data-dir")
        }
        do {
            try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        } catch {
            throw fail("cannot create the data directory \(dataDirectory.path): \(error.localizedDescription)")
        }
        let (settings, problem) = Settings.loadOrDefaults(from: dataDirectory)
        self.settings = settings
        self.settingsProblem = problem
        if let problem {
            Terminal.warn(
                "warning: \(problem.plainDescription); using the default settings for this run. "
                    + "sapro leaves the file as it is: fix it, or delete it to start from the defaults.")
        }
    }

    /// Why `settings.json` could not be used (this run then uses the defaults, and `set` refuses
    /// to replace the file).
    let settingsProblem: ProgressError?

    /// A new app for a command run on its own.
    static func make(data: DataOptions, content: ContentOptions) throws -> App {
        let reader: LineReader =
            isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1
            ? EditLineReader(historyFile: data.resolve().appendingPathComponent("history"), completions: { _, _ in [] })
            : PlainLineReader()
        return try App(dataDirectory: data.resolve(), content: try content.load(in: RunContext()), reader: reader)
    }

    var style: TerminalStyle { TerminalStyle(enabled: color) }

    /// The content library, facts and problems (waits for them while they are still loading).
    var content: ContentLoader.Loaded {
        switch source {
        case .loaded(let loaded): return loaded
        case .loading(let loading, _): return loading.value
        }
    }

    /// The summary the app goes on while the content loads, until the cards are made.
    var pendingSummary: ContentSummary? {
        guard case .loading(_, let summary) = source, storage.cards == nil else { return nil }
        return summary
    }

    /// Every topic id, without waiting for the content when its summary is at hand.
    var topicIDs: [String] { pendingSummary?.topicIDs ?? content.library.topicIDs }

    /// Every instance type's name, without waiting for the content when its summary is at hand.
    var instanceTypeNames: [String] { pendingSummary?.instanceTypes ?? content.catalog.types.map(\.name) }
}

/// Where an app's content comes from: loaded already, or loading on another thread with the
/// summary of the same files kept from an earlier run.
enum ContentSource {
    case loaded(ContentLoader.Loaded)
    case loading(Background<ContentLoader.Loaded>, ContentSummary)
}

/// What a command runs with: inside the REPL, the REPL's app (its content, settings, progress
/// and line reader); on its own, nothing, and the command makes an app of its own.
struct RunContext {
    var repl: App?

    /// The REPL's app (where options given to the REPL itself win), or a new one.
    func app(data: DataOptions, content: ContentOptions) throws -> App {
        guard let repl else { return try App.make(data: data, content: content) }
        if let asked = data.dataDir, URL(fileURLWithPath: asked).standardizedFileURL != repl.dataDirectory.standardizedFileURL {
            Terminal.warn(
                "note: inside the REPL progress stays in \(repl.dataDirectory.path); --data-dir \(asked.clipped()) is ignored")
        }
        if !content.extraContent.isEmpty {
            Terminal.warn(
                "note: inside the REPL the content is the one the REPL started with; --content is ignored (start it with sapro --content DIR)"
            )
        }
        return repl
    }
}

/// A command that uses the app: the REPL runs it with its own app, the command line with a new one.
protocol SaproCommand: ParsableCommand {
    func run(in context: RunContext) throws
}

extension SaproCommand {
    func run() throws { try run(in: RunContext()) }
}

/// Study state, opened on first use.
extension App {
    /// The progress store, opened once per app. A store that cannot be opened stops the command
    /// with its message; nothing is written.
    func openStore() throws -> ProgressStore<StudyCard> {
        if let store = storage.store { return store }
        do {
            let store = try ProgressStore<StudyCard>(directory: dataDirectory)
            storage.storeFailure = nil
            adopt(store)
            return store
        } catch {
            // Said once: the prompt and each later command try again, quietly while nothing changed.
            let message = error.errorDescription ?? "\(error)"
            if message == storage.storeFailure { throw fail("your progress cannot be opened (the reason is above)") }
            storage.storeFailure = message
            throw fail(message)
        }
    }

    /// Keeps an opened store, saying once what opening it repaired.
    func adopt(_ store: ProgressStore<StudyCard>) {
        storage.store = store
        sayNotices()
    }

    /// Says, once, what the store noticed (a repair at opening, a damaged backup kept aside).
    func sayNotices() {
        guard let store = storage.store else { return }
        for notice in store.takeNotices() { Terminal.warn("note: \(notice)") }
    }

    var quizzes: QuizCatalog {
        if let quizzes = storage.quizzes { return quizzes }
        let loaded =
            Resources.quizzesDirectory().map {
                QuizLoader.load(directory: $0, knownTopics: Set(topicIDs))
            } ?? QuizCatalog()
        storage.quizzes = loaded
        return loaded
    }

    var cards: [Question] {
        if let cards = storage.cards { return cards }
        let made = ContentCards.make(from: content.library)
        if case .loading(_, let summary) = source, let salt = storage.summarySalt {
            // Kept under the key of what was read, which a note edited since the start changes.
            let key = ContentLoader.key(salt: salt, digest: content.digest)
            let fresh = ContentSummary(key: key, loaded: content, cardIDs: made.map(\.id))
            if fresh != summary { try? fresh.save(to: dataDirectory) }
        }
        storage.cards = made
        return made
    }

    /// Keeps the summary of loaded content, under its key with `salt`, so the next start need
    /// not wait for it (content still loading is summed up again when its cards are made, if it
    /// differs). A summary that cannot be written costs only that wait.
    func keepSummary(salt: String) {
        storage.summarySalt = salt
        guard case .loaded(let loaded) = source else { return }
        let key = ContentLoader.key(salt: salt, digest: loaded.digest)
        try? ContentSummary(key: key, loaded: loaded, cardIDs: cards.map(\.id)).save(to: dataDirectory)
    }

    /// The ids of every study item (in no set order), without waiting for the content when its
    /// summary is at hand: what the prompt and the exam plan count.
    var studyItemIDs: [String] {
        if let summary = pendingSummary {
            return summary.cardIDs + quizzes.questions.map(\.id) + Generators.all.map { StudyItem(generator: $0).id }
        }
        return studyItems.map(\.id)
    }

    /// The studied items a drill can ask now: progress on items that are not loaded (a note left
    /// out of `--content`, a heading renamed) is kept in the files but neither due nor planned.
    func studiedItems(_ store: ProgressStore<StudyCard>) -> [String: StudyCard] {
        let current = Set(studyItemIDs)
        return store.cards.filter { current.contains($0.key) }
    }

    /// Everything a drill may schedule: content cards, bank questions and generator skills.
    /// The sources alternate (card, bank question, skill, …) so new material mixes kinds.
    var studyItems: [StudyItem] {
        if let items = storage.items { return items }
        let sources = [
            cards.map(StudyItem.init(question:)), quizzes.questions.map(StudyItem.init(question:)),
            Generators.all.map(StudyItem.init(generator:)),
        ]
        var items: [StudyItem] = []
        for i in 0..<(sources.map(\.count).max() ?? 0) {
            for source in sources where i < source.count { items.append(source[i]) }
        }
        storage.items = items
        return items
    }

    /// Topics of every study item, for reports.
    var itemTopics: [String: [String]] {
        Dictionary(studyItems.map { ($0.id, $0.topics) }, uniquingKeysWith: { a, _ in a })
    }

    func scheduler() throws -> StudyScheduler {
        try reporting { try StudyScheduler(settings: settings, deadline: deadline(now: Date())) }
    }

    /// The start (local midnight) of `day` (`YYYY-MM-DD`).
    func startOfDay(_ day: String) -> Date? {
        guard let utc = ISOTime.parse(day + "T00:00:00Z") else { return nil }
        return utc.addingTimeInterval(-Double(TimeZone.current.secondsFromGMT(for: utc)))
    }

    /// The exam-date rules while an exam date is set and still ahead.
    func deadline(now: Date, examDate: String? = nil) -> ExamDeadline? {
        guard let day = examDate ?? settings.examDate, let exam = startOfDay(day), exam > now else { return nil }
        let daysLeft = Int((exam.timeIntervalSince(now) / 86_400).rounded(.up))
        return ExamDeadline.planned(
            exam: exam, daysLeft: daysLeft, items: studyItemIDs.count, buffer: settings.examBufferDays,
            target: settings.desiredRetention)
    }

    /// Seconds an answer takes in a drill, measured over the drill sessions (20 s before any).
    func secondsPerReview(_ store: ProgressStore<StudyCard>) -> Double {
        var seconds = 0.0, answers = 0
        for session in store.sessions where session.mode == .drill {
            guard let ended = session.ended, session.answered > 0 else { continue }
            seconds += max(0, ended.timeIntervalSince(session.started))
            answers += session.answered
        }
        return answers >= 20 && seconds > 0 ? seconds / Double(answers) : 20
    }

    /// The plan to the exam date, when one is set and ahead.
    func examPlan(_ store: ProgressStore<StudyCard>, now: Date, examDate: String? = nil) -> (
        plan: ExamPlan, deadline: ExamDeadline
    )? {
        guard let deadline = deadline(now: now, examDate: examDate) else { return nil }
        let unseen = studyItemIDs.filter { store.cards[$0] == nil }.count
        let plan = ExamPlan.make(
            today: now, exam: deadline.exam, stretchDays: settings.examBufferDays, unseen: unseen,
            due: studiedItems(store).values.map(\.due), secondsPerReview: secondsPerReview(store),
            dailyMinutes: settings.dailyMinutes, learningSteps: settings.learningSteps.count, day: { self.day($0) },
            finalStretch: deadline.stretchDays)
        return (plan, deadline)
    }

    /// How many new items a drill may still introduce today: the exam plan's pace when an exam
    /// date is set, else the new-cards-per-day setting.
    func newAllowance(_ store: ProgressStore<StudyCard>, now: Date) -> Int {
        let today = day(now)
        let introduced = store.cards.values.filter { $0.introduced == today }.count
        let perDay = examPlan(store, now: now)?.plan.newPerDay ?? settings.newCardsPerDay
        return max(0, min(perDay - introduced, studyItemIDs.count - studiedItems(store).count))
    }

    /// Every study item with its memory now, for readiness.
    func readinessItems(_ store: ProgressStore<StudyCard>) -> [ReadinessItem] {
        studyItems.map { item in
            let card = store.cards[item.id]
            let domain: ExamDomain?
            switch item.kind {
            case .question(let q): domain = q.domain
            case .skill(let generator): domain = Generators.domain(of: generator)
            }
            return ReadinessItem(
                id: item.id, topics: item.topics, domain: domain, memory: card?.fsrs.memory, lastReview: card?.fsrs.lastReview)
        }
    }

    /// The frozen predictions and results of every submitted mock exam that has them, oldest first.
    func mockPredictions() -> [[PredictedOutcome]] {
        ExamFiles.submitted(in: dataDirectory).sessions.sorted { $0.started < $1.started }.map(\.predictedOutcomes)
            .filter { !$0.isEmpty }
    }

    /// Items not yet due to review now as well, so that the days before the exam carry even loads.
    func workAhead(_ store: ProgressStore<StudyCard>, now: Date) -> Set<String> {
        guard let deadline = deadline(now: now) else { return [] }
        return Set(
            ExamPlan.balance(
                due: studiedItems(store).mapValues(\.due), now: now,
                days: DayConvention(utcOffsetSeconds: TimeZone.current.secondsFromGMT(for: now)), before: deadline.exam,
                newToday: newAllowance(store, now: now) * ExamPlan.firstDayReviews(learningSteps: settings.learningSteps.count)))
    }

    /// The user's calendar day for `date`, in the local time zone.
    func day(_ date: Date) -> String {
        ISOTime.day(date.addingTimeInterval(Double(TimeZone.current.secondsFromGMT(for: date))))
    }

    /// A fresh random seed from the system (only the executable draws randomness itself).
    static func randomSeed() -> UInt64 { UInt64.random(in: 1...UInt64(1 << 53)) }

    /// Resolves a topic argument (an id or its last part) to a full topic id.
    func topicID(_ text: String?) throws -> String? {
        guard let text else { return nil }
        return try reporting { try content.library.resolve(text).id }
    }

    /// The topic and every topic under it (a document's title topic covers the whole document).
    func topicScope(_ id: String) -> Set<String> {
        Set(content.library.subtree(id).map(\.id))
    }
}

/// A progress store opened on another thread. A store that fails to open is dropped: the app
/// opens it again when needed and reports the error then, with the usual message.
struct EarlyStore {
    /// The store crosses to this thread once, when the opening thread is done with it.
    private struct Opened: @unchecked Sendable { var store: ProgressStore<StudyCard>? }
    private let opening: Background<Opened>

    init(directory: URL) {
        opening = Background { Opened(store: try? ProgressStore<StudyCard>(directory: directory)) }
    }

    /// Waits for the store; nil when it could not be opened.
    func take() -> ProgressStore<StudyCard>? { opening.value.store }
}

/// Lazily loaded parts of an `App`.
final class AppStorage {
    var store: ProgressStore<StudyCard>?
    /// The message of the last failed attempt to open the store.
    var storeFailure: String?
    var quizzes: QuizCatalog?
    var cards: [Question]?
    var items: [StudyItem]?
    /// The salt of the content summary's key, when the app keeps one.
    var summarySalt: String?
}
