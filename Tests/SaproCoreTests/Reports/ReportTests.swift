import Foundation
import Testing
@testable import SaproCore

/// Four months of simulated study over a fixed set of items: the same on every run and machine.
private let fixture: (report: Report, reviews: [ReviewRecord<StudyCard>]) = {
    let topics = [
        "amazon-ecs-networking/network-modes/host-mode", "amazon-eks-networking/vpc-cni-plugin",
        "gateway-load-balancer-inspection-vpc-pattern", "operational-considerations/troubleshooting",
    ]
    var items: [StudyItem] = (0..<60).map { i in
        StudyItem(
            question: Question(
                id: "card-\(i)", source: .card(id: "card-\(i)"), prompt: "p", body: .recall(answer: "a"),
                explanation: [], topics: [topics[i % topics.count]]))
    }
    items += Generators.all.prefix(3).map(StudyItem.init(generator:))
    var settings = Settings()
    settings.fuzz = false
    let scheduler = try! StudyScheduler(settings: settings)
    let start = ISOTime.parse("2026-01-05T00:00:00Z")!
    let now = ISOTime.parse("2026-05-01T12:00:00Z")!
    let output = HistorySimulator(items: items, scheduler: scheduler, start: start, newPerDay: 6, seed: 42).run(days: 115)
    let blueprint = QuizLoader.load(directory: Repo.quizzes, knownTopics: Set(Repo.shipped.library.topicIDs)).blueprint(
        "container-networking")
    let report = ReportBuilder(
        reviews: output.reviews, cards: output.cards, sessions: output.sessions,
        cardTopics: Dictionary(uniqueKeysWithValues: items.map { ($0.id, $0.topics) }),
        due: \.due, retrievability: { scheduler.retrievability($0, at: $1) }, blueprint: blueprint
    )
    .build(now: now)
    return (report, output.reviews)
}()

/// Compares with a golden file; `SAPRO_UPDATE_GOLDEN=1 swift test` rewrites them after a deliberate change.
private func checkGolden(_ text: String, _ name: String) throws {
    let url = Repo.fixture("golden/\(name)")
    if ProcessInfo.processInfo.environment["SAPRO_UPDATE_GOLDEN"] == "1" {
        try Data(text.utf8).write(to: url)
        return
    }
    let expected = try String(contentsOf: url, encoding: .utf8)
    #expect(text == expected, "\(name) differs from its golden file; rerun with SAPRO_UPDATE_GOLDEN=1 if intended")
}

@Test func theMarkdownReportMatchesItsGoldenFile() throws {
    try checkGolden(MarkdownReport.render(fixture.report), "report.md")
}

@Test func theCSVReportHasOneRowPerReviewAndMatchesItsGoldenFile() throws {
    let csv = CSVReport.render(fixture.reviews)
    #expect(csv.split(separator: "\n").count == fixture.reviews.count + 1)
    try checkGolden(csv, "report.csv")
}

@Test func theJSONReportCarriesItsSchemaVersionAndMatchesItsGoldenFile() throws {
    let json = JSONReport.render(fixture.report)
    let decoded = try JSONDecoder().decode(Report.self, from: Data(json.utf8))
    #expect(decoded == fixture.report)
    #expect(json.contains("\"schemaVersion\" : 1"))
    try checkGolden(json, "report.json")
}

@Test func theSimulatedHistoryLooksLikeStudy() {
    let r = fixture.report
    #expect(r.totals.reviews == fixture.reviews.count)
    #expect(r.totals.days > 80 && r.totals.days < 115, "some days off")
    #expect(r.exams.count >= 4)
    #expect(r.retention.contains { ($0.retention ?? 0) > 0.7 && $0.reviews > 20 })
    #expect(r.forecast.count == 30 && r.forecast.reduce(0) { $0 + $1.due } > 0)
    #expect(!r.misconceptions.isEmpty && !r.generators.isEmpty)
    #expect(r.readiness.expectedScore != nil)
    #expect(r.readiness.method.contains("Laplace"))
}

@Test func theHTMLReportIsOneSelfContainedPageWithCharts() throws {
    let html = HTMLReport.render(fixture.report)
    #expect(html.hasPrefix("<!DOCTYPE html>"))
    #expect(html.components(separatedBy: "<svg").count - 1 == 6, "gauge, topics, heatmap, forecast, retention, exams")
    #expect(html.components(separatedBy: "<svg").count == html.components(separatedBy: "</svg>").count)
    #expect(html.components(separatedBy: "<section>").count == html.components(separatedBy: "</section>").count)
    #expect(html.components(separatedBy: "<table>").count == html.components(separatedBy: "</table>").count)
    #expect(!html.contains("<script"), "no scripts")
    #expect(!html.contains("src=\"http") && !html.contains("href=\"http"), "nothing fetched")
    for heading in [
        "Summary", "Exam readiness", "Topic mastery", "Reviews per day", "Due in the next 30 days",
        "True retention by interval", "Accuracy by generator", "Misconceptions picked", "Mock exams",
    ] {
        #expect(html.contains("<h2>\(heading)</h2>"), "\(heading)")
    }
}

@Test func textIsEscapedInHTMLAndDefusedInCSV() {
    #expect(HTMLReport.e("<b>&\"'") == "&lt;b&gt;&amp;&quot;&#39;")
    #expect(CSVReport.escape("a,b") == "\"a,b\"")
    #expect(CSVReport.escape("say \"hi\"") == "\"say \"\"hi\"\"\"")
    #expect(CSVReport.escape("=SUM(A1)") == "'=SUM(A1)")
    #expect(CSVReport.escape("-3") == "-3")
}

@Test func anEmptyHistoryGivesAReportThatSaysSo() {
    let builder = ReportBuilder<StudyCard>(
        reviews: [], cards: [:], sessions: [], cardTopics: [:], due: \.due,
        retrievability: { _, _ in 1 }, blueprint: nil)
    let report = builder.build(now: Date(timeIntervalSince1970: 0))
    #expect(report.isEmpty)
    #expect(MarkdownReport.render(report).contains("No reviews yet"))
    #expect(HTMLReport.render(report).contains("No reviews yet"))
    #expect(CSVReport.render([ReviewRecord<StudyCard>]()) == CSVReport.header + "\n")
}
