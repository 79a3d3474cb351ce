import ArgumentParser
import Foundation
import SaproCore

/// Where `srs optimize` and `srs evaluate` read reviews from.
struct ReviewSource: ParsableArguments {
    @Option(
        name: .customLong("log"),
        help: "A JSON Lines review log in srs replay's input format instead of the data directory's drill reviews.")
    var file: String?

    /// The reviews, and the day convention (local time) they are counted in.
    func reviews(app: App) throws -> [LoggedReview] {
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw fail("cannot read \(file): \(FileKind.of(file) == .missing ? "no such file" : "not a readable file")")
            }
            do {
                return try LoggedReview.parse(jsonLines: [UInt8](data))
            } catch {
                throw fail("\(file): \(error.localizedDescription)")
            }
        }
        let store = try app.openStore()
        return LoggedReview.drills(in: try reporting { try store.compactReviewLog() })
    }

    var describes: String { file ?? "your drill reviews" }

    static func days(now: Date) -> DayConvention {
        DayConvention(utcOffsetSeconds: TimeZone.current.secondsFromGMT(for: now))
    }
}

extension Srs {
    struct Optimize: SaproCommand {
        static let configuration = CommandConfiguration(
            commandName: "optimize",
            abstract: "Fit the FSRS-6 parameters to your review log and adopt them if they predict it better.",
            discussion: """
                Fits the 21 weights as fsrs-rs (Anki's optimizer) does and prints log loss and RMSE(bins) \
                before (the parameters in use) and after. Days are counted as Anki counts them: a day \
                starts at 04:00 local time. Below 8 usable training items the defaults are kept; below \
                64 only the first-day stabilities w0–w3 are fitted. Ctrl-C cancels without changing anything.
                """)

        @OptionGroup var source: ReviewSource
        @Flag(help: "Report only; do not adopt the fitted parameters.") var dryRun = false
        @Flag(help: "Print the result as JSON.") var json = false
        @Option(help: "Seed of the order of training batches.") var seed: UInt64 = 2023
        @OptionGroup var data: DataOptions

        func run(in context: RunContext) throws {
            let app = try context.app(data: data, content: ContentOptions.defaults())
            let now = Date()
            let days = ReviewSource.days(now: now)
            let current = app.settings.weights
            let currentName =
                app.settings.fittedParameters.map { $0.fitted.map { "fitted \($0)" } ?? "set by hand" } ?? "defaults"
            var config = OptimizerConfig()
            config.seed = seed
            config.relearningSteps = max(1, app.settings.relearningSteps.count)
            let showProgress = !json && isatty(STDERR_FILENO) == 1
            // Ctrl-C stops reading, the fit, or anything up to the moment the settings are written.
            let result: (outcome: OptimizeOutcome, adopted: Bool)
            do {
                result = try Interrupt.catching { requested in
                    let reviews = try source.reviews(app: app)
                    if requested() { throw OptimizerError.cancelled }
                    if !json {
                        print("Fitting FSRS-6 to \(reviews.count) reviews from \(source.describes); \(days.summary).")
                        fflush(nil)
                    }
                    var shown = -1
                    let outcome = try OptimizeOutcome.run(reviews: reviews, current: current, days: days, config: config) {
                        progress in
                        if showProgress {
                            let percent = Int(progress.fraction * 100)
                            if percent != shown {
                                shown = percent
                                FileHandle.standardError.write(
                                    Data("\r  epoch \(progress.epoch)/\(progress.epochs), \(percent)% (Ctrl-C cancels)".utf8))
                            }
                        }
                        return !requested()
                    }
                    if requested() { throw OptimizerError.cancelled }
                    let adopt = outcome.better && !dryRun && source.file == nil
                    if adopt { try save(outcome, app: app, now: now, days: days) }
                    return (outcome, adopt)
                }
            } catch let error as OptimizerError {
                if showProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
                throw fail(error.localizedDescription)
            }
            if showProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            let (outcome, adopt) = result
            if json {
                print(Self.json(outcome, adopted: adopt, days: days))
                return
            }
            print(Self.table(outcome, current: currentName))
            for note in outcome.notes { print(note) }
            print("Fitted: \(FSRSParameters.formatWeights(outcome.fit.parameters))")
            if adopt {
                print(
                    "Adopted: the fitted parameters predict your reviews better; every review from now on uses them (set parameters default goes back)."
                )
            } else if outcome.keptDefaults {
                print("Nothing changed.")
            } else if !outcome.better {
                print("Kept the parameters in use: the fitted ones do not predict these reviews better.")
            } else if source.file != nil {
                print(
                    "Not adopted (--log fits a file only). To use them: set parameters \(FSRSParameters.formatWeights(outcome.fit.parameters))"
                )
            } else {
                print("Dry run: nothing changed.")
            }
        }

        /// Keeps the fitted parameters in the settings, with the date and the figures.
        func save(_ outcome: OptimizeOutcome, app: App, now: Date, days: DayConvention) throws {
            if let problem = app.settingsProblem {
                throw fail("\(problem.plainDescription); sapro will not replace it, so the fit was not adopted.")
            }
            var settings = app.settings
            let pair = { (f: (ModelEvaluation) -> Double) -> FittedParameters.Change? in
                guard let b = outcome.before, let a = outcome.after else { return nil }
                return .init(before: f(b), after: f(a))
            }
            settings.fittedParameters = FittedParameters(
                weights: outcome.fit.parameters, fitted: app.day(now), reviews: outcome.reviews, items: outcome.items,
                logLoss: pair(\.logLoss), rmseBins: pair(\.rmseBins), days: days.summary)
            try reporting { try settings.save(to: app.dataDirectory) }
            app.settings = settings
        }

        static func table(_ outcome: OptimizeOutcome, current: String) -> String {
            var lines = ["\(outcome.items) training items (\(outcome.fit.trainingItems) after the outlier filter).", ""]
            lines.append("                              log loss   RMSE(bins)")
            func row(_ name: String, _ e: ModelEvaluation?) {
                guard let e else { return }
                lines.append(TextWidth.pad("  \(name)", to: 30) + String(format: "%8.5f   %8.5f", e.logLoss, e.rmseBins))
            }
            row("before (\(current))", outcome.before)
            row("after (fitted)", outcome.after)
            if outcome.before == nil { lines.append("  (no training items to score)") }
            return lines.joined(separator: "\n")
        }

        static func json(_ outcome: OptimizeOutcome, adopted: Bool, days: DayConvention) -> String {
            var object: [String: Any] = [
                "parameters": outcome.fit.parameters, "reviews": outcome.reviews, "items": outcome.items,
                "trainingItems": outcome.fit.trainingItems, "adopted": adopted, "better": outcome.better,
                "days": days.summary, "notes": outcome.notes,
            ]
            switch outcome.fit.extent {
            case .full: object["fitted"] = "all"
            case .initialStabilityOnly: object["fitted"] = "initial-stability"
            case .defaults: object["fitted"] = "none"
            }
            if let b = outcome.before, let a = outcome.after {
                object["logLoss"] = ["before": b.logLoss, "after": a.logLoss]
                object["rmseBins"] = ["before": b.rmseBins, "after": a.rmseBins]
            } else {
                object["logLoss"] = NSNull()
                object["rmseBins"] = NSNull()
            }
            let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            return String(decoding: data, as: UTF8.self)
        }
    }

    struct Evaluate: SaproCommand {
        static let configuration = CommandConfiguration(
            commandName: "evaluate",
            abstract: "Score FSRS-6 parameters on a review log: log loss, RMSE(bins), predicted against observed recall.",
            discussion: "Days are counted as srs optimize counts them (a day starts at 04:00 local time).")

        @OptionGroup var source: ReviewSource
        @Option(help: "21 comma-separated weights (default: the parameters in use).") var parameters: String?
        @Flag(help: "Print the result as JSON.") var json = false
        @OptionGroup var data: DataOptions

        func validate() throws {
            if let parameters {
                do {
                    _ = try FSRSParameters.parseWeights(parameters)
                } catch {
                    throw ValidationError("--parameters: \(error.localizedDescription)")
                }
            }
        }

        func run(in context: RunContext) throws {
            let app = try context.app(data: data, content: ContentOptions.defaults())
            let weights = try parameters.map { try FSRSParameters.parseWeights($0) } ?? app.settings.weights
            let days = ReviewSource.days(now: Date())
            let reviews = try source.reviews(app: app)
            let set = TrainingSet(reviews: reviews, days: days)
            let evaluation = ModelEvaluation.evaluate(weights, on: set)
            let bins = IntervalBin.bins(weights, on: set)
            if json {
                var object: [String: Any] = ["parameters": weights, "reviews": reviews.count, "items": set.items.count]
                object["logLoss"] = evaluation.map { $0.logLoss as Any } ?? NSNull()
                object["rmseBins"] = evaluation.map { $0.rmseBins as Any } ?? NSNull()
                object["intervals"] = bins.map {
                    [
                        "fromDays": $0.fromDays, "toDays": $0.toDays, "reviews": $0.reviews, "predicted": $0.predicted,
                        "observed": $0.observed,
                    ]
                }
                let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
                print(String(decoding: data, as: UTF8.self))
                return
            }
            print("\(reviews.count) reviews from \(source.describes), \(set.items.count) training items; \(days.summary).")
            guard let evaluation else {
                print("Nothing to score: no card was reviewed again on a later day.")
                return
            }
            print(String(format: "log loss %.5f, RMSE(bins) %.5f", evaluation.logLoss, evaluation.rmseBins))
            print("")
            print("interval      reviews  predicted  observed")
            for bin in bins {
                print(
                    TextWidth.pad("\(bin.fromDays)–\(bin.toDays) days", to: 14)
                        + String(format: "%7d  %8.1f%%  %7.1f%%", bin.reviews, bin.predicted * 100, bin.observed * 100))
            }
        }
    }
}
