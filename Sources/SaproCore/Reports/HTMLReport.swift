import Foundation

/// The report as one self-contained HTML page with inline SVG charts (no scripts, no fetches).
public enum HTMLReport {
    public static func render(_ report: Report) -> String {
        var body: [String] = []
        body.append("<h1>sapro progress report</h1>")
        body.append(
            "<p class=\"meta\">Generated \(e(report.generated))\(report.since.map { ", reviews since \(e($0))" } ?? "").</p>")
        if report.isEmpty {
            body.append(
                "<p class=\"empty\">No reviews yet: start a drill with <code>sapro</code> and <code>drill</code>, then come back for a report.</p>"
            )
            return page(body)
        }
        let t = report.totals
        body.append("<section><h2>Summary</h2><div class=\"tiles\">")
        for (label, value) in [
            ("reviews", "\(t.reviews)"), ("accuracy", percent(t.accuracy)), ("cards studied", "\(t.cardsStudied)"),
            ("due now", "\(t.dueNow)"), ("study days", "\(t.days)"), ("streak", "\(t.currentStreak) d"),
        ] {
            body.append("<div class=\"tile\"><div class=\"v\">\(e(value))</div><div class=\"l\">\(e(label))</div></div>")
        }
        body.append("</div></section>")
        let r = report.readiness
        body.append("<section><h2>Exam readiness</h2>")
        if let score = r.expectedScore {
            body.append(
                "<p class=\"ready\"><strong>Expected score \(score)</strong> against a pass mark of \(r.passMark): \(e(r.verdict)). Topic coverage \(percent(r.coverage)).</p>"
            )
            body.append(gauge(score: score, pass: r.passMark))
        } else {
            body.append("<p class=\"ready\">\(e(r.verdict))</p>")
        }
        for (header, rows) in readinessTables(r) { body.append(table(header, rows)) }
        if let c = r.calibration { body.append(reliabilityChart(c)) }
        for line in readinessNotes(r) { body.append("<p>\(e(line))</p>") }
        body.append("<p class=\"method\"><em>How it is computed:</em> \(e(r.method))</p></section>")
        body.append("<section><h2>Topic mastery</h2>\(topicBars(report.topics))")
        body.append(
            table(
                ["topic", "mastery", "cards", "reviews", "accuracy"],
                report.topics.map {
                    [$0.topic, percent($0.mastery), "\($0.cardsStudied)", "\($0.reviews)", percent($0.accuracy)]
                }) + "</section>")
        body.append("<section><h2>Reviews per day</h2>\(heatmap(report.daily))</section>")
        body.append("<section><h2>Due in the next 30 days</h2>\(forecastBars(report.forecast))</section>")
        body.append("<section><h2>True retention by interval</h2>\(retentionBars(report.retention))")
        body.append(
            table(
                ["since previous review", "reviews", "recalled", "observed", "predicted"],
                report.retention.map {
                    [$0.band, "\($0.reviews)", "\($0.recalled)", percent($0.retention), percent($0.predicted)]
                }) + "<p>\(e(modelFitSentence(report.modelFit)))</p></section>")
        body.append(
            "<section><h2>Accuracy by generator</h2>"
                + table(
                    ["generator", "reviews", "accuracy"],
                    report.generators.map {
                        [$0.id, "\($0.reviews)", percent($0.accuracy)]
                    }) + "</section>")
        body.append(
            "<section><h2>Misconceptions picked</h2>"
                + table(
                    ["misconception", "times"],
                    report.misconceptions.map {
                        [$0.id, "\($0.count)"]
                    }) + "</section>")
        body.append("<section><h2>Mock exams</h2>\(examChart(report.exams, pass: report.readiness.passMark))")
        body.append(
            table(
                ["date", "blueprint", "correct", "score", "result"],
                report.exams.map {
                    [
                        $0.date, $0.blueprint ?? "–", "\($0.correct)/\($0.total)", $0.score.map(String.init) ?? "–",
                        $0.passed == true ? "pass" : "fail",
                    ]
                }) + "</section>")
        return page(body)
    }

    static func e(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }

    static func page(_ body: [String]) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>sapro progress report</title>
        <style>
        body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:2rem auto;max-width:980px;padding:0 1rem;color:#1f2328;background:#fff}
        h1{font-size:1.7rem;margin-bottom:.2rem}h2{font-size:1.2rem;border-bottom:1px solid #d0d7de;padding-bottom:.3rem;margin-top:2rem}
        .meta,.method{color:#57606a;font-size:.9rem}.empty{font-size:1.1rem}
        .tiles{display:flex;flex-wrap:wrap;gap:.8rem}.tile{border:1px solid #d0d7de;border-radius:8px;padding:.6rem 1rem;min-width:110px}
        .tile .v{font-size:1.4rem;font-weight:600}.tile .l{color:#57606a;font-size:.85rem}
        table{border-collapse:collapse;margin:.8rem 0;font-size:.9rem}th,td{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:left}
        td.n,th.n{text-align:right}th{background:#f6f8fa}svg{max-width:100%;height:auto}
        svg text{font-family:inherit;font-size:11px;fill:#57606a}
        </style>
        </head>
        <body>
        \(body.joined(separator: "\n"))
        </body>
        </html>

        """
    }

    static func table(_ header: [String], _ rows: [[String]]) -> String {
        guard !rows.isEmpty else { return "<p class=\"meta\">None yet.</p>" }
        func numeric(_ s: String) -> Bool { s.first.map { $0.isNumber || $0 == "–" } ?? false }
        var out = "<table><thead><tr>" + header.map { "<th>\(e($0))</th>" }.joined() + "</tr></thead><tbody>"
        for row in rows {
            out +=
                "<tr>"
                + row.enumerated().map { i, cell in
                    i > 0 && numeric(cell) ? "<td class=\"n\">\(e(cell))</td>" : "<td>\(e(cell))</td>"
                }.joined() + "</tr>"
        }
        return out + "</tbody></table>"
    }

    static func fmt(_ v: Double) -> String { String(format: "%.1f", v) }

    static func gauge(score: Int, pass: Int) -> String {
        let width = 600.0, x = { (s: Int) in 20 + (Double(s - 100) / 900) * (width - 40) }
        return """
            <svg role="img" aria-label="Expected score \(score) of 1000, pass mark \(pass)" viewBox="0 0 \(Int(width)) 50" width="\(Int(width))" height="50">
            <rect x="20" y="15" width="\(fmt(width - 40))" height="14" rx="7" fill="#eaeef2"/>
            <rect x="20" y="15" width="\(fmt(x(score) - 20))" height="14" rx="7" fill="\(score >= pass ? "#2da44e" : "#d4a72c")"/>
            <line x1="\(fmt(x(pass)))" y1="8" x2="\(fmt(x(pass)))" y2="36" stroke="#cf222e" stroke-width="2"/>
            <text x="\(fmt(x(pass)))" y="47" text-anchor="middle">pass \(pass)</text>
            <text x="20" y="10">100</text><text x="\(fmt(width - 20))" y="10" text-anchor="end">1000</text>
            </svg>
            """
    }

    static func topicBars(_ topics: [Report.TopicRow]) -> String {
        let rows = topics.filter { $0.mastery != nil || $0.accuracy != nil }
        guard !rows.isEmpty else { return "" }
        let rowHeight = 22.0, labelWidth = 330.0, barWidth = 380.0
        var out =
            "<svg role=\"img\" aria-label=\"Mastery and accuracy per topic\" viewBox=\"0 0 \(Int(labelWidth + barWidth + 60)) \(Int(Double(rows.count) * rowHeight + 24))\" width=\"\(Int(labelWidth + barWidth + 60))\">"
        out += "<text x=\"\(fmt(labelWidth))\" y=\"12\">mastery (bar) · accuracy (tick)</text>"
        for (i, row) in rows.enumerated() {
            let y = 20 + Double(i) * rowHeight
            let label = row.topic.count > 52 ? "…" + row.topic.suffix(51) : row.topic
            out += "<text x=\"\(fmt(labelWidth - 6))\" y=\"\(fmt(y + 13))\" text-anchor=\"end\">\(e(label))</text>"
            out +=
                "<rect x=\"\(fmt(labelWidth))\" y=\"\(fmt(y + 3))\" width=\"\(fmt(barWidth))\" height=\"14\" fill=\"#eaeef2\"/>"
            if let m = row.mastery {
                out +=
                    "<rect x=\"\(fmt(labelWidth))\" y=\"\(fmt(y + 3))\" width=\"\(fmt(barWidth * m))\" height=\"14\" fill=\"#0969da\"><title>mastery \(percent(m))</title></rect>"
            }
            if let a = row.accuracy {
                let x = labelWidth + barWidth * a
                out +=
                    "<line x1=\"\(fmt(x))\" y1=\"\(fmt(y))\" x2=\"\(fmt(x))\" y2=\"\(fmt(y + 20))\" stroke=\"#bc4c00\" stroke-width=\"3\"><title>accuracy \(percent(a))</title></line>"
            }
            out +=
                "<text x=\"\(fmt(labelWidth + barWidth + 6))\" y=\"\(fmt(y + 13))\">\(percent(row.mastery ?? row.accuracy))</text>"
        }
        return out + "</svg>"
    }

    static func heatmap(_ daily: [Report.DayCount]) -> String {
        guard let last = daily.last?.day, let end = ISOTime.parse(last + "T00:00:00Z") else {
            return "<p class=\"meta\">None yet.</p>"
        }
        let counts = Dictionary(uniqueKeysWithValues: daily.map { ($0.day, $0.reviews) })
        let maximum = max(1, daily.map(\.reviews).max() ?? 1)
        let weeks = 26, cell = 13.0
        let endWeekday = Int((end.timeIntervalSince1970 / 86_400 + 3).rounded(.down)) % 7
        let start = end.addingTimeInterval(Double(-(weeks - 1) * 7 - endWeekday) * 86_400)
        let colors = ["#ebedf0", "#9be9a8", "#40c463", "#30a14e", "#216e39"]
        var out =
            "<svg role=\"img\" aria-label=\"Reviews per day, last \(weeks) weeks\" viewBox=\"0 0 \(Int(Double(weeks) * cell + 40)) \(Int(7 * cell + 30))\" width=\"\(Int(Double(weeks) * cell + 40))\">"
        for (i, name) in ["Mon", "", "Wed", "", "Fri", "", "Sun"].enumerated() where !name.isEmpty {
            out += "<text x=\"0\" y=\"\(fmt(Double(i) * cell + 10))\">\(name)</text>"
        }
        for week in 0..<weeks {
            for weekday in 0..<7 {
                let date = start.addingTimeInterval(Double(week * 7 + weekday) * 86_400)
                guard date <= end else { continue }
                let day = ISOTime.day(date)
                let n = counts[day] ?? 0
                let level = n == 0 ? 0 : 1 + min(3, (n * 4 - 1) / maximum)
                out +=
                    "<rect x=\"\(fmt(30 + Double(week) * cell))\" y=\"\(fmt(Double(weekday) * cell))\" width=\"11\" height=\"11\" rx=\"2\" fill=\"\(colors[level])\"><title>\(day): \(n) reviews</title></rect>"
            }
        }
        out +=
            "<text x=\"30\" y=\"\(fmt(7 * cell + 20))\">\(weeks) weeks to \(e(last)); darker = more reviews (max \(maximum) a day)</text>"
        return out + "</svg>"
    }

    static func forecastBars(_ forecast: [Report.ForecastDay]) -> String {
        let maximum = max(1, forecast.map(\.due).max() ?? 1)
        let barWidth = 20.0, height = 120.0
        var out =
            "<svg role=\"img\" aria-label=\"Cards due per day for 30 days\" viewBox=\"0 0 \(Int(Double(forecast.count) * barWidth + 40)) \(Int(height + 40))\" width=\"\(Int(Double(forecast.count) * barWidth + 40))\">"
        for (i, day) in forecast.enumerated() {
            let h = height * Double(day.due) / Double(maximum)
            let x = 30 + Double(i) * barWidth
            out +=
                "<rect x=\"\(fmt(x))\" y=\"\(fmt(height - h + 10))\" width=\"\(fmt(barWidth - 4))\" height=\"\(fmt(h))\" fill=\"#8250df\"><title>\(day.day): \(day.due) due</title></rect>"
            if i % 7 == 0 { out += "<text x=\"\(fmt(x))\" y=\"\(fmt(height + 25))\">\(day.day.suffix(5))</text>" }
        }
        out += "<text x=\"0\" y=\"18\">\(maximum)</text><text x=\"0\" y=\"\(fmt(height + 10))\">0</text>"
        return out + "</svg>"
    }

    static func retentionBars(_ bands: [Report.RetentionBand]) -> String {
        let barWidth = 110.0, height = 120.0
        var out =
            "<svg role=\"img\" aria-label=\"True retention by interval: observed bars, predicted lines\" viewBox=\"0 0 \(Int(Double(bands.count) * barWidth + 20)) \(Int(height + 50))\" width=\"\(Int(Double(bands.count) * barWidth + 20))\">"
        for (i, band) in bands.enumerated() {
            let x = 10 + Double(i) * barWidth
            let h = height * (band.retention ?? 0)
            out +=
                "<rect x=\"\(fmt(x))\" y=\"\(fmt(height - h + 10))\" width=\"\(fmt(barWidth - 20))\" height=\"\(fmt(h))\" fill=\"#1a7f37\"><title>\(e(band.band)): \(percent(band.retention)) of \(band.reviews)</title></rect>"
            if let predicted = band.predicted {
                // The prediction as a dark line across the bar.
                let y = height - height * predicted + 10
                out +=
                    "<line x1=\"\(fmt(x - 4))\" x2=\"\(fmt(x + barWidth - 16))\" y1=\"\(fmt(y))\" y2=\"\(fmt(y))\" stroke=\"#24292f\" stroke-width=\"3\"><title>predicted \(percent(predicted))</title></line>"
            }
            out += "<text x=\"\(fmt(x))\" y=\"\(fmt(height + 25))\">\(e(band.band))</text>"
            out +=
                "<text x=\"\(fmt(x))\" y=\"\(fmt(height + 40))\">\(percent(band.retention)) vs \(percent(band.predicted)) (\(band.reviews))</text>"
        }
        return out + "</svg>"
    }

    /// Predicted against observed success on mock exams, with the diagonal of perfect calibration.
    static func reliabilityChart(_ c: CalibrationReport) -> String {
        let size = 200.0
        var out =
            "<svg role=\"img\" aria-label=\"Reliability of readiness predictions on mock exams\" viewBox=\"0 0 \(Int(size + 60)) \(Int(size + 40))\" width=\"\(Int(size + 60))\">"
        out +=
            "<line x1=\"30\" y1=\"\(fmt(size + 10))\" x2=\"\(fmt(size + 30))\" y2=\"10\" stroke=\"#8c959f\" stroke-dasharray=\"4\"/>"
        out += "<rect x=\"30\" y=\"10\" width=\"\(fmt(size))\" height=\"\(fmt(size))\" fill=\"none\" stroke=\"#d0d7de\"/>"
        for bin in c.reliability {
            let x = 30 + size * bin.predicted, y = 10 + size * (1 - bin.observed)
            let radius = 3 + min(9, Double(bin.questions).squareRoot())
            out +=
                "<circle cx=\"\(fmt(x))\" cy=\"\(fmt(y))\" r=\"\(fmt(radius))\" fill=\"#0969da\" fill-opacity=\"0.7\"><title>predicted \(percent(bin.predicted)), observed \(percent(bin.observed)) (\(bin.questions) questions)</title></circle>"
        }
        out += "<text x=\"30\" y=\"\(fmt(size + 30))\">predicted →</text><text x=\"0\" y=\"20\">right</text>"
        return out + "</svg>"
    }

    static func examChart(_ exams: [Report.ExamRow], pass: Int) -> String {
        let scored = exams.compactMap { exam in exam.score.map { (exam.date, $0) } }
        guard !scored.isEmpty else { return "" }
        let width = 60.0, height = 140.0
        let y = { (s: Int) in 10 + height - height * Double(s - 100) / 900 }
        var out =
            "<svg role=\"img\" aria-label=\"Mock exam scores with the pass line\" viewBox=\"0 0 \(Int(Double(scored.count) * width + 60)) \(Int(height + 40))\" width=\"\(Int(Double(scored.count) * width + 60))\">"
        for (i, exam) in scored.enumerated() {
            let x = 40 + Double(i) * width
            out +=
                "<rect x=\"\(fmt(x))\" y=\"\(fmt(y(exam.1)))\" width=\"\(fmt(width - 16))\" height=\"\(fmt(10 + height - y(exam.1)))\" fill=\"\(exam.1 >= pass ? "#2da44e" : "#d4a72c")\"><title>\(exam.0): \(exam.1)</title></rect>"
            out += "<text x=\"\(fmt(x))\" y=\"\(fmt(height + 28))\">\(exam.0.suffix(5))</text>"
        }
        out +=
            "<line x1=\"30\" x2=\"\(fmt(Double(scored.count) * width + 50))\" y1=\"\(fmt(y(pass)))\" y2=\"\(fmt(y(pass)))\" stroke=\"#cf222e\" stroke-dasharray=\"4 3\"/>"
        out += "<text x=\"0\" y=\"\(fmt(y(pass) + 4))\">\(pass)</text>"
        return out + "</svg>"
    }
}
