import Foundation
import Testing
@testable import SaproCore

@Suite("Readiness as a prediction")
struct ReadinessPrediction {
    @Test func thePassDistributionEqualsBruteForceEnumerationOnSmallExams() {
        var rng = SeededGenerator(seed: 5)
        for n in [1, 3, 7, 12] {
            let p = (0..<n).map { _ in Double(rng.next(upperBound: 1000)) / 1000 }
            var brute = [Double](repeating: 0, count: n + 1)
            for mask in 0..<(1 << n) {
                var probability = 1.0
                var k = 0
                for i in 0..<n {
                    if mask & (1 << i) != 0 { probability *= p[i]; k += 1 } else { probability *= 1 - p[i] }
                }
                brute[k] += probability
            }
            let exact = ReadinessModel.correctDistribution(p)
            #expect(exact.count == n + 1)
            for k in 0...n { #expect(abs(exact[k] - brute[k]) < 1e-12, "n=\(n) k=\(k)") }
        }
    }

    static let blueprint = Blueprint(
        id: "t", title: "t", questionCount: 65, minutes: 180, passMark: 750,
        weights: [TopicWeight(topic: "a", percent: 60), TopicWeight(topic: "b", percent: 40)], sources: [:], unscored: 10,
        domains: [.organizationalComplexity: 26, .newSolutions: 29, .continuousImprovement: 25, .migrationModernization: 20])

    @Test func anEmptyHistoryGivesAPassProbabilityNearZero() {
        let items = (0..<50).map {
            ReadinessItem(id: "i\($0)", topics: [$0 % 2 == 0 ? "a" : "b"], domain: nil, memory: nil, lastReview: nil)
        }
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let estimate = ReadinessModel.estimate(
            items: items, blueprint: Self.blueprint, weights: FSRSParameters.defaultWeights, now: now, exam: now, stretchDays: 7)
        let stop = estimate.scenarios[0]
        #expect(stop.passProbability < 1e-9)
        #expect(abs(stop.expectedCorrect - 65 * 0.25) < 1e-4, "guessing only")
        #expect(estimate.coverage == 0)
        // 750 on the linear scale needs ⌈65·650/900⌉ = 47 right.
        #expect(estimate.passCorrect == 47)
        #expect(stop.topics.map(\.questions) == [39, 26])
        #expect(stop.domains.map(\.questions).reduce(0, +) == 65)
    }

    @Test func theSameInputsInAnyOrderGiveByteIdenticalJSON() throws {
        var rng = SeededGenerator(seed: 9)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let items = (0..<300).map { i in
            ReadinessItem(
                id: "i\(i)", topics: [i % 3 == 0 ? "a" : "b"], domain: ExamDomain.allCases[i % 4],
                memory: i % 5 == 0 ? nil : MemoryState(stability: Double(rng.next(in: 1...60)), difficulty: 5),
                lastReview: now.addingTimeInterval(-Double(rng.next(in: 0...20)) * 86_400))
        }
        let exam = now.addingTimeInterval(30 * 86_400)
        func json(_ items: [ReadinessItem]) throws -> Data {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            return try encoder.encode(
                ReadinessModel.estimate(
                    items: items, blueprint: Self.blueprint, weights: FSRSParameters.defaultWeights, now: now, exam: exam,
                    stretchDays: 7))
        }
        #expect(try json(items) == json(items.reversed()))
        let estimate = try JSONDecoder().decode(ReadinessEstimate.self, from: try json(items))
        #expect(estimate.scenarios.map(\.name) == ["stop studying now", "follow the plan"])
        #expect(estimate.scenarios[1].expectedCorrect > estimate.scenarios[0].expectedCorrect)
        #expect(estimate.scenarios[1].interval80[0] <= estimate.scenarios[1].interval80[1])
    }

    @Test func calibrationRecoversAKnownMiscalibrationFromSyntheticMockExams() throws {
        var rng = SeededGenerator(seed: 21)
        let truth = Calibration(alpha: -0.4, beta: 0.8)
        var exams: [[PredictedOutcome]] = []
        for _ in 0..<30 {
            var exam: [PredictedOutcome] = []
            for _ in 0..<65 {
                let m = 0.05 + 0.9 * Double(rng.next(upperBound: 10_000)) / 10_000
                let p = truth.success(mastery: m, guess: 0.25)
                let right = Double(rng.next(upperBound: 1_000_000)) / 1_000_000 < p
                exam.append(
                    PredictedOutcome(mastery: m, success: Calibration.identity.success(mastery: m, guess: 0.25), correct: right))
            }
            exams.append(exam)
        }
        let report = try #require(CalibrationReport.make(exams: exams))
        #expect(abs(report.fitted.alpha - truth.alpha) < 0.25, "α \(report.fitted.alpha)")
        #expect(abs(report.fitted.beta - truth.beta) < 0.25, "β \(report.fitted.beta)")
        #expect(report.observed < report.meanPredicted, "the identity over-predicts here")
        #expect(report.adopted, "held-out log loss \(String(describing: report.heldOutLogLoss))")
        #expect(report.reliability.reduce(0) { $0 + $1.questions } == 30 * 65)

        // Predictions that are already right are left alone (or barely moved).
        var honest: [[PredictedOutcome]] = []
        for _ in 0..<12 {
            honest.append(
                (0..<65).map { _ in
                    let m = 0.05 + 0.9 * Double(rng.next(upperBound: 10_000)) / 10_000
                    let p = Calibration.identity.success(mastery: m, guess: 0.25)
                    return PredictedOutcome(
                        mastery: m, success: p, correct: Double(rng.next(upperBound: 1_000_000)) / 1_000_000 < p)
                })
        }
        let fair = try #require(CalibrationReport.make(exams: honest))
        #expect(abs(fair.fitted.alpha) < 0.3 && abs(fair.fitted.beta - 1) < 0.3)
        #expect(CalibrationReport.make(exams: []) == nil)
    }
}

@Suite("Studying to an exam date")
struct StudyingToADate {
    /// A learner whose hidden memory is FSRS-6 with other weights (those of the shared simulator)
    /// studies 240 items every day for 40 days under sapro's exam-date rules (ten learners).
    @Test(arguments: [3, 8, 13, 21, 34, 55, 89, 144, 233, 377] as [UInt64])
    func aSimulatedLearnerSeesEveryItemInTheFinalStretchAndReachesTheTarget(seed: UInt64) throws {
        let trueWeights = [
            0.35, 1.6, 3.5, 12.0, 6.8, 0.6, 2.2, 0.01, 1.6, 0.15, 1.0, 1.9, 0.1, 0.3, 2.2, 0.25, 2.9, 0.6, 0.3, 0.08, 0.2,
        ]
        let truth = try FSRSScheduler(parameters: FSRSParameters(weights: trueWeights, enableFuzz: false))
        let start = Date(timeIntervalSince1970: 1_799_971_200)  // 2027-01-15T00:00:00Z, a midnight
        let examDay = 40, buffer = 7, count = 240
        let exam = start.addingTimeInterval(Double(examDay) * 86_400)
        let deadline = ExamDeadline.planned(exam: exam, daysLeft: examDay, items: count, buffer: buffer, target: 0.9)
        // The default settings: fuzz on, as a learner has it.
        let settings = Settings()
        var fuzz: SplitMix64? = SplitMix64(seed: seed + 100)
        let scheduler = try StudyScheduler(settings: settings, deadline: deadline)
        var cards: [Int: StudyCard] = [:]
        var hidden: [Int: SchedulingCard] = [:]
        var reviewedInStretch = Set<Int>()
        var perDay = [Int](repeating: 0, count: examDay)
        var rng = SeededGenerator(seed: seed)
        var introduced = 0
        for d in 0..<examDay {
            let session = start.addingTimeInterval(Double(d) * 86_400 + 18 * 3600)
            let plan = ExamPlan.make(
                today: start.addingTimeInterval(Double(d) * 86_400), exam: exam, stretchDays: buffer, unseen: count - introduced,
                due: cards.values.map(\.due), secondsPerReview: 20, dailyMinutes: nil, learningSteps: 2, day: ISOTime.day)
            let fresh = min(plan.newPerDay, count - introduced)
            for _ in 0..<fresh {
                cards[introduced] = nil
                hidden[introduced] = .new(due: session)
                introduced += 1
            }
            var minute = 0.0
            // The plan's work-ahead: the earliest items not yet due, to even out the days.
            let ahead = ExamPlan.balance(
                due: Dictionary(uniqueKeysWithValues: cards.map { ("\($0.key)", $0.value.due) }), now: session, before: exam,
                newToday: fresh * ExamPlan.firstDayReviews(learningSteps: 2))
            for id in ahead.compactMap(Int.init) where cards[id]!.due > session {
                minute += 1
                let t = session.addingTimeInterval(minute * 60)
                let recalled = Double(rng.next(upperBound: 1_000_000)) / 1_000_000 < truth.retrievability(hidden[id]!, at: t)
                let rating: Rating = recalled ? .good : .again
                hidden[id] = truth.review(hidden[id]!, rating: rating, at: t)
                cards[id] = scheduler.review(cards[id], rating: rating, at: t, fuzz: &fuzz)
                perDay[d] += 1
                if t >= deadline.stretchStart { reviewedInStretch.insert(id) }
            }
            // Everything due by the end of the session, again and again (learning steps included).
            for _ in 0..<12 {
                let now = session.addingTimeInterval(minute * 60)
                var due = hidden.keys.sorted().filter { id in (cards[id]?.due ?? session) <= now }
                if due.isEmpty {
                    // Wait for a learning step due within the next half hour of the session.
                    guard let next = cards.values.map(\.due).filter({ $0 > now }).min(),
                        next.timeIntervalSince(now) <= 1800
                    else { break }
                    minute += (next.timeIntervalSince(now) / 60).rounded(.up)
                    let later = session.addingTimeInterval(minute * 60)
                    due = hidden.keys.sorted().filter { id in (cards[id]?.due ?? session) <= later }
                }
                for id in due {
                    minute += 1
                    let t = session.addingTimeInterval(minute * 60 + Double(rng.next(upperBound: 50)))
                    let recalled =
                        Double(rng.next(upperBound: 1_000_000)) / 1_000_000 < truth.retrievability(hidden[id]!, at: t)
                        || hidden[id]!.memory == nil
                    let rating: Rating = recalled ? .good : .again
                    hidden[id] = truth.review(hidden[id]!, rating: rating, at: t)
                    cards[id] = scheduler.review(cards[id], rating: rating, at: t, fuzz: &fuzz)
                    perDay[d] += 1
                    if t >= deadline.stretchStart { reviewedInStretch.insert(id) }
                }
            }

        }
        #expect(introduced == count)
        #expect(reviewedInStretch.count == count, "\(count - reviewedInStretch.count) items not seen in the final stretch")
        let atExam = cards.values.map { scheduler.retrievability($0, at: exam) }
        let mean = atExam.reduce(0, +) / Double(atExam.count)
        #expect(mean >= 0.9, "mean predicted retrievability at the exam \(mean)")
        let meanLoad = Double(perDay.reduce(0, +)) / Double(perDay.count)
        #expect(Double(perDay.max()!) <= 1.5 * meanLoad, "daily reviews \(perDay), mean \(meanLoad)")
    }

    @Test func aPlanThatDoesNotFitSaysWhatWould() {
        let today = Date(timeIntervalSince1970: 1_800_000_000)
        let plan = ExamPlan.make(
            today: today, exam: today.addingTimeInterval(14 * 86_400), stretchDays: 7, unseen: 700, due: [],
            secondsPerReview: 20, dailyMinutes: 15, learningSteps: 2, day: ISOTime.day)
        #expect(!plan.feasible)
        #expect(plan.newPerDay == 100)
        // 100 new items × 3 reviews × 20 s = 100 minutes on each of the first 7 days.
        #expect(plan.advice.first == "The plan needs up to 100 minutes a day: set daily-minutes 100.")
        #expect(plan.advice.count == 2 && plan.advice[1].contains("move the exam to"))
        let after = ExamPlan.make(
            today: today, exam: today.addingTimeInterval(14 * 86_400), stretchDays: 7, unseen: 700, due: [],
            secondsPerReview: 20, dailyMinutes: 100, learningSteps: 2, day: ISOTime.day)
        #expect(after.feasible && after.advice.isEmpty)
    }
}

@Suite("Calibration bounds")
struct CalibrationBounds {
    @Test func moreMasteryNeverPredictsLessSuccess() throws {
        // Exams where the well-known questions were the ones got wrong: the fit may flatten, not invert.
        let exams = (0..<4).map { _ in
            (0..<40).map { i in
                let m = i < 20 ? 0.95 : 0.1
                return PredictedOutcome(
                    mastery: m, success: Calibration.identity.success(mastery: m, guess: 0.25), correct: i >= 20)
            }
        }
        let report = try #require(CalibrationReport.make(exams: exams))
        #expect(report.fitted.beta >= 0)
        #expect(report.fitted.success(mastery: 0.9, guess: 0.25) >= report.fitted.success(mastery: 0.2, guess: 0.25))
    }
}

@Suite("Exam-date rules")
struct ExamDateRules {
    let exam = Date(timeIntervalSince1970: 1_800_000_000)
    var deadline: ExamDeadline { ExamDeadline(exam: exam, stretchDays: 7, target: 0.9) }

    @Test func anIntervalOverTheExamLandsInTheStretchAtTheSameTimeOfDay() {
        let reviewed = exam.addingTimeInterval(-20 * 86_400 + 3_723)
        for offset in 0..<200 {
            let time = reviewed.addingTimeInterval(Double(offset))
            let due = deadline.due(exam.addingTimeInterval(30 * 86_400), reviewedAt: time, retrievabilityAtExam: 0.5)
            #expect(due >= deadline.stretchStart && due < exam)
            #expect(Int(due.timeIntervalSince(time)) % 86_400 == 0, "same time of day")
        }
        // Due before the exam anyway: left alone.
        let soon = exam.addingTimeInterval(-3 * 86_400)
        #expect(deadline.due(soon, reviewedAt: reviewed, retrievabilityAtExam: 0.5) == soon)
    }

    @Test func inTheStretchOnlyAWeakItemComesBackBeforeTheExam() {
        let time = exam.addingTimeInterval(-5 * 86_400)
        let late = exam.addingTimeInterval(20 * 86_400)
        let weak = deadline.due(late, reviewedAt: time, retrievabilityAtExam: 0.8)
        #expect(weak > time && weak < exam)
        #expect(deadline.due(late, reviewedAt: time, retrievabilityAtExam: 0.95) == late)
        // From the exam on: plain FSRS.
        #expect(deadline.due(late, reviewedAt: exam.addingTimeInterval(60), retrievabilityAtExam: 0.1) == late)
    }

    @Test func workAheadFillsTodayFromTheBusiestDayAndNeverPullsFromAfterTheExam() {
        let now = exam.addingTimeInterval(-6 * 86_400)
        var due: [String: Date] = [:]
        for i in 0..<30 { due["busy\(i)"] = now.addingTimeInterval(3 * 86_400 + Double(i)) }
        for i in 0..<40 { due["after\(i)"] = exam.addingTimeInterval(86_400 + Double(i)) }
        let ahead = ExamPlan.balance(due: due, now: now, before: exam)
        #expect(!ahead.isEmpty && ahead.allSatisfy { $0.hasPrefix("busy") })
        #expect(ahead.count <= 15)
    }
}
