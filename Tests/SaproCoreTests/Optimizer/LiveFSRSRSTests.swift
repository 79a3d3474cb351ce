import Foundation
import Testing
@testable import SaproCore

/// Fresh logs from the shared learner simulator, fitted here and scored by fsrs-rs itself.
@Suite(
    "FSRS optimizer against live fsrs-rs-python",
    .enabled(if: fsrsRSAvailable, "fsrs-rs-python 0.9.3 or the shared optimizer scripts are missing"))
struct LiveFSRSRS {
    struct Size: Sendable, CustomTestStringConvertible {
        var cards: Int, days: Int, perDay: Int, seed: Int
        var testDescription: String { "\(cards) cards over \(days) days, seed \(seed)" }
    }

    /// About 500, 5,000 and 50,000 reviews.
    static let sizes = [
        Size(cards: 70, days: 45, perDay: 3, seed: Int.random(in: 1...1_000_000)),
        Size(cards: 600, days: 120, perDay: 10, seed: Int.random(in: 1...1_000_000)),
        Size(cards: 5000, days: 240, perDay: 30, seed: Int.random(in: 1...1_000_000)),
    ]

    @Test(arguments: sizes)
    func fittedParametersScoredByFSRSRSAreAsGoodAsItsOwn(size: Size) throws {
        let scripts = try #require(sharedOptimizerScripts)
        let dir = try Repo.temporaryDirectory([:])
        defer { try? FileManager.default.removeItem(at: dir) }
        let log = dir.appendingPathComponent("reviews.jsonl")
        _ = try #require(
            runPython([
                scripts.appendingPathComponent("simulate_history.py").path, "--cards", "\(size.cards)", "--days",
                "\(size.days)", "--new-per-day", "\(size.perDay)", "--seed", "\(size.seed)", "--now", "1796170000",
                "--reviews", log.path,
            ]), "simulate_history.py failed")
        let oracle = Repo.fixture("srs/optimizer/oracle.py").path
        let reference = try JSONDecoder().decode(
            FSRSRSOutput.self,
            from: try #require(runPython([oracle, "--items-module", scripts.path, log.path, "--fit"]), "oracle failed"))
        let set = TrainingSet(reviews: try LoggedReview.parse(jsonLines: [UInt8](Data(contentsOf: log))))

        // The same items, pair for pair.
        let items = try #require(reference.items)
        #expect(set.items.count == items.count)
        let same = zip(set.items, items).allSatisfy { item, want in
            set.cardIDs[item.card] == want.card && set.reviews(of: item).map { [$0.rating, $0.deltaDays] } == want.reviews
        }
        #expect(same, "the training items differ from fsrs_items.py's")

        // What `srs optimize` would keep: the fit, or the defaults when the fit predicts worse.
        let fit = try OptimizeOutcome.run(
            reviews: try LoggedReview.parse(jsonLines: [UInt8](Data(contentsOf: log))), current: FSRSParameters.defaultWeights,
            days: DayConvention()
        ).fit
        let theirs = try #require(reference.fit)
        let parameters = fit.parameters.map { String($0) }.joined(separator: ",")
        let scored = try JSONDecoder().decode(
            FSRSRSOutput.self,
            from: try #require(
                runPython([oracle, "--items-module", scripts.path, log.path, "--params", parameters]), "oracle failed"))
        let ours = try #require(scored.evaluate)
        #expect(ours.log_loss <= theirs.log_loss + 0.001, "log loss \(ours.log_loss) vs fsrs-rs \(theirs.log_loss)")
        #expect(ours.rmse_bins <= theirs.rmse_bins + 0.003, "RMSE(bins) \(ours.rmse_bins) vs fsrs-rs \(theirs.rmse_bins)")
        #expect(ours.log_loss <= theirs.default_log_loss, "never worse than the defaults")
        for (i, (w, bounds)) in zip(fit.parameters, FSRSParameters.weightBounds).enumerated() {
            #expect(bounds.contains(w), "w\(i) = \(w) is outside \(bounds)")
        }
        // Our evaluation is fsrs-rs's on these parameters too.
        let local = try #require(ModelEvaluation.evaluate(fit.parameters, on: set))
        #expect(abs(local.logLoss - ours.log_loss) <= 1e-5)
        #expect(abs(local.rmseBins - ours.rmse_bins) <= 1e-5)
    }
}
