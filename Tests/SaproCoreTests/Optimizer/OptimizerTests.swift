import Foundation
import Testing
@testable import SaproCore

@Suite("FSRS optimizer against fsrs-rs's outputs on fixture logs")
struct OptimizerAgainstFSRSRS {
    @Test(arguments: OptimizerFixtures.logs)
    func trainingItemsAreTheSharedScriptsItemsPairForPair(log: String) throws {
        let reference = try FSRSRSOutput.load("\(log).fsrs-rs.json")
        let set = try OptimizerFixtures.set(log)
        let expected = try #require(reference.items)
        #expect(set.reviewCount == reference.reviews)
        #expect(set.items.count == expected.count)
        var mismatches: [String] = []
        for (i, (item, want)) in zip(set.items, expected).enumerated() {
            let got = set.reviews(of: item).map { [$0.rating, $0.deltaDays] }
            if set.cardIDs[item.card] != want.card || got != want.reviews {
                mismatches.append("item \(i): \(set.cardIDs[item.card]) \(got) vs \(want.card) \(want.reviews)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) items differ, first: \(mismatches.prefix(2))")
    }

    @Test(arguments: ["small.fsrs-rs.json", "medium.fsrs-rs.json", "medium-fitted-params.fsrs-rs.json"])
    func memoryStatesBeforeEachTargetMatchFSRSRS(file: String) throws {
        let reference = try FSRSRSOutput.load(file)
        let set = try OptimizerFixtures.set(file.hasPrefix("small") ? "small" : "medium")
        let model = FSRSModel(reference.parameters ?? FSRSParameters.defaultWeights)
        let memory = try #require(reference.memory)
        #expect(memory.count == set.items.count)
        var worst = 0.0
        for (item, want) in zip(set.items, memory) {
            let state = try #require(model.state(before: set.reviews(of: item)))
            worst = max(worst, abs(state.stability - want[0]) / want[0], abs(state.difficulty - want[1]) / want[1])
        }
        #expect(worst <= 1e-5, "largest relative difference \(worst)")
    }

    @Test(arguments: [
        "tiny.fsrs-rs.json", "pretrain.fsrs-rs.json", "small.fsrs-rs.json", "medium.fsrs-rs.json",
        "medium-fitted-params.fsrs-rs.json",
    ])
    func logLossAndRMSEBinsMatchFSRSRSEvaluate(file: String) throws {
        let reference = try FSRSRSOutput.load(file)
        let want = try #require(reference.evaluate)
        let set = try OptimizerFixtures.set(String(file.prefix { $0 != "." && $0 != "-" }))
        let got = try #require(ModelEvaluation.evaluate(reference.parameters ?? FSRSParameters.defaultWeights, on: set))
        #expect(abs(got.logLoss - want.log_loss) <= 1e-5, "log loss \(got.logLoss) vs \(want.log_loss)")
        #expect(abs(got.rmseBins - want.rmse_bins) <= 1e-5, "RMSE(bins) \(got.rmseBins) vs \(want.rmse_bins)")
    }

    @Test(arguments: OptimizerFixtures.logs)
    func outlierFilterKeepsWhatFSRSRSKeeps(log: String) throws {
        let want = try #require(try FSRSRSOutput.load("\(log).fsrs-rs.json").filtered)
        let (initialization, train) = FSRSOptimizer.filterOutliers(try OptimizerFixtures.set(log))
        #expect(initialization.count == want.initialization)
        #expect(train.count == want.train)
    }

    @Test func tooFewItemsKeepTheDefaultsAndSayWhy() throws {
        let reference = try FSRSRSOutput.load("tiny.fsrs-rs.json")
        let fit = try FSRSOptimizer.fit(try OptimizerFixtures.set("tiny"))
        #expect(fit.parameters == FSRSParameters.defaultWeights)
        #expect(zip(fit.parameters, try #require(reference.fit).parameters).allSatisfy { abs($0 - $1) < 1e-6 })
        guard case .defaults(let why) = fit.extent else {
            Issue.record("expected the defaults, got \(fit.extent)")
            return
        }
        #expect(why.contains("fewer than 8"))
    }

    @Test func fewerThan64ItemsFitTheFirstDayStabilitiesAsFSRSRSPretrains() throws {
        let reference = try #require(try FSRSRSOutput.load("pretrain.fsrs-rs.json").fit)
        let fit = try FSRSOptimizer.fit(try OptimizerFixtures.set("pretrain"))
        guard case .initialStabilityOnly = fit.extent else {
            Issue.record("expected pretraining only, got \(fit.extent)")
            return
        }
        #expect(fit.trainingItems < 64 && fit.trainingItems >= 8)
        for i in 0..<21 {
            let tolerance = i < 4 ? 1e-4 * reference.parameters[i] : 1e-6
            #expect(
                abs(fit.parameters[i] - reference.parameters[i]) <= tolerance,
                "w\(i): \(fit.parameters[i]) vs \(reference.parameters[i])")
        }
        #expect(fit.parameters[0] != FSRSParameters.defaultWeights[0], "pretraining moved w0")
    }

    @Test(arguments: ["small", "medium"])
    func fittedParametersPredictAsWellAsFSRSRSsOwnFit(log: String) throws {
        let reference = try #require(try FSRSRSOutput.load("\(log).fsrs-rs.json").fit)
        let set = try OptimizerFixtures.set(log)
        let fit = try FSRSOptimizer.fit(set)
        #expect(fit.extent == .full)
        // Scored with the evaluation checked above to equal fsrs-rs's to 1e-5.
        let ours = try #require(ModelEvaluation.evaluate(fit.parameters, on: set))
        #expect(ours.logLoss <= reference.log_loss + 0.001, "log loss \(ours.logLoss) vs fsrs-rs \(reference.log_loss)")
        #expect(ours.rmseBins <= reference.rmse_bins + 0.003, "RMSE(bins) \(ours.rmseBins) vs fsrs-rs \(reference.rmse_bins)")
        #expect(ours.logLoss <= reference.default_log_loss, "no worse than the defaults")
        for (i, (w, bounds)) in zip(fit.parameters, FSRSParameters.weightBounds).enumerated() {
            #expect(bounds.contains(w), "w\(i) = \(w) is outside \(bounds)")
        }
    }

    /// A 470-review log on which fsrs-rs's own fit predicts worse than the defaults.
    @Test func aFitThatPredictsWorseThanTheDefaultsIsNotKept() throws {
        let reference = try #require(try FSRSRSOutput.load("worse.fsrs-rs.json").fit)
        #expect(reference.log_loss > reference.default_log_loss, "the fixture's premise, from fsrs-rs")
        let outcome = try OptimizeOutcome.run(
            reviews: try OptimizerFixtures.reviews("worse"), current: FSRSParameters.defaultWeights, days: DayConvention())
        let fit = outcome.fit
        #expect(fit.parameters == FSRSParameters.defaultWeights)
        #expect(outcome.after == outcome.before && !outcome.better)
        guard case .defaults(let why) = fit.extent else {
            Issue.record("expected the defaults, got \(fit.extent)")
            return
        }
        #expect(why.contains("worse than the defaults"))
    }

    @Test func sameSeedGivesTheSameParametersAndAnotherSeedStaysClose() throws {
        let set = try OptimizerFixtures.set("medium")
        var other = OptimizerConfig()
        other.seed = 7
        let a = try FSRSOptimizer.fit(set), b = try FSRSOptimizer.fit(set), c = try FSRSOptimizer.fit(set, config: other)
        #expect(a.parameters == b.parameters)
        let la = try #require(ModelEvaluation.evaluate(a.parameters, on: set)).logLoss
        let lc = try #require(ModelEvaluation.evaluate(c.parameters, on: set)).logLoss
        #expect(abs(la - lc) < 0.002)
    }
}

@Suite("FSRS optimizer gradients")
struct OptimizerGradients {
    /// Three fixed batches of the medium log: the first, a middle and the last 150 items, with
    /// the small log's fitted parameters (away from the defaults, so every branch is exercised).
    @Test(arguments: [0, 700, 1481])
    func analyticGradientEqualsCentralDifferences(start: Int) throws {
        let set = try OptimizerFixtures.set("medium")
        let w = try #require(try FSRSRSOutput.load("medium-fitted-params.fsrs-rs.json").parameters)
        let batch = set.items[start..<min(start + 150, set.items.count)].enumerated().map {
            (item: $1, weight: 0.25 + Double($0) / 200)
        }
        let analytic = FSRSOptimizer.gradient(w, set, batch)
        let h = 1e-4
        let scale = analytic.map(abs).max()!
        for i in 0..<21 {
            var up = w, down = w
            up[i] += h
            down[i] -= h
            let numeric = (FSRSOptimizer.loss(up, set, batch) - FSRSOptimizer.loss(down, set, batch)) / (2 * h)
            let gap = abs(analytic[i] - numeric)
            #expect(gap <= 1e-3 * max(abs(numeric), 1e-4 * scale), "w\(i): analytic \(analytic[i]) vs numeric \(numeric)")
        }
    }
}

@Suite("Training items from a progress log")
struct TrainingItemsFromTheProgressLog {
    @Test func theLogsItemsAreThoseOfItsDrillReviewsOnly() throws {
        var rng = SeededGenerator(seed: 11)
        var records: [ReviewRecord<Int>] = []
        var time = Date(timeIntervalSince1970: 1_790_000_000)
        for _ in 0..<3000 {
            time += Double(rng.next(in: 60...200_000))
            let mode: StudyMode = [.drill, .drill, .drill, .quiz, .exam][rng.next(upperBound: 5)]
            records.append(
                ReviewRecord(
                    card: "card-\(rng.next(upperBound: 120))", time: time, day: ISOTime.day(time), rating: rng.next(in: 1...4),
                    answer: "", correct: nil, session: "s", mode: mode, topics: []))
        }
        let log = ReviewLog(records)
        let days = DayConvention(utcOffsetSeconds: 3600)
        let direct = TrainingSet(log: log, days: days)
        let viaReviews = TrainingSet(reviews: LoggedReview.drills(in: log), days: days)
        #expect(direct.reviewCount == records.filter { $0.mode == .drill }.count)
        #expect(direct.cardIDs == viaReviews.cardIDs)
        #expect(direct.histories == viaReviews.histories)
        #expect(direct.items == viaReviews.items)
        #expect(direct.items.count > 1000)
    }

    @Test func aDayStartsAtFourInTheLearnersTimeZone() {
        let days = DayConvention(utcOffsetSeconds: -5 * 3600)  // UTC−5
        let evening = ISOTime.parse("2026-03-01T23:30:00-05:00")!
        let nextMorning = ISOTime.parse("2026-03-02T03:59:00-05:00")!
        let afterRollover = ISOTime.parse("2026-03-02T04:00:00-05:00")!
        #expect(days.dayNumber(evening) == days.dayNumber(nextMorning))
        #expect(days.dayNumber(afterRollover) == days.dayNumber(evening) + 1)
        // Python's day number for 2026-03-02T09:00:00Z with the rollover at 04:00 UTC:
        // (1772442000 − 14400) // 86400 = 20514.
        #expect(DayConvention().dayNumber(ISOTime.parse("2026-03-02T09:00:00Z")!) == 20514)
    }
}
