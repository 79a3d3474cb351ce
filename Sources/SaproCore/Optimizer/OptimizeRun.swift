import Foundation

/// `srs optimize` as a pure function: fit a log, score the parameters in use and the fitted
/// ones on the same items, and decide whether the fitted ones should be adopted.
public struct OptimizeOutcome: Sendable, Equatable {
    public var reviews: Int
    public var items: Int
    public var fit: OptimizerFit
    /// Scores of the parameters in use and of the fitted ones; `nil` with no items.
    public var before: ModelEvaluation?
    public var after: ModelEvaluation?
    /// Whether the fitted parameters predict better than the ones in use.
    public var better: Bool
    /// Reviews below which a fit is uncertain enough to warn about.
    public static let fewReviews = 400

    /// Whether the data was too little to fit anything.
    public var keptDefaults: Bool {
        if case .defaults = fit.extent { return true }
        return false
    }

    /// What the outcome says about itself, in plain sentences (the reason for keeping the
    /// parameters, a warning about little data).
    public var notes: [String] {
        var notes: [String] = []
        switch fit.extent {
        case .defaults(let why) where why.hasPrefix("the fitted parameters"):
            notes.append("The fit is not used: \(why).")
        case .defaults(let why): notes.append("Too little data to fit anything (\(why)); the defaults are kept.")
        case .initialStabilityOnly(let why):
            notes.append("Only the first-day stabilities w0–w3 were fitted (\(why)); w4–w20 are the defaults.")
        case .full: break
        }
        if reviews < Self.fewReviews && !keptDefaults {
            notes.append(
                "Warning: \(reviews) reviews is little data; parameters fitted to fewer than \(Self.fewReviews) are uncertain.")
        }
        return notes
    }

    /// Fits `reviews` (days counted by `days`) and compares with `current`.
    public static func run(
        reviews: [LoggedReview], current: [Double], days: DayConvention, config: OptimizerConfig = OptimizerConfig(),
        progress: (OptimizerProgress) -> Bool = { _ in true }
    ) throws(OptimizerError) -> OptimizeOutcome {
        let set = TrainingSet(reviews: reviews, days: days)
        var fit = try FSRSOptimizer.fit(set, config: config, progress: progress)
        let before = ModelEvaluation.evaluate(current, on: set)
        var after = ModelEvaluation.evaluate(fit.parameters, on: set)
        // As Anki does: a fit that does not predict the log better than the defaults is not kept.
        let defaults = FSRSParameters.defaultWeights
        if fit.parameters != defaults, let fitted = after,
            let base = current == defaults ? before : ModelEvaluation.evaluate(defaults, on: set),
            fitted.logLoss >= base.logLoss
        {
            fit.parameters = defaults
            fit.extent = .defaults(
                String(
                    format: "the fitted parameters predict these reviews worse than the defaults (log loss %.5f against %.5f)",
                    fitted.logLoss, base.logLoss))
            after = base
        }
        var outcome = OptimizeOutcome(
            reviews: reviews.count, items: set.items.count, fit: fit, before: before, after: after, better: false)
        if let before, let after, !outcome.keptDefaults { outcome.better = after.logLoss < before.logLoss }
        return outcome
    }
}
