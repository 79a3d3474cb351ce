import Foundation

/// FSRS-6's memory model as the optimizer uses it, following fsrs-rs 6.6.1 (the optimizer inside
/// Anki) rather than py-fsrs: days are whole day numbers, a same-day review updates stability
/// through the short-term formula, and stability and difficulty are clamped to [0.001, 36500]
/// and [1, 10] before every step. Everything is in `Double`.
///
/// `step` and `retrievability` are the forward pass; `CardGradient` differentiates a card's
/// whole history by hand (reverse mode), branch for branch.
struct FSRSModel {
    static let stabilityRange = 0.001...36500.0
    static let difficultyRange = 1.0...10.0

    let w: [Double]
    let decay: Double
    let factor: Double
    /// d(factor)/d(decay).
    let factorSlope: Double
    let expW8: Double
    let failureFloorDivisor: Double
    let easyDifficulty: Double
    let exp3W5: Double

    init(_ w: [Double]) {
        precondition(w.count == 21)
        self.w = w
        decay = -w[20]
        factor = exp(log(0.9) / decay) - 1
        factorSlope = exp(log(0.9) / decay) * (-log(0.9) / (decay * decay))
        expW8 = exp(w[8])
        failureFloorDivisor = exp(w[17] * w[18])
        easyDifficulty = w[4] - exp(3 * w[5]) + 1
        exp3W5 = exp(3 * w[5])
    }

    @inline(__always)
    static func clamp(_ x: Double, _ range: ClosedRange<Double>) -> Double {
        min(max(x, range.lowerBound), range.upperBound)
    }

    /// 1 where a clamp to `range` lets the gradient through (on the boundary too), else 0.
    @inline(__always)
    static func passes(_ x: Double, _ range: ClosedRange<Double>) -> Double {
        range.contains(x) ? 1 : 0
    }

    /// Probability of recall `days` after a review that left stability `stability`.
    @inline(__always)
    func retrievability(days: Double, stability: Double) -> Double {
        pow(max(days, 0) / stability * factor + 1, decay)
    }

    func initialDifficulty(_ rating: Int) -> Double {
        w[4] - exp(w[5] * Double(rating - 1)) + 1
    }

    /// The memory state after `review`, from `state` (`nil` before the first review).
    func step(_ state: MemoryState?, _ review: TrainingReview) -> MemoryState {
        var cache = StepCache()
        return forward(state, review, &cache)
    }

    /// The memory state before the last review of `reviews` (everything but the target).
    func state(before reviews: ArraySlice<TrainingReview>) -> MemoryState? {
        var state: MemoryState?
        for review in reviews.dropLast() { state = step(state, review) }
        return state
    }

    /// The predicted probability that the last review of `reviews` is a success.
    func predict(_ reviews: ArraySlice<TrainingReview>) -> Double {
        let state = state(before: reviews)!
        return retrievability(
            days: Double(reviews.last!.deltaDays), stability: Self.clamp(state.stability, Self.stabilityRange))
    }

    /// The prediction for every item of `set`, in the order of `set.items`: one pass through each
    /// card's history (the same numbers as `predict` on each item, in linear time).
    func predictions(_ set: TrainingSet) -> [Double] {
        var byCard = [[(target: Int, item: Int)]](repeating: [], count: set.histories.count)
        for (i, item) in set.items.enumerated() { byCard[item.card].append((item.target, i)) }
        var out = [Double](repeating: 0, count: set.items.count)
        for (card, targets) in byCard.enumerated() where !targets.isEmpty {
            let history = set.histories[card]
            let sorted = targets.sorted { $0.target < $1.target }
            var state: MemoryState?
            var next = 0
            for (i, review) in history.enumerated() {
                while next < sorted.count && sorted[next].target == i {
                    let s = Self.clamp(state!.stability, Self.stabilityRange)
                    out[sorted[next].item] = retrievability(days: Double(review.deltaDays), stability: s)
                    next += 1
                }
                if next == sorted.count { break }
                state = step(state, review)
            }
        }
        return out
    }

    /// What the backward pass needs of one step.
    struct StepCache {
        var stateS = 0.0, stateD = 0.0
        var lastS = 0.0, lastD = 0.0
        var delta = 0.0
        var rating = 0
        var r = 0.0
        var initial = false
        var branch = Branch.success
        var failureUsedFloor = false
        var failureRaw = 0.0, failureFloor = 0.0
        var shortRaw = 0.0, shortValue = 0.0
        var shortRawActive = false
        var preClampS = 0.0
        var meanD = 0.0
    }

    enum Branch { case short, failure, success }

    @inline(__always)
    func forward(_ state: MemoryState?, _ review: TrainingReview, _ c: inout StepCache) -> MemoryState {
        let rating = review.rating
        c.rating = rating
        c.delta = Double(review.deltaDays)
        guard let state else {
            c.initial = true
            let s = w[rating - 1]
            let d = initialDifficulty(rating)
            c.preClampS = s
            c.meanD = d
            return MemoryState(
                stability: Self.clamp(s, Self.stabilityRange), difficulty: Self.clamp(d, Self.difficultyRange))
        }
        c.initial = false
        c.stateS = state.stability
        c.stateD = state.difficulty
        let s = Self.clamp(state.stability, Self.stabilityRange)
        let d = Self.clamp(state.difficulty, Self.difficultyRange)
        c.lastS = s
        c.lastD = d
        let r = retrievability(days: c.delta, stability: s)
        c.r = r
        let newS: Double
        if review.deltaDays == 0 {
            c.branch = .short
            let raw = exp(w[17] * (Double(rating - 3) + w[18])) * pow(s, -w[19])
            c.shortRaw = raw
            c.shortRawActive = !(rating >= 2 && raw < 1)
            c.shortValue = rating >= 2 ? max(raw, 1) : raw
            newS = s * c.shortValue
        } else if rating == 1 {
            c.branch = .failure
            let raw = w[11] * pow(d, -w[12]) * (pow(s + 1, w[13]) - 1) * exp((1 - r) * w[14])
            let floor = s / failureFloorDivisor
            c.failureRaw = raw
            c.failureFloor = floor
            c.failureUsedFloor = floor < raw
            newS = c.failureUsedFloor ? floor : raw
        } else {
            c.branch = .success
            let hard = rating == 2 ? w[15] : 1
            let easy = rating == 4 ? w[16] : 1
            let increase = expW8 * (11 - d) * pow(s, -w[9]) * (exp((1 - r) * w[10]) - 1) * hard * easy
            newS = s * (increase + 1)
        }
        let deltaD = -w[6] * Double(rating - 3)
        let nextD = d + (10 - d) * deltaD / 9
        let meanD = w[7] * (easyDifficulty - nextD) + nextD
        c.preClampS = newS
        c.meanD = meanD
        return MemoryState(
            stability: Self.clamp(newS, Self.stabilityRange), difficulty: Self.clamp(meanD, Self.difficultyRange))
    }

    /// Back through one step: `gS` and `gD` are the loss's derivatives by the step's output
    /// stability and difficulty, `gR` by the step's retrievability (from a loss on it). Adds the
    /// parameters' derivatives to `g` and returns those by the step's input state.
    @inline(__always)
    func backward(_ c: StepCache, gS: Double, gD: Double, gR: Double, into g: inout [Double]) -> (Double, Double) {
        let gPreS = gS * Self.passes(c.preClampS, Self.stabilityRange)
        if c.initial {
            g[c.rating - 1] += gPreS
            let gRawD = gD * Self.passes(c.meanD, Self.difficultyRange)
            if gRawD != 0 {
                let offset = Double(c.rating - 1)
                g[4] += gRawD
                g[5] += gRawD * -offset * exp(offset * w[5])
            }
            return (0, 0)
        }
        let s = c.lastS, d = c.lastD, r = c.r
        var gLastS = 0.0, gLastD = 0.0
        var gRTotal = gR
        if gPreS != 0 {
            switch c.branch {
            case .short:
                gLastS += gPreS * c.shortValue
                if c.shortRawActive {
                    let gRaw = gPreS * s * c.shortRaw
                    g[17] += gRaw * (Double(c.rating - 3) + w[18])
                    g[18] += gRaw * w[17]
                    g[19] += gRaw * -log(s)
                    gLastS += gRaw * (-w[19] / s)
                }
            case .failure:
                if c.failureUsedFloor {
                    let floor = c.failureFloor
                    g[17] += gPreS * floor * -w[18]
                    g[18] += gPreS * floor * -w[17]
                    gLastS += gPreS * floor / s
                } else {
                    let raw = c.failureRaw
                    let base = s + 1
                    let p = pow(base, w[13])
                    let dPow = pow(d, -w[12])
                    let er = exp((1 - r) * w[14])
                    g[11] += gPreS * raw / w[11]
                    g[12] += gPreS * raw * -log(d)
                    g[13] += gPreS * w[11] * dPow * er * p * log(base)
                    g[14] += gPreS * raw * (1 - r)
                    gLastS += gPreS * w[11] * dPow * er * w[13] * p / base
                    gLastD += gPreS * raw * (-w[12] / d)
                    gRTotal += gPreS * raw * -w[14]
                }
            case .success:
                let hard = c.rating == 2 ? w[15] : 1
                let easy = c.rating == 4 ? w[16] : 1
                let a = expW8, b = 11 - d, cs = pow(s, -w[9])
                let ex = exp((1 - r) * w[10])
                let e = ex - 1
                let increase = a * b * cs * e * hard * easy
                let gInc = gPreS * s
                gLastS += gPreS * (increase + 1) + gInc * increase * (-w[9] / s)
                gLastD += -(gInc * a * cs * e * hard * easy)
                gRTotal += gInc * a * b * cs * hard * easy * (-w[10] * ex)
                g[8] += gInc * increase
                g[9] += gInc * increase * -log(s)
                g[10] += gInc * a * b * cs * hard * easy * (1 - r) * ex
                if c.rating == 2 { g[15] += gInc * a * b * cs * e * easy }
                if c.rating == 4 { g[16] += gInc * a * b * cs * e * hard }
            }
        }
        // Difficulty: damping, then mean reversion towards the Easy initial difficulty.
        let gMean = gD * Self.passes(c.meanD, Self.difficultyRange)
        if gMean != 0 {
            let ratingOffset = Double(c.rating - 3)
            let deltaD = -w[6] * ratingOffset
            let nextD = d + (10 - d) * deltaD / 9
            g[7] += gMean * (easyDifficulty - nextD)
            g[4] += gMean * w[7]
            g[5] += gMean * w[7] * -3 * exp3W5
            let gNext = gMean * (1 - w[7])
            g[6] += gNext * (10 - d) * -ratingOffset / 9
            gLastD += gNext * (1 - deltaD / 9)
        }
        gLastS += curveBackward(days: c.delta, stability: s, r: r, gR: gRTotal, into: &g)
        return (
            gLastS * Self.passes(c.stateS, Self.stabilityRange), gLastD * Self.passes(c.stateD, Self.difficultyRange)
        )
    }

    /// Back through the forgetting curve: adds d/dw20 to `g` and returns d/d(stability).
    @inline(__always)
    func curveBackward(days: Double, stability s: Double, r: Double, gR: Double, into g: inout [Double]) -> Double {
        if gR == 0 { return 0 }
        let t = max(days, 0)
        let base = t / s * factor + 1
        let gS = gR * r * decay / base * (-t * factor / (s * s))
        let dRdDecay = r * (log(base) + decay / base * (t / s * factorSlope))
        g[20] -= gR * dRdDecay
        return gS
    }

    static let minProbability = 1e-7
    static let maxProbability = 1 - 1e-7

    /// Weighted binary cross-entropy of predicting `r` for `label`, and its derivative by `r`
    /// (zero where the probability is clamped).
    @inline(__always)
    static func loss(r rawR: Double, label: Bool, weight: Double) -> (loss: Double, gradient: Double) {
        if weight == 0 { return (0, 0) }
        let r = clamp(rawR, minProbability...maxProbability)
        let y = label ? 1.0 : 0.0
        let loss = -(y * log(r) + (1 - y) * log(1 - r)) * weight
        let gradient = rawR > minProbability && rawR < maxProbability ? -weight * (y / r - (1 - y) / (1 - r)) : 0
        return (loss, gradient)
    }
}
