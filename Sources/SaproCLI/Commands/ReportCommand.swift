import ArgumentParser
import Foundation
import SaproCore

struct ReportCommand: SaproCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Progress report as Markdown, HTML (with charts), CSV (one row per review) or JSON.")

    @Option(help: "The report's format.") var format: ReportFormat = .md
    @Option(help: "Write to FILE instead of standard output.") var out: String?
    @Option(help: "Only reviews from this day on (YYYY-MM-DD).") var since: String?
    @Option(help: "Measure readiness against this blueprint.") var blueprint = "container-networking"
    @Option(help: "Predict readiness at this exam day (YYYY-MM-DD) instead of the exam-date setting.") var examDate: String?
    @OptionGroup var data: DataOptions
    @OptionGroup var content: ContentOptions

    func validate() throws {
        if let since, ISOTime.parse(since + "T00:00:00Z") == nil {
            throw ValidationError("--since must be a date like 2026-01-31, not '\(since)'")
        }
        if let examDate, examDate.count != 10 || ISOTime.parse(examDate + "T00:00:00Z") == nil {
            throw ValidationError("--exam-date must be a day like 2027-03-15, not '\(examDate.clipped())'")
        }
    }

    func run(in context: RunContext) throws {
        let app = try context.app(data: data, content: content)
        let store = try app.openStore()
        let scheduler = try app.scheduler()
        let now = Date()
        let text: String
        let count: Int
        switch format {
        case .csv:
            let reviews = try reporting { try store.reviewLog() }
            count = reviews.count
            text = CSVReport.render(since.map { s in reviews.filter { $0.day >= s } } ?? reviews)
        case let other:
            // The other formats need only the compact log, which reads far faster.
            let log = try reporting { try store.compactReviewLog() }
            count = log.count
            var builder = ReportBuilder(
                log: log, cards: app.studiedItems(store), sessions: store.sessions, cardTopics: app.itemTopics,
                due: \.due, retrievability: { scheduler.retrievability($0, at: $1) },
                blueprint: app.quizzes.blueprint(blueprint), utcOffset: TimeZone.current.secondsFromGMT(for: now))
            builder.weights = app.settings.weights
            builder.weightsName =
                app.settings.fittedParameters.map { $0.fitted.map { "fitted (\($0))" } ?? "hand-set" } ?? "default"
            builder.readinessItems = app.readinessItems(store)
            builder.mockPredictions = app.mockPredictions()
            if let (plan, deadline) = app.examPlan(store, now: now, examDate: examDate) {
                builder.examDate = deadline.exam
                builder.stretchDays = deadline.stretchDays
                builder.plan = plan
            }
            let report = builder.build(now: now, since: since)
            switch other {
            case .md: text = MarkdownReport.render(report)
            case .html: text = HTMLReport.render(report)
            default: text = JSONReport.render(report)
            }
        }
        if let out {
            try reporting { try AtomicFile.write(Data(text.utf8), to: URL(fileURLWithPath: out)) }
            print("Wrote \(out) (\(format.rawValue), \(count) reviews).")
        } else {
            print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
        }
    }
}

// The format names are `ReportFormat`'s cases: help, validation and completion all come from them.
extension ReportFormat: ExpressibleByArgument {}
