import Foundation

/// How the optimizer trains; the defaults are fsrs-rs 6.6.1's.
public struct OptimizerConfig: Sendable, Hashable {
    public var epochs = 5
    public var batchSize = 512
    /// Seeds the order of the batches in each epoch.
    public var seed: UInt64 = 2023
    public var learningRate = 0.04
    /// Items whose history is longer than this are left out of training.
    public var maximumSequenceLength = 256
    /// Strength of the pull towards the starting parameters.
    public var gamma = 1.0
    /// The number of relearning steps the learner uses (bounds w17 and w18 when above 1).
    public var relearningSteps = 1

    public init() {}
}

/// Progress of a fit, reported after every batch.
public struct OptimizerProgress: Sendable, Equatable {
    public var epoch: Int
    public var epochs: Int
    /// Training items done in this epoch.
    public var items: Int
    public var itemsPerEpoch: Int

    /// The share of the whole fit done, 0 … 1.
    public var fraction: Double {
        guard epochs > 0, itemsPerEpoch > 0 else { return 1 }
        return (Double(epoch - 1) + Double(items) / Double(itemsPerEpoch)) / Double(epochs)
    }
}

/// Why a fit stopped without parameters.
public enum OptimizerError: Error, Equatable, LocalizedError {
    /// The progress callback asked to stop.
    case cancelled
    /// Training ran into a value that is not a number.
    case diverged

    public var errorDescription: String? {
        switch self {
        case .cancelled: "the fit was cancelled; nothing was changed"
        case .diverged: "the fit diverged (a parameter became infinite or not a number); nothing was changed"
        }
    }
}

/// What a fit produced.
public struct OptimizerFit: Sendable, Equatable {
    /// How much of the model the data could support.
    public enum Extent: Sendable, Equatable {
        /// Too little data: the defaults, with the reason.
        case defaults(String)
        /// Enough for the first-day stabilities (w0–w3) only; the rest are the defaults.
        case initialStabilityOnly(String)
        /// All 21 parameters were trained.
        case full
    }

    public var parameters: [Double]
    public var extent: Extent
    /// Training items left after the outlier filter.
    public var trainingItems: Int
    /// Items with a single long-term review that pretraining used.
    public var pretrainingItems: Int
}

/// Fits the 21 FSRS-6 parameters to a review log as fsrs-rs 6.6.1 does: outlier filter,
/// pretraining of the first-day stabilities, then Adam on the weighted binary cross-entropy with
/// hand-derived gradients, a cosine learning rate, an L2 pull towards the starting point and
/// clipping to the published bounds after every step.
public enum FSRSOptimizer {
    /// fsrs-rs's per-parameter spread of fitted values, scaling the L2 pull.
    static let parameterSpread: [Double] = [
        6.43, 9.66, 17.58, 27.85, 0.57, 0.28, 0.6, 0.12, 0.39, 0.18, 0.33, 0.3, 0.09, 0.16, 0.57, 0.25,
        1.03, 0.31, 0.32, 0.14, 0.27,
    ]

    /// Fewer training items than this: the defaults.
    public static let minimumItems = 8
    /// Fewer than this: the first-day stabilities only.
    public static let minimumItemsForFullFit = 64

    /// Fits `set`. `progress` is called after every batch; returning false cancels the fit.
    public static func fit(
        _ set: TrainingSet, config: OptimizerConfig = OptimizerConfig(),
        progress: (OptimizerProgress) -> Bool = { _ in true }
    ) throws(OptimizerError) -> OptimizerFit {
        let defaults = FSRSParameters.defaultWeights
        let (initialization, train) = filterOutliers(set)
        if train.count < minimumItems {
            return OptimizerFit(
                parameters: defaults,
                extent: .defaults(
                    "\(train.count) usable training item\(train.count == 1 ? "" : "s"), fewer than \(minimumItems)"),
                trainingItems: train.count, pretrainingItems: initialization.count)
        }
        let recalled = train.reduce(0) { $0 + (set.histories[$1.card][$1.target].rating > 1 ? 1 : 0) }
        let averageRecall = Double(Float(recalled) / Float(train.count))
        guard let (stabilities, ratingCounts) = pretrain(set, initialization, averageRecall: averageRecall) else {
            return OptimizerFit(
                parameters: defaults,
                extent: .defaults("no card has a first review followed by a single review on a later day to start from"),
                trainingItems: train.count, pretrainingItems: 0)
        }
        let start = stabilities + defaults[4...]
        if train.count == initialization.count || train.count < minimumItemsForFullFit {
            let why =
                train.count == initialization.count
                ? "every training item is a card's first review on a later day"
                : "\(train.count) usable training items, fewer than \(minimumItemsForFullFit)"
            return OptimizerFit(
                parameters: start, extent: .initialStabilityOnly(why), trainingItems: train.count,
                pretrainingItems: initialization.count)
        }
        var trained = try Trainer(set: set, items: train, start: start, config: config).run(progress: progress)
        let fitted = smoothAndFill(
            Dictionary(uniqueKeysWithValues: (1...4).map { ($0, trained[$0 - 1]) }), counts: ratingCounts)!
        trained.replaceSubrange(0..<4, with: fitted)
        return OptimizerFit(
            parameters: trained, extent: .full, trainingItems: train.count, pretrainingItems: initialization.count)
    }

    // MARK: - Outlier filter

    /// Splits `set`'s items into those pretraining uses (a first review and one later-day review,
    /// in well-populated groups) and those training keeps: for each first rating, the rarest
    /// intervals are dropped up to 5% of the items (at least 20), and so are intervals seen fewer
    /// than 6 times or longer than 100 days (365 after Easy).
    static func filterOutliers(_ set: TrainingSet) -> (initialization: [TrainingSet.Item], train: [TrainingSet.Item]) {
        // first rating → interval of the first long-term review → items
        var groups: [Int: [Int: [Int]]] = [:]
        for (index, item) in set.items.enumerated() where set.longTermReviewCount(item) == 1 {
            let first = set.histories[item.card][0].rating
            groups[first, default: [:]][set.histories[item.card][item.target].deltaDays, default: []].append(index)
        }
        var removed: [Int: Set<Int>] = [:]
        var kept: [Int] = []
        for rating in groups.keys.sorted() {
            // Rarest first; among equally rare ones, the shortest interval first.
            let byInterval = groups[rating]!.sorted { a, b in
                a.value.count != b.value.count ? a.value.count < b.value.count : a.key < b.key
            }
            let total = byInterval.reduce(0) { $0 + $1.value.count }
            let quota = max(20, total / 20)
            var dropped = 0
            for (interval, indices) in byInterval {
                if dropped + indices.count >= quota {
                    if indices.count >= 6 && interval <= (rating != 4 ? 100 : 365) {
                        kept += indices
                    } else {
                        removed[rating, default: []].insert(interval)
                    }
                } else {
                    dropped += indices.count
                    removed[rating, default: []].insert(interval)
                }
            }
        }
        let train = set.items.filter { item in
            let first = set.histories[item.card][0].rating
            return !(removed[first]?.contains(set.firstLongTermReview(item).deltaDays) ?? false)
        }
        return (kept.map { set.items[$0] }, train)
    }

    // MARK: - Pretraining

    /// The first-day stabilities (w0–w3) that best fit the recall of items with a single
    /// long-term review, and the number of such items per first rating; `nil` without any.
    static func pretrain(
        _ set: TrainingSet, _ items: [TrainingSet.Item], averageRecall: Double
    ) -> (stabilities: [Double], counts: [Int: Int])? {
        // first rating → interval → (recalled, count)
        var groups: [Int: [Int: (recalled: Int, count: Int)]] = [:]
        for item in items where set.longTermReviewCount(item) == 1 {
            let first = set.histories[item.card][0].rating
            let review = set.firstLongTermReview(item)
            var cell = groups[first, default: [:]][review.deltaDays] ?? (0, 0)
            cell.count += 1
            cell.recalled += review.rating > 1 ? 1 : 0
            groups[first, default: [:]][review.deltaDays] = cell
        }
        guard !groups.isEmpty else { return nil }
        let decay = -FSRSParameters.defaultWeights[20]
        let factor = pow(0.9, 1 / decay) - 1
        var stability: [Int: Double] = [:]
        var counts: [Int: Int] = [:]
        for (rating, cells) in groups {
            let data = cells.sorted { $0.key < $1.key }.map { interval, cell in
                let n = Double(cell.count)
                // Laplace smoothing towards the average recall.
                return (t: Double(interval), recall: (Double(cell.recalled) + averageRecall) / (n + 1), n: n)
            }
            counts[rating] = cells.values.reduce(0) { $0 + $1.count }
            let prior = FSRSParameters.defaultWeights[rating - 1]
            func loss(_ s: Double) -> Double {
                var total = 0.0
                for d in data {
                    let p = pow(d.t / s * factor + 1, decay)
                    total += -(d.recall * log(p) + (1 - d.recall) * log(1 - p)) * d.n
                }
                return total + abs(s - prior) / 16
            }
            // Ternary search on [0.001, 100].
            var low = 0.001, high = 100.0, best = prior
            var iterations = 0
            while high - low > Double.ulpOfOne && iterations < 1000 {
                iterations += 1
                let m1 = low + (high - low) / 3, m2 = high - (high - low) / 3
                if loss(m1) < loss(m2) { high = m2 } else { low = m1 }
                best = (high + low) / 2
            }
            stability[rating] = best
        }
        guard let filled = smoothAndFill(stability, counts: counts) else { return nil }
        return (filled, counts)
    }

    /// Makes the first-day stabilities grow with the rating (the better-attested one of a
    /// misordered pair wins) and fills ratings without data by geometric interpolation:
    /// ln S₂ = 0.41 ln S₁ + 0.59 ln S₃ and ln S₃ = 0.46 ln S₂ + 0.54 ln S₄. `nil` without data.
    static func smoothAndFill(_ values: [Int: Double], counts: [Int: Int]) -> [Double]? {
        var s = values.filter { counts[$0.key] != nil }
        for (small, big) in [(1, 2), (2, 3), (3, 4), (1, 3), (2, 4), (1, 4)] {
            if let a = s[small], let b = s[big], a > b {
                if counts[small]! > counts[big]! { s[big] = a } else { s[small] = b }
            }
        }
        let w1 = 0.41, w2 = 0.54
        var result: [Double]
        switch s.count {
        case 0:
            return nil
        case 1:
            let (rating, value) = s.first!
            let scale = value / FSRSParameters.defaultWeights[rating - 1]
            result = FSRSParameters.defaultWeights[0..<4].map { $0 * scale }.sorted()
        default:
            // Unknowns in log space, from the two interpolation equations
            //   A: x2 = w1·x1 + (1 − w1)·x3        B: x3 = (1 − w2)·x2 + w2·x4
            var x: [Double?] = (1...4).map { s[$0].map(log) }
            if s.count == 3 {
                if x[0] == nil { x[0] = (x[1]! - (1 - w1) * x[2]!) / w1 }
                if x[1] == nil { x[1] = w1 * x[0]! + (1 - w1) * x[2]! }
                if x[2] == nil { x[2] = (1 - w2) * x[1]! + w2 * x[3]! }
                if x[3] == nil { x[3] = (x[2]! - (1 - w2) * x[1]!) / w2 }
            } else if s.count == 2 {
                x = solvePair(x, w1: w1, w2: w2)
            }
            result = x.map { exp($0!) }
        }
        return result.map { FSRSModel.clamp($0, 0.001...100) }
    }

    /// Solves equations A and B for the two unknown log-stabilities.
    private static func solvePair(_ x: [Double?], w1: Double, w2: Double) -> [Double?] {
        // Each equation as coefficients c·x = 0 over (x1, x2, x3, x4).
        let a = [w1, -1, 1 - w1, 0]
        let b = [0, 1 - w2, -1, w2]
        let unknown = (0..<4).filter { x[$0] == nil }
        let (i, j) = (unknown[0], unknown[1])
        func rest(_ c: [Double]) -> Double { (0..<4).reduce(0) { $0 + (x[$1] != nil ? c[$1] * x[$1]! : 0) } }
        // a[i]·xi + a[j]·xj = −rest(a); b[i]·xi + b[j]·xj = −rest(b)
        let det = a[i] * b[j] - a[j] * b[i]
        let ra = -rest(a), rb = -rest(b)
        var out = x
        out[i] = (ra * b[j] - a[j] * rb) / det
        out[j] = (a[i] * rb - ra * b[i]) / det
        return out
    }

    // MARK: - Bounds

    /// Clips `w` to fsrs-rs's training bounds (inside py-fsrs's published ones).
    static func clip(_ w: inout [Double], relearningSteps: Int) {
        var ceiling = 2.0
        if relearningSteps > 1 {
            let limit = -(log(w[11]) + log(pow(2, w[13]) - 1) + w[14] * 0.3) / Double(relearningSteps)
            ceiling = min(max(limit, 0.01).squareRoot(), 2)
        }
        let bounds: [ClosedRange<Double>] = [
            0.001...100, 0.001...100, 0.001...100, 0.001...100, 1...10, 0.001...4, 0.001...4, 0.001...0.75,
            0...4.5, 0...0.8, 0.001...3.5, 0.001...5, 0.001...0.25, 0.001...0.9, 0...4, 0...1, 1...6,
            0...ceiling, 0...ceiling, 0.01...0.8, 0.1...0.8,
        ]
        for i in 0..<21 { w[i] = FSRSModel.clamp(w[i], bounds[i]) }
    }
}

/// One training run: batches of whole cards, Adam, cosine learning rate.
private struct Trainer {
    struct Batch {
        /// Per card: its history index, the number of reviews to run, and its targets' range in `targets`.
        var cards: [(card: Int, length: Int, targets: Range<Int>)] = []
        var targets: [(index: Int, weight: Double)] = []
        var predictions: Int { targets.count }
    }

    let set: TrainingSet
    let start: [Double]
    let config: OptimizerConfig
    var batches: [Batch] = []
    let itemCount: Int

    init(set: TrainingSet, items: [TrainingSet.Item], start: [Double], config: OptimizerConfig) {
        self.set = set
        self.start = start
        self.config = config
        // Recency weights over the items in time order: 0.25 for the oldest up to 1 for the newest.
        let span = Float(max(items.count - 1, 1))
        var perCard: [Int: [(target: Int, weight: Double)]] = [:]
        var count = 0
        for (i, item) in items.enumerated() where item.target + 1 <= config.maximumSequenceLength {
            let weight = Double(0.25 + 0.75 * pow(Float(i) / span, 3))
            perCard[item.card, default: []].append((item.target, weight))
            count += 1
        }
        itemCount = count
        // Cards by their longest history, then greedily into batches of about `batchSize` predictions.
        let cards = perCard.keys.sorted().map { card in
            (card: card, targets: perCard[card]!.sorted { $0.target < $1.target })
        }.sorted { $0.targets.last!.target < $1.targets.last!.target }
        var batch = Batch()
        for card in cards {
            if !batch.cards.isEmpty && batch.predictions + card.targets.count > config.batchSize {
                batches.append(batch)
                batch = Batch()
            }
            let first = batch.targets.count
            batch.targets += card.targets.map { ($0.target, $0.weight) }
            batch.cards.append((card.card, card.targets.last!.target + 1, first..<batch.targets.count))
        }
        if !batch.cards.isEmpty { batches.append(batch) }
    }

    func run(progress: (OptimizerProgress) -> Bool) throws(OptimizerError) -> [Double] {
        var w = start
        let total = Double(itemCount)
        let iterations = Double((itemCount / config.batchSize + 1) * config.epochs)
        var rate = CosineRate(maximumSteps: iterations, initial: config.learningRate)
        var adam = Adam()
        var rng = SeededGenerator(seed: config.seed)
        var order = Array(batches.indices)
        var scratch = CardScratch()
        for epoch in 1...config.epochs {
            order = Array(batches.indices)
            order.shuffle(using: &rng)
            var done = 0
            for b in order {
                let batch = batches[b]
                let lr = rate.next()
                var g = [Double](repeating: 0, count: 21)
                let model = FSRSModel(w)
                for card in batch.cards {
                    scratch.lossAndGradient(
                        model, set.histories[card.card], length: card.length, targets: batch.targets[card.targets],
                        into: &g)
                }
                // The L2 pull, scaled by the batch's share of the data.
                let scale = config.gamma * Double(batch.predictions) / total
                for i in 0..<21 {
                    let spread = FSRSOptimizer.parameterSpread[i]
                    g[i] += 2 * (w[i] - start[i]) / (spread * spread) * scale
                }
                adam.step(&w, g, rate: lr)
                FSRSOptimizer.clip(&w, relearningSteps: config.relearningSteps)
                guard w.allSatisfy(\.isFinite) else { throw .diverged }
                done += batch.predictions
                if !progress(
                    OptimizerProgress(epoch: epoch, epochs: config.epochs, items: done, itemsPerEpoch: itemCount))
                {
                    throw .cancelled
                }
            }
        }
        return w
    }
}

/// Reused buffers for one card's forward and backward pass.
private struct CardScratch {
    var caches: [FSRSModel.StepCache] = []
    var gR: [Double] = []

    /// Adds the card's weighted loss gradient over `targets` to `g`. The card's first `length`
    /// reviews are run; the last of them is a target.
    mutating func lossAndGradient(
        _ model: FSRSModel, _ history: [TrainingReview], length: Int,
        targets: ArraySlice<(index: Int, weight: Double)>, into g: inout [Double]
    ) {
        let steps = length - 1
        if caches.count < steps { caches = Array(repeating: FSRSModel.StepCache(), count: steps) }
        if gR.count < length { gR = Array(repeating: 0, count: length) }
        for i in 0..<length { gR[i] = 0 }
        var state: MemoryState?
        for i in 0..<steps { state = model.forward(state, history[i], &caches[i]) }
        for target in targets where target.index < steps {
            let c = caches[target.index]
            gR[target.index] =
                FSRSModel.loss(r: c.r, label: history[target.index].rating > 1, weight: target.weight)
                .gradient
        }
        // The last target is predicted from the state after every earlier step.
        let last = targets.last!
        let s = state!.stability
        let clamped = FSRSModel.clamp(s, FSRSModel.stabilityRange)
        let r = model.retrievability(days: Double(history[steps].deltaDays), stability: clamped)
        let gLast = FSRSModel.loss(r: r, label: history[steps].rating > 1, weight: last.weight).gradient
        var gS =
            model.curveBackward(days: Double(history[steps].deltaDays), stability: clamped, r: r, gR: gLast, into: &g)
            * FSRSModel.passes(s, FSRSModel.stabilityRange)
        var gD = 0.0
        for i in stride(from: steps - 1, through: 0, by: -1) {
            (gS, gD) = model.backward(caches[i], gS: gS, gD: gD, gR: gR[i], into: &g)
        }
    }
}

/// Adam with fsrs-rs's constants.
private struct Adam {
    var m = [Double](repeating: 0, count: 21)
    var v = [Double](repeating: 0, count: 21)
    var t = 0

    mutating func step(_ w: inout [Double], _ g: [Double], rate: Double) {
        t += 1
        let b1 = 0.9, b2 = 0.999
        let c1 = 1 - pow(b1, Double(t)), c2 = 1 - pow(b2, Double(t))
        for i in 0..<21 {
            m[i] = b1 * m[i] + (1 - b1) * g[i]
            v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
            w[i] -= rate * (m[i] / c1) / ((v[i] / c2).squareRoot() + 1e-8)
        }
    }
}

/// A cosine learning-rate schedule from `initial` down to 0 over `maximumSteps`, computed
/// recursively as PyTorch's `CosineAnnealingLR` (and fsrs-rs) do.
private struct CosineRate {
    let maximumSteps: Double
    let initial: Double
    var step = -1.0
    var current: Double

    init(maximumSteps: Double, initial: Double) {
        self.maximumSteps = maximumSteps
        self.initial = initial
        current = initial
    }

    mutating func next() -> Double {
        step += 1
        let t = maximumSteps
        if step == 0 {
            current = initial
        } else if (step - 1 - t).truncatingRemainder(dividingBy: 2 * t) == 0 {
            current = initial * (1 - cos(Double.pi / t)) / 2
        } else {
            current = (1 + cos(Double.pi * step / t)) / (1 + cos(Double.pi * (step - 1) / t)) * current
        }
        return current
    }
}

extension FSRSOptimizer {
    /// The gradient of the summed weighted loss over `targets`, computed as training does (by
    /// hand, card by card).
    static func gradient(_ w: [Double], _ set: TrainingSet, _ targets: [(item: TrainingSet.Item, weight: Double)]) -> [Double] {
        var g = [Double](repeating: 0, count: 21)
        var scratch = CardScratch()
        let model = FSRSModel(w)
        let byCard = Dictionary(grouping: targets, by: \.item.card)
        for card in byCard.keys.sorted() {
            let list = byCard[card]!.sorted { $0.item.target < $1.item.target }.map { (index: $0.item.target, weight: $0.weight) }
            scratch.lossAndGradient(model, set.histories[card], length: list.last!.index + 1, targets: list[...], into: &g)
        }
        return g
    }

    /// The summed weighted loss over `targets`, from the forward pass alone.
    static func loss(_ w: [Double], _ set: TrainingSet, _ targets: [(item: TrainingSet.Item, weight: Double)]) -> Double {
        let model = FSRSModel(w)
        return targets.reduce(0) { total, t in
            let r = model.predict(set.reviews(of: t.item))
            return total
                + FSRSModel.loss(r: r, label: set.histories[t.item.card][t.item.target].rating > 1, weight: t.weight).loss
        }
    }
}
