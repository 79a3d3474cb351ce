import Foundation

/// The user's settings (`settings.json`). Missing fields decode to their defaults; a newer
/// schema version is refused.
public struct Settings: Sendable, Equatable, Codable {
    public static let schemaVersion = 1

    public var desiredRetention = 0.9
    public var newCardsPerDay = 20
    public var scheduler = SchedulerKind.fsrs6
    public var maximumInterval = 36500
    /// Seconds.
    public var learningSteps = [60, 600]
    public var relearningSteps = [600]
    public var fuzz = true
    /// Objective answers faster than this (seconds) rate Easy, slower than `slowAnswer` Hard.
    public var fastAnswer = 15
    public var slowAnswer = 60
    /// FSRS-6 weights fitted to the learner's own log (`srs optimize`); `nil` uses the defaults.
    public var fittedParameters: FittedParameters?
    /// The exam day (`YYYY-MM-DD`, local); `nil`: plain FSRS.
    public var examDate: String?
    /// New material is done this many days before the exam.
    public var examBufferDays = 7
    /// Minutes a day the learner can study; `nil`: no limit.
    public var dailyMinutes: Int?

    public init() {}

    /// The FSRS-6 weights every review uses.
    public var weights: [Double] { fittedParameters?.weights ?? FSRSParameters.defaultWeights }

    /// Each setting a user can change with `set`, with its allowed values.
    public static let keys: [(key: String, allowed: String)] = [
        ("desired-retention", "a number from 0.70 to 0.99"),
        ("new-cards-per-day", "a whole number from 0 to 1000"),
        ("scheduler", "fsrs-6 or sm-2"),
        ("maximum-interval", "a whole number of days from 1 to 36500"),
        ("learning-steps", "durations such as 1m,10m (s, m, h, d), or none"),
        ("relearning-steps", "durations such as 10m, or none"),
        ("fuzz", "on or off"),
        ("fast-answer", "seconds from 1 to 600, below slow-answer"),
        ("slow-answer", "seconds from 2 to 3600, above fast-answer"),
        ("parameters", "default, or 21 comma-separated FSRS-6 weights inside the published bounds (srs optimize fits them)"),
        ("exam-date", "a day like 2027-03-15 (study to it), or none (plain FSRS)"),
        ("exam-buffer-days", "days from 1 to 60 before the exam by which new material is done"),
        ("daily-minutes", "minutes a day from 5 to 600, or none"),
    ]

    /// The settings as `key value` pairs, in the order of `keys`.
    public var listing: [(key: String, value: String)] {
        [
            ("desired-retention", String(desiredRetention)),
            ("new-cards-per-day", String(newCardsPerDay)),
            ("scheduler", scheduler == .fsrs6 ? "fsrs-6" : "sm-2"),
            ("maximum-interval", String(maximumInterval)),
            ("learning-steps", Settings.formatSteps(learningSteps)),
            ("relearning-steps", Settings.formatSteps(relearningSteps)),
            ("fuzz", fuzz ? "on" : "off"),
            ("fast-answer", String(fastAnswer)),
            ("slow-answer", String(slowAnswer)),
            ("parameters", fittedParameters?.summary ?? "default (FSRS-6)"),
            ("exam-date", examDate ?? "none"),
            ("exam-buffer-days", String(examBufferDays)),
            ("daily-minutes", dailyMinutes.map(String.init) ?? "none"),
        ]
    }

    /// Sets `key` from what the user typed, or throws with the allowed range.
    public mutating func set(_ key: String, _ value: String) throws(ProgressError) {
        let key = key.lowercased()
        guard let allowed = Settings.keys.first(where: { $0.key == key })?.allowed else {
            throw .invalidSetting(
                key: key, value: value,
                allowed: "unknown setting; known: \(Settings.keys.map(\.key).joined(separator: ", "))")
        }
        let bad = ProgressError.invalidSetting(key: key, value: value, allowed: allowed)
        let trimmed = value.trimmingWhitespace()
        switch key {
        case "desired-retention":
            guard let v = Double(trimmed), v.isFinite, (0.70...0.99).contains(v) else { throw bad }
            desiredRetention = v
        case "new-cards-per-day":
            guard let v = Int(trimmed), (0...1000).contains(v) else { throw bad }
            newCardsPerDay = v
        case "scheduler":
            switch trimmed.lowercased() {
            case "fsrs-6", "fsrs6", "fsrs": scheduler = .fsrs6
            case "sm-2", "sm2": scheduler = .sm2
            default: throw bad
            }
        case "maximum-interval":
            guard let v = Int(trimmed), (1...36500).contains(v) else { throw bad }
            maximumInterval = v
        case "learning-steps", "relearning-steps":
            guard let steps = Settings.parseSteps(trimmed) else { throw bad }
            if key == "learning-steps" { learningSteps = steps } else { relearningSteps = steps }
        case "fuzz":
            switch trimmed.lowercased() {
            case "on", "true", "yes": fuzz = true
            case "off", "false", "no": fuzz = false
            default: throw bad
            }
        case "fast-answer":
            guard let v = Int(trimmed), (1...600).contains(v), v < slowAnswer else { throw bad }
            fastAnswer = v
        case "slow-answer":
            guard let v = Int(trimmed), (2...3600).contains(v), v > fastAnswer else { throw bad }
            slowAnswer = v
        case "exam-date":
            if ["none", "off", ""].contains(trimmed.lowercased()) {
                examDate = nil
            } else {
                guard trimmed.count == 10, ISOTime.parse(trimmed + "T00:00:00Z") != nil else { throw bad }
                examDate = trimmed
            }
        case "exam-buffer-days":
            guard let v = Int(trimmed), (1...60).contains(v) else { throw bad }
            examBufferDays = v
        case "daily-minutes":
            if ["none", "off"].contains(trimmed.lowercased()) {
                dailyMinutes = nil
            } else {
                guard let v = Int(trimmed), (5...600).contains(v) else { throw bad }
                dailyMinutes = v
            }
        case "parameters":
            if ["default", "defaults", "none"].contains(trimmed.lowercased()) {
                fittedParameters = nil
            } else {
                do {
                    fittedParameters = FittedParameters(weights: try FSRSParameters.parseWeights(trimmed))
                } catch {
                    throw .invalidSetting(key: key, value: value, allowed: "\(allowed) (\(error.localizedDescription))")
                }
            }
        default:
            throw bad
        }
    }

    /// Parses `1m,10m` (see `StepList`); quotes around an empty list are allowed, and a step may
    /// be at most a year.
    public static func parseSteps(_ text: String) -> [Int]? {
        guard let steps = StepList.parse(text.trimmingCharacters(in: CharacterSet(charactersIn: " \"'"))),
            steps.allSatisfy({ $0 <= 365 * 86_400 })
        else { return nil }
        return steps
    }

    public static func formatSteps(_ steps: [Int]) -> String {
        steps.isEmpty ? "none" : StepList.format(steps)
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion, desiredRetention, newCardsPerDay, scheduler, maximumInterval, learningSteps,
            relearningSteps, fuzz, fastAnswer, slowAnswer, fittedParameters, examDate, examBufferDays, dailyMinutes
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = Settings()
        desiredRetention = try c.decodeIfPresent(Double.self, forKey: .desiredRetention) ?? defaults.desiredRetention
        newCardsPerDay = try c.decodeIfPresent(Int.self, forKey: .newCardsPerDay) ?? defaults.newCardsPerDay
        scheduler = try c.decodeIfPresent(SchedulerKind.self, forKey: .scheduler) ?? defaults.scheduler
        maximumInterval = try c.decodeIfPresent(Int.self, forKey: .maximumInterval) ?? defaults.maximumInterval
        learningSteps = try c.decodeIfPresent([Int].self, forKey: .learningSteps) ?? defaults.learningSteps
        relearningSteps = try c.decodeIfPresent([Int].self, forKey: .relearningSteps) ?? defaults.relearningSteps
        fuzz = try c.decodeIfPresent(Bool.self, forKey: .fuzz) ?? defaults.fuzz
        fastAnswer = try c.decodeIfPresent(Int.self, forKey: .fastAnswer) ?? defaults.fastAnswer
        slowAnswer = try c.decodeIfPresent(Int.self, forKey: .slowAnswer) ?? defaults.slowAnswer
        fittedParameters = try c.decodeIfPresent(FittedParameters.self, forKey: .fittedParameters)
        examDate = try c.decodeIfPresent(String.self, forKey: .examDate)
        examBufferDays = try c.decodeIfPresent(Int.self, forKey: .examBufferDays) ?? defaults.examBufferDays
        dailyMinutes = try c.decodeIfPresent(Int.self, forKey: .dailyMinutes)
        // A hand-edited file is held to the ranges `set` allows; a value outside them makes the
        // file unusable (the defaults are used and the file is left alone) rather than scheduling with it.
        func check(_ ok: Bool, _ key: CodingKeys, _ allowed: String) throws {
            guard ok else {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "\(key.rawValue) must be \(allowed)")
            }
        }
        try check(desiredRetention.isFinite && (0.70...0.99).contains(desiredRetention), .desiredRetention, "from 0.70 to 0.99")
        try check((0...1000).contains(newCardsPerDay), .newCardsPerDay, "from 0 to 1000")
        try check((1...36500).contains(maximumInterval), .maximumInterval, "from 1 to 36500 days")
        let stepOK = { (steps: [Int]) in steps.allSatisfy { $0 > 0 && $0 <= 365 * 86_400 } }
        try check(stepOK(learningSteps), .learningSteps, "steps from 1 second to a year")
        try check(stepOK(relearningSteps), .relearningSteps, "steps from 1 second to a year")
        try check(
            (1...600).contains(fastAnswer) && (2...3600).contains(slowAnswer) && fastAnswer < slowAnswer, .fastAnswer,
            "below slowAnswer (1–600 and 2–3600 seconds)")
        try check(
            examDate.map { $0.count == 10 && ISOTime.parse($0 + "T00:00:00Z") != nil } ?? true, .examDate, "a day like 2027-03-15"
        )
        try check((1...60).contains(examBufferDays), .examBufferDays, "from 1 to 60 days")
        try check(dailyMinutes.map { (5...600).contains($0) } ?? true, .dailyMinutes, "from 5 to 600 minutes")
        if let weights = fittedParameters?.weights {
            do {
                try FSRSParameters(weights: weights).validate()
            } catch {
                throw DecodingError.dataCorruptedError(
                    forKey: .fittedParameters, in: c, debugDescription: error.localizedDescription)
            }
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(Settings.schemaVersion, forKey: .schemaVersion)
        try c.encode(desiredRetention, forKey: .desiredRetention)
        try c.encode(newCardsPerDay, forKey: .newCardsPerDay)
        try c.encode(scheduler, forKey: .scheduler)
        try c.encode(maximumInterval, forKey: .maximumInterval)
        try c.encode(learningSteps, forKey: .learningSteps)
        try c.encode(relearningSteps, forKey: .relearningSteps)
        try c.encode(fuzz, forKey: .fuzz)
        try c.encode(fastAnswer, forKey: .fastAnswer)
        try c.encode(slowAnswer, forKey: .slowAnswer)
        try c.encodeIfPresent(fittedParameters, forKey: .fittedParameters)
        try c.encodeIfPresent(examDate, forKey: .examDate)
        try c.encode(examBufferDays, forKey: .examBufferDays)
        try c.encodeIfPresent(dailyMinutes, forKey: .dailyMinutes)
    }

    /// Reads `settings.json` in `directory`; defaults when there is none.
    public static func load(from directory: URL) throws(ProgressError) -> Settings {
        let url = directory.appendingPathComponent("settings.json")
        let kind = FileKind.of(url.path)
        if kind == .missing { return Settings() }
        guard kind == .file else {
            throw .corrupt(file: url.path, line: nil, reason: "it is \(kind.phrase), not a file")
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw .io(file: url.path, operation: "read", errno: errno == 0 ? EIO : errno)
        }
        let probe: SchemaVersionProbe
        do {
            probe = try JSONDecoder().decode(SchemaVersionProbe.self, from: data)
        } catch {
            throw .corrupt(
                file: url.path, line: JSONErrorLocation.line(of: error, in: data),
                reason: data.isEmpty ? "the file is empty" : "not valid JSON or no schemaVersion")
        }
        if probe.schemaVersion > schemaVersion {
            throw .newerVersion(file: url.path, found: probe.schemaVersion, supported: schemaVersion)
        }
        do {
            return try JSONDecoder().decode(Settings.self, from: data)
        } catch {
            throw .corrupt(
                file: url.path, line: JSONErrorLocation.line(of: error, in: data),
                reason: JSONErrorLocation.summary(of: error))
        }
    }

    /// The settings to use for this run: the file's, or the defaults with the reason the file
    /// could not be used (the file itself is left as it is, and `SettingsFile.damaged` tells
    /// `set` not to replace it).
    public static func loadOrDefaults(from directory: URL) -> (settings: Settings, problem: ProgressError?) {
        do {
            return (try load(from: directory), nil)
        } catch {
            return (Settings(), error)
        }
    }

    /// Writes `settings.json` atomically (pretty-printed, sorted keys).
    public func save(to directory: URL) throws(ProgressError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = (try? encoder.encode(self)) ?? Data()
        try AtomicFile.write(data + Data("\n".utf8), to: directory.appendingPathComponent("settings.json"))
    }
}

/// FSRS-6 weights the learner adopted, with where they came from.
public struct FittedParameters: Sendable, Equatable, Codable {
    /// The 21 weights, inside `FSRSParameters.weightBounds`.
    public var weights: [Double]
    /// The day of the fit (`YYYY-MM-DD`); `nil` for weights typed in with `set parameters`.
    public var fitted: String?
    /// Reviews and training items the fit used.
    public var reviews: Int?
    public var items: Int?
    /// Scores on those items before (the parameters in use then) and after.
    public var logLoss: Change?
    public var rmseBins: Change?
    /// How days were counted.
    public var days: String?

    /// A score before and after a fit.
    public struct Change: Sendable, Equatable, Codable {
        public var before: Double
        public var after: Double

        public init(before: Double, after: Double) {
            self.before = before
            self.after = after
        }
    }

    public init(
        weights: [Double], fitted: String? = nil, reviews: Int? = nil, items: Int? = nil, logLoss: Change? = nil,
        rmseBins: Change? = nil, days: String? = nil
    ) {
        self.weights = weights
        self.fitted = fitted
        self.reviews = reviews
        self.items = items
        self.logLoss = logLoss
        self.rmseBins = rmseBins
        self.days = days
    }

    /// One line for `settings`.
    public var summary: String {
        var head = "set by hand"
        if let fitted {
            head = "fitted \(fitted)"
            if let reviews { head += " to \(reviews) reviews" }
            if let logLoss { head += ", log loss \(Self.figure(logLoss.before)) → \(Self.figure(logLoss.after))" }
            if let rmseBins { head += ", RMSE(bins) \(Self.figure(rmseBins.before)) → \(Self.figure(rmseBins.after))" }
        }
        return head + ": " + FSRSParameters.formatWeights(weights)
    }

    static func figure(_ x: Double) -> String { String(format: "%.4f", x) }
}
