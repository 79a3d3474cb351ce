import Foundation

/// Report formats.
public enum ReportFormat: String, Sendable, CaseIterable {
    case md, html, csv, json
}

func percent(_ value: Double?) -> String {
    guard let value else { return "–" }
    return String(format: "%.0f%%", value * 100)
}

/// Renders a report as Markdown that reads well on GitHub.
public enum MarkdownReport {
    public static func render(_ report: Report) -> String {
        var out = ["# sapro progress report", ""]
        out.append("Generated \(report.generated)\(report.since.map { ", reviews since \($0)" } ?? "").")
        out.append("")
        if report.isEmpty {
            out.append("No reviews yet: start a drill with `sapro` and `drill`, then come back for a report.")
            out.append("")
            return out.joined(separator: "\n")
        }
        let t = report.totals
        out += [
            "## Summary", "",
            "| reviews | correct | accuracy | cards studied | due now | study days | current streak |",
            "|---:|---:|---:|---:|---:|---:|---:|",
            "| \(t.reviews) | \(t.correct) | \(percent(t.accuracy)) | \(t.cardsStudied) | \(t.dueNow) | \(t.days) | \(t.currentStreak) |",
            "",
        ]
        let r = report.readiness
        out += ["## Exam readiness", ""]
        if let score = r.expectedScore {
            out.append(
                "**Expected score \(score)** against a pass mark of \(r.passMark): \(r.verdict). Topic coverage \(percent(r.coverage))."
            )
        } else {
            out.append("\(r.verdict.prefix(1).uppercased() + r.verdict.dropFirst()).")
        }
        out += ["", "_How it is computed:_ \(r.method)", ""]
        out += ["## Topics", "", "| topic | mastery | cards | reviews | accuracy |", "|---|---:|---:|---:|---:|"]
        for row in report.topics {
            out.append(
                "| `\(row.topic)` | \(percent(row.mastery)) | \(row.cardsStudied) | \(row.reviews) | \(percent(row.accuracy)) |")
        }
        out += [
            "", "## True retention by interval", "", "| since previous review | reviews | recalled | observed | predicted |",
            "|---|---:|---:|---:|---:|",
        ]
        for band in report.retention {
            out.append(
                "| \(band.band) | \(band.reviews) | \(band.recalled) | \(percent(band.retention)) | \(percent(band.predicted)) |")
        }
        if report.retention.isEmpty { out.append("| – | 0 | 0 | – | – |") }
        out += ["", modelFitSentence(report.modelFit)]
        out += ["", "## Reviews per day", ""]
        out.append("```")
        out += heatmapText(report.daily)
        out.append("```")
        out += ["", "## Due in the next 30 days", "", "| day | due |", "|---|---:|"]
        for day in report.forecast where day.due > 0 { out.append("| \(day.day) | \(day.due) |") }
        if report.forecast.allSatisfy({ $0.due == 0 }) { out.append("| – | 0 |") }
        out += ["", "## Accuracy by generator", "", "| generator | reviews | accuracy |", "|---|---:|---:|"]
        for row in report.generators { out.append("| `\(row.id)` | \(row.reviews) | \(percent(row.accuracy)) |") }
        out += ["", "## Misconceptions picked", "", "| misconception | times |", "|---|---:|"]
        for row in report.misconceptions { out.append("| `\(row.id)` | \(row.count) |") }
        if report.misconceptions.isEmpty { out.append("| none | 0 |") }
        out += [
            "", "## Mock exams", "", "| date | blueprint | correct | score | pass line | result |",
            "|---|---|---:|---:|---:|---|",
        ]
        for exam in report.exams {
            out.append(
                "| \(exam.date) | \(exam.blueprint ?? "–") | \(exam.correct)/\(exam.total) | \(exam.score.map(String.init) ?? "–") | \(report.readiness.passMark) | \(exam.passed == true ? "pass" : "fail") |"
            )
        }
        if report.exams.isEmpty { out.append("| – | – | – | – | \(report.readiness.passMark) | no exams yet |") }
        out.append("")
        return out.joined(separator: "\n")
    }

    /// A text calendar of the last 12 weeks: one row per weekday, one column per week.
    static func heatmapText(_ daily: [Report.DayCount]) -> [String] {
        guard let last = daily.last?.day, let end = ISOTime.parse(last + "T00:00:00Z") else { return ["(no reviews)"] }
        let counts = Dictionary(uniqueKeysWithValues: daily.map { ($0.day, $0.reviews) })
        let maximum = max(1, daily.map(\.reviews).max() ?? 1)
        let shades: [Character] = [" ", "░", "▒", "▓", "█"]
        let weeks = 12
        let endWeekday = Int((end.timeIntervalSince1970 / 86_400 + 3).rounded(.down)) % 7  // 0 = Monday
        let start = end.addingTimeInterval(Double(-(weeks - 1) * 7 - endWeekday) * 86_400)
        var rows = Array(repeating: "", count: 7)
        for week in 0..<weeks {
            for weekday in 0..<7 {
                let date = start.addingTimeInterval(Double(week * 7 + weekday) * 86_400)
                let n = date > end ? 0 : counts[ISOTime.day(date)] ?? 0
                let level = n == 0 ? 0 : 1 + min(3, (n * 4 - 1) / maximum)
                rows[weekday].append(shades[level])
            }
        }
        let names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        return zip(names, rows).map { "\($0) \($1)" } + ["    12 weeks to \(last); darker = more reviews (max \(maximum)/day)"]
    }
}

/// One row per review, for spreadsheets.
public enum CSVReport {
    public static let header = "time,day,card,mode,rating,correct,answer,response_ms,session,topics,generator,misconception"

    public static func render<State>(_ reviews: [ReviewRecord<State>]) -> String {
        var out = header + "\n"
        for r in reviews {
            let fields: [String] = [
                ISOTime.format(r.time), r.day, r.card, r.mode.rawValue, String(r.rating),
                r.correct.map { $0 ? "true" : "false" } ?? "", r.answer,
                r.responseMilliseconds.map(String.init) ?? "", r.session, r.topics.joined(separator: ";"),
                r.generator ?? "", r.misconception ?? "",
            ]
            out += fields.map(escape).joined(separator: ",") + "\n"
        }
        return out
    }

    /// Quotes a field when it holds a comma, quote or line break (RFC 4180), and defuses
    /// spreadsheet formulas.
    static func escape(_ field: String) -> String {
        var value = field
        if let first = value.first, "=+-@".contains(first), Double(value) == nil { value = "'" + value }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// The full report as JSON with its schema version.
/// The model-fit line under the retention table, shared by the Markdown and HTML reports.
func modelFitSentence(_ fit: Report.ModelFit?) -> String {
    guard let fit else {
        return "Predicted recall comes from FSRS-6; it is scored once a card has been reviewed again on a later day."
    }
    return "Predicted is FSRS-6's recall with the \(fit.parameters) parameters, in the interval bins of RMSE(bins): "
        + String(format: "log loss %.4f, RMSE(bins) %.4f over %d reviews", fit.logLoss, fit.rmseBins, fit.items)
        + " (\(fit.days); same-day reviews are not scored). sapro srs optimize fits the parameters to your reviews."
}

public enum JSONReport {
    public static func render(_ report: Report) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(report)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
