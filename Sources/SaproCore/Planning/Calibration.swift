import Foundation

/// What readiness predicted for one mock-exam question when the exam started, and the outcome.
public struct PredictedOutcome: Sendable, Equatable, Codable {
    public var mastery: Double
    public var success: Double
    public var correct: Bool

    public init(mastery: Double, success: Double, correct: Bool) {
        self.mastery = mastery
        self.success = success
        self.correct = correct
    }
}

/// How well the predictions frozen at the start of each mock exam matched its results, and the
/// recalibration they support.
public struct CalibrationReport: Sendable, Equatable, Codable {
    /// Predictions of one band of 0.1 and what happened.
    public struct Bin: Sendable, Equatable, Codable {
        public var from: Double
        public var to: Double
        public var questions: Int
        public var predicted: Double
        public var observed: Double
    }

    public var exams: Int
    public var questions: Int
    public var logLoss: Double
    public var brier: Double
    /// Mean prediction and share right (calibration in the large).
    public var meanPredicted: Double
    public var observed: Double
    public var reliability: [Bin]
    /// (α, β) fitted to every exam (maximum a posteriori, prior N((0, 1), I)).
    public var fitted: Calibration
    /// Log loss of each exam predicted by the identity and by (α, β) fitted to the other exams.
    public var heldOutLogLoss: [String: Double]?
    /// Whether readiness uses `fitted`: only when it predicted the held-out exam better.
    public var adopted: Bool

    /// The calibration readiness should use.
    public var inUse: Calibration { adopted ? fitted : .identity }

    /// The report over `exams` (oldest first); `nil` without any prediction.
    public static func make(exams: [[PredictedOutcome]], guess: Double = ReadinessModel.guess) -> CalibrationReport? {
        let all = exams.flatMap { $0 }
        guard !all.isEmpty else { return nil }
        let logLoss = Self.logLoss(all.map { ($0.success, $0.correct) })
        let brier = all.reduce(0.0) { $0 + pow($1.success - ($1.correct ? 1 : 0), 2) } / Double(all.count)
        var bins: [Bin] = []
        for k in 0..<10 {
            let lo = Double(k) / 10, hi = Double(k + 1) / 10
            let members = all.filter { $0.success >= lo && ($0.success < hi || (k == 9 && $0.success <= 1)) }
            guard !members.isEmpty else { continue }
            bins.append(
                Bin(
                    from: lo, to: hi, questions: members.count,
                    predicted: members.reduce(0.0) { $0 + $1.success } / Double(members.count),
                    observed: Double(members.filter(\.correct).count) / Double(members.count)))
        }
        let fitted = fit(all, guess: guess)
        var heldOut: [String: Double]?
        var adopted = false
        let used = exams.filter { !$0.isEmpty }
        if used.count >= 2 {
            // Each exam in turn predicted by (α, β) fitted to the others.
            var identity: [(Double, Bool)] = [], recalibrated: [(Double, Bool)] = []
            for k in used.indices {
                let others = fit(used.indices.filter { $0 != k }.flatMap { used[$0] }, guess: guess)
                for o in used[k] {
                    identity.append((Calibration.identity.success(mastery: o.mastery, guess: guess), o.correct))
                    recalibrated.append((others.success(mastery: o.mastery, guess: guess), o.correct))
                }
            }
            let a = Self.logLoss(identity), b = Self.logLoss(recalibrated)
            heldOut = ["identity": a, "recalibrated": b]
            adopted = b < a
        }
        return CalibrationReport(
            exams: used.count, questions: all.count, logLoss: logLoss, brier: brier,
            meanPredicted: all.reduce(0.0) { $0 + $1.success } / Double(all.count),
            observed: Double(all.filter(\.correct).count) / Double(all.count), reliability: bins, fitted: fitted,
            heldOutLogLoss: heldOut, adopted: adopted)
    }

    static func logLoss(_ pairs: [(p: Double, y: Bool)]) -> Double {
        guard !pairs.isEmpty else { return 0 }
        return pairs.reduce(0.0) { total, pair in
            let p = min(max(pair.p, 1e-9), 1 - 1e-9)
            return total - (pair.y ? log(p) : log(1 - p))
        } / Double(pairs.count)
    }

    /// Maximum a posteriori (α, β): the questions' log loss plus a Gaussian prior centred on the
    /// identity (0, 1) with unit variance, so that a few questions barely move it; β ≥ 0. Newton's method
    /// on the two parameters, with a halving step.
    static func fit(_ outcomes: [PredictedOutcome], guess g: Double) -> Calibration {
        let xs = outcomes.map { o -> (x: Double, y: Double) in
            let m = min(max(o.mastery, 1e-6), 1 - 1e-6)
            return (log(m / (1 - m)), o.correct ? 1 : 0)
        }
        func objective(_ a: Double, _ b: Double) -> Double {
            var total = (a * a + (b - 1) * (b - 1)) / 2
            for (x, y) in xs {
                let p = min(max(g + (1 - g) / (1 + exp(-(a + b * x))), 1e-12), 1 - 1e-12)
                total -= y * log(p) + (1 - y) * log(1 - p)
            }
            return total
        }
        func gradient(_ a: Double, _ b: Double) -> (Double, Double) {
            var ga = a, gb = b - 1
            for (x, y) in xs {
                let s = 1 / (1 + exp(-(a + b * x)))
                let p = min(max(g + (1 - g) * s, 1e-12), 1 - 1e-12)
                let dz = -(y / p - (1 - y) / (1 - p)) * (1 - g) * s * (1 - s)
                ga += dz
                gb += dz * x
            }
            return (ga, gb)
        }
        var a = 0.0, b = 1.0
        for _ in 0..<100 {
            let (ga, gb) = gradient(a, b)
            // The Hessian from central differences of the gradient.
            let h = 1e-5
            let (gaA, gbA) = gradient(a + h, b), (gaA2, gbA2) = gradient(a - h, b)
            let (gaB, gbB) = gradient(a, b + h), (gaB2, gbB2) = gradient(a, b - h)
            let haa = (gaA - gaA2) / (2 * h), hab = ((gbA - gbA2) + (gaB - gaB2)) / (4 * h), hbb = (gbB - gbB2) / (2 * h)
            let det = haa * hbb - hab * hab
            var (da, db) = det > 1e-12 ? ((hbb * ga - hab * gb) / det, (haa * gb - hab * ga) / det) : (ga * 0.1, gb * 0.1)
            let current = objective(a, b)
            var step = 1.0
            while step > 1e-6 && objective(a - step * da, b - step * db) > current { step /= 2 }
            if step <= 1e-6 { break }
            da *= step
            db *= step
            a -= da
            // More mastery never means less success: β stays at 0 or above.
            let kept = max(0, b - db)
            db = b - kept
            b = kept
            if abs(da) + abs(db) < 1e-10 { break }
        }
        return Calibration(alpha: a, beta: b)
    }
}
