import Foundation

/// How well a set of FSRS parameters predicts a review log, scored as fsrs-rs's `evaluate` does:
/// every training item's target is predicted from the reviews before it, with recency weights
/// (0.25 for the oldest item up to 1 for the newest).
public struct ModelEvaluation: Sendable, Equatable, Codable {
    /// Weighted binary cross-entropy of the predictions (lower is better).
    public var logLoss: Double
    /// Root mean square gap between mean predicted and observed recall in bins of (interval,
    /// number of reviews, lapses), weighted by each bin's items (lower is better).
    public var rmseBins: Double
    /// Items scored.
    public var items: Int

    /// Scores `weights` on `set`; `nil` when the set has no items.
    public static func evaluate(_ weights: [Double], on set: TrainingSet) -> ModelEvaluation? {
        guard !set.items.isEmpty else { return nil }
        let predictions = FSRSModel(weights).predictions(set)
        let counts = set.itemCounts()
        let span = Float(max(set.items.count - 1, 1))
        var loss = 0.0, weightSum = 0.0
        var bins: [BinKey: (predicted: Double, actual: Double, count: Double, weight: Double)] = [:]
        for (i, item) in set.items.enumerated() {
            let weight = Double(0.25 + 0.75 * pow(Float(i) / span, 3))
            let p = predictions[i]
            let y = set.histories[item.card][item.target].rating > 1 ? 1.0 : 0.0
            loss += -(y * log(p) + (1 - y) * log(1 - p)) * weight
            weightSum += weight
            let key = BinKey(
                days: set.histories[item.card][item.target].deltaDays, longTerm: counts[i].longTerm, lapses: counts[i].lapses)
            var bin = bins[key] ?? (0, 0, 0, 0)
            bin.predicted += p
            bin.actual += y
            bin.count += 1
            bin.weight += weight
            bins[key] = bin
        }
        // Summed in key order so that the result does not depend on hashing.
        var squares = 0.0, binWeights = 0.0
        for key in bins.keys.sorted() {
            let bin = bins[key]!
            let gap = bin.predicted / bin.count - bin.actual / bin.count
            squares += gap * gap * bin.weight
            binWeights += bin.weight
        }
        return ModelEvaluation(logLoss: loss / weightSum, rmseBins: (squares / binWeights).squareRoot(), items: set.items.count)
    }

    /// fsrs-rs's bin of an item: interval, length and lapse bins on geometric scales.
    struct BinKey: Hashable, Comparable {
        var interval: Int, length: Int, lapses: Int

        /// The bin of a target `days` after the previous review, with `longTerm` later-day reviews
        /// (the target included) and `lapseCount` lapses before it.
        init(days: Int, longTerm: Int, lapses lapseCount: Int) {
            interval = IntervalBin.binValue(days: days)
            let length = Double(longTerm + 1)
            self.length = Int((1.99 * pow(1.89, (log(length) / log(1.89)).rounded(.down))).rounded())
            lapses =
                lapseCount == 0 ? 0 : Int((1.65 * pow(1.73, (log(Double(lapseCount)) / log(1.73)).rounded(.down))).rounded())
        }

        static func < (a: BinKey, b: BinKey) -> Bool {
            (a.interval, a.length, a.lapses) < (b.interval, b.length, b.lapses)
        }
    }
}

/// Predicted and observed recall for the items whose interval falls in one of RMSE(bins)'s
/// interval bins: days from 3.62ᵏ up to 3.62ᵏ⁺¹.
public struct IntervalBin: Sendable, Equatable, Codable {
    /// Shortest and longest whole-day interval in the bin.
    public var fromDays: Int
    public var toDays: Int
    public var reviews: Int
    public var recalled: Int
    /// Mean predicted probability of recall.
    public var predicted: Double

    /// Observed recall.
    public var observed: Double { reviews == 0 ? 0 : Double(recalled) / Double(reviews) }

    /// The bins of `set`'s items predicted with `weights`, shortest intervals first.
    public static func bins(_ weights: [Double], on set: TrainingSet) -> [IntervalBin] {
        let predictions = FSRSModel(weights).predictions(set)
        var byExponent: [Int: IntervalBin] = [:]
        for (i, item) in set.items.enumerated() {
            let reviews = set.reviews(of: item)
            let days = reviews.last!.deltaDays
            let k = exponent(days: days)
            var bin =
                byExponent[k]
                ?? IntervalBin(
                    fromDays: Int(pow(3.62, Double(k)).rounded(.up)),
                    toDays: Int(pow(3.62, Double(k + 1)).rounded(.up)) - 1, reviews: 0, recalled: 0, predicted: 0)
            bin.reviews += 1
            bin.recalled += reviews.last!.rating > 1 ? 1 : 0
            bin.predicted += predictions[i]
            byExponent[k] = bin
        }
        return byExponent.keys.sorted().map { k in
            var bin = byExponent[k]!
            bin.predicted /= Double(bin.reviews)
            return bin
        }
    }

    static func exponent(days: Int) -> Int { Int((log(Double(days)) / log(3.62)).rounded(.down)) }

    /// fsrs-rs's interval bin value: round(2.48 · 3.62ᵏ · 100).
    static func binValue(days: Int) -> Int {
        Int((2.48 * pow(3.62, Double(exponent(days: days))) * 100).rounded())
    }
}
