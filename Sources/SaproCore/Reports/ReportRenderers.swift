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
        for (header, rows) in readinessTables(r) {
            out += ["", "| " + header.joined(separator: " | ") + " |", "|" + header.map { _ in "---|" }.joined()]
            out += rows.map { "| " + $0.joined(separator: " | ") + " |" }
        }
        for line in readinessNotes(r) { out += ["", line] }
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
/// The readiness estimate, calibration and plan as tables (header, rows), shared by the
/// Markdown and HTML reports.
func readinessTables(_ r: Report.Readiness) -> [([String], [[String]])] {
    var tables: [([String], [[String]])] = []
    if let estimate = r.estimate {
        tables.append(
            (
                [
                    "at the exam (\(estimate.examDate))", "pass probability", "expected correct of \(estimate.scored)",
                    "80% interval", "score (linear)",
                ],
                estimate.scenarios.map {
                    [
                        $0.name, percent($0.passProbability), String(format: "%.1f", $0.expectedCorrect),
                        "\($0.interval80[0])–\($0.interval80[1])", "\($0.expectedScore)",
                    ]
                }
            ))
        let main = estimate.scenarios.last!
        let rows = { (parts: [ReadinessEstimate.Part]) in
            parts.map {
                [
                    $0.id, "\($0.questions)", "\($0.itemsSeen)/\($0.items)", percent($0.mastery), percent($0.success),
                    String(format: "%.1f", $0.expectedCorrect),
                ]
            }
        }
        tables.append(
            (["topic (\(main.name))", "questions", "items seen", "mastery", "success", "expected correct"], rows(main.topics)))
        tables.append(
            (["domain (\(main.name))", "questions", "items seen", "mastery", "success", "expected correct"], rows(main.domains)))
    }
    if let c = r.calibration {
        tables.append(
            (
                ["predicted (mock exams)", "questions", "mean predicted", "observed"],
                c.reliability.map {
                    [String(format: "%.1f–%.1f", $0.from, $0.to), "\($0.questions)", percent($0.predicted), percent($0.observed)]
                }
            ))
    }
    return tables
}

/// Sentences about the estimate: coverage, assumptions, calibration and the plan.
func readinessNotes(_ r: Report.Readiness) -> [String] {
    var notes: [String] = []
    if let estimate = r.estimate {
        notes.append(
            "Blueprint coverage \(percent(estimate.coverage)) (share of topic weight with a studied item); passing needs \(estimate.passCorrect) of \(estimate.scored) on the linear scale. Unseen items count as unknown."
        )
        notes += estimate.assumptions.map { "Assumption: " + $0 }
    }
    if let c = r.calibration {
        var line = String(
            format:
                "Calibration on %d mock exam%@ (%d questions): log loss %.3f, Brier %.3f, mean predicted %.0f%% against %.0f%% right.",
            c.exams, c.exams == 1 ? "" : "s", c.questions, c.logLoss, c.brier, c.meanPredicted * 100, c.observed * 100)
        if let held = c.heldOutLogLoss, let a = held["identity"], let b = held["recalibrated"] {
            line += String(format: " Held out exam by exam: log loss %.3f as predicted, %.3f recalibrated", a, b)
            line +=
                c.adopted
                ? String(format: ", so the estimate uses α = %.2f, β = %.2f.", c.fitted.alpha, c.fitted.beta)
                : ", so the estimate is not adjusted."
        } else {
            line += " Recalibration needs two exams."
        }
        notes.append(line)
    } else if r.estimate != nil {
        notes.append(
            "No mock exam with frozen predictions yet: each exam started from now on records them, and later reports compare.")
    }
    if let plan = r.plan {
        notes.append(
            "Plan: \(plan.daysLeft) days to \(plan.examDate), \(plan.unseen) items still new (\(plan.newPerDay) a day), every item seen again from \(plan.stretchStart); the busiest day needs about \(Int((plan.days.map(\.minutes).max() ?? 0).rounded(.up))) minutes at \(Int(plan.secondsPerReview.rounded())) s an answer."
        )
        notes += plan.advice
    }
    return notes
}

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
