import Foundation

/// Studying for a date: the rules that bend plain FSRS before an exam. Every item is seen in the
/// final stretch (the last `stretchDays` days): an interval that would jump over the exam is cut
/// to land in the stretch, spread over its days; inside the stretch an item whose retrievability at the
/// exam would be below the target comes back once more before the exam. From the exam on, the
/// schedule is plain FSRS again.
public struct ExamDeadline: Sendable, Equatable {
    /// The start of the exam day.
    public var exam: Date
    public var stretchDays: Int
    /// Retrievability every item should have at the exam.
    public var target: Double

    /// How much of the stretch's extra reviews each of its days takes (days still introducing
    /// new material take less); equal when empty.
    public var dayWeights: [Double]

    public init(exam: Date, stretchDays: Int, target: Double, dayWeights: [Double] = []) {
        self.exam = exam
        self.stretchDays = max(1, stretchDays)
        self.target = target
        self.dayWeights = dayWeights.count == max(1, stretchDays) ? dayWeights : []
    }

    /// The deadline for an exam `daysLeft` days away with `items` to know, new material done
    /// `buffer` days before. The final stretch is the buffer, or longer when seeing every item once
    /// more in it would take more than about two ninths of a mean day (at about nine reviews per item
    /// over the plan) on each of its days: for a few hundred items that is the last half of the
    /// plan, long enough that most items come due in it anyway. Its days that still introduce new
    /// material, busy with those, take a tenth as many of the stretch's extra reviews.
    public static func planned(exam: Date, daysLeft: Int, items: Int, buffer: Int, target: Double) -> ExamDeadline {
        let meanDay = Double(items) * 9 / Double(max(daysLeft, 1))
        let needed = Int((Double(items) / max(meanDay * 2 / 9, 1)).rounded(.up))
        let length = min(max(buffer, needed, 1), max(daysLeft, 1))
        let weights = (0..<length).map { k in length - k > buffer ? 0.1 : 1.0 }
        return ExamDeadline(exam: exam, stretchDays: length, target: target, dayWeights: weights)
    }

    public var stretchStart: Date { exam.addingTimeInterval(-Double(stretchDays) * 86_400) }

    /// The final stretch for a buffer of `bufferDays` (new material done that long before the
    /// exam): half as long again, so that seeing everything once more does not crowd a few days.
    public static func stretchDays(buffer bufferDays: Int) -> Int { max(1, (3 * bufferDays + 1) / 2) }

    /// When an item reviewed at `time`, which plain FSRS would show again at `due`, comes back.
    /// `retrievabilityAtExam` is its probability of recall at the exam without another review.
    public func due(_ due: Date, reviewedAt time: Date, retrievabilityAtExam: Double) -> Date {
        guard time < exam else { return due }
        if time < stretchStart {
            // Due before the exam anyway (in the stretch or earlier, to be looked at again then).
            guard due >= exam else { return due }
            // Spread over the stretch by the second of the review, so a session's cards fall on
            // different days, at the time of day the learner studies.
            let slot = pickDay(time)
            let seconds = Int(time.timeIntervalSince(stretchStart).rounded(.down))
            let timeOfDay = Double((seconds % 86_400 + 86_400) % 86_400)
            return stretchStart.addingTimeInterval(Double(slot) * 86_400 + timeOfDay)
        }
        guard due >= exam, retrievabilityAtExam < target else { return due }
        // Once more before the exam, tomorrow or the day after (so the last days do not collect
        // what comes back from the whole stretch; it is looked at again then).
        let daysLeft = Int((exam.timeIntervalSince(time) - 1) / 86_400)
        guard daysLeft >= 1 else { return due }
        let slot = 1 + Self.spread(time, over: min(daysLeft, 2))
        return time.addingTimeInterval(Double(slot) * 86_400)
    }

    /// A day of the stretch for a review at `time`, by `dayWeights`.
    func pickDay(_ time: Date) -> Int {
        guard !dayWeights.isEmpty else { return Self.spread(time, over: stretchDays) }
        let total = dayWeights.reduce(0, +)
        var u = Double(Self.spread(time, over: 1 << 20)) / Double(1 << 20) * total
        for (k, w) in dayWeights.enumerated() {
            if u < w { return k }
            u -= w
        }
        return stretchDays - 1
    }

    /// A day in 0..<days picked by a hash of the review time: reviews a second apart land on
    /// unrelated days, and the same review always on the same one.
    static func spread(_ time: Date, over days: Int) -> Int {
        var x = UInt64(bitPattern: Int64((time.timeIntervalSince1970 * 1000).rounded()))
        x = (x ^ (x >> 30)) &* 0xbf58_476d_1ce4_e5b9
        x = (x ^ (x >> 27)) &* 0x94d0_49bb_1331_11eb
        x ^= x >> 31
        return Int(x % UInt64(max(days, 1)))
    }
}

/// The plan to an exam date: how many new items a day, the daily load in minutes, whether it fits
/// the learner's daily minutes and, if not, what would.
public struct ExamPlan: Sendable, Equatable, Codable {
    public struct Day: Sendable, Equatable, Codable {
        public var day: String
        public var newItems: Int
        public var reviews: Int
        public var minutes: Double
    }

    public var examDate: String
    public var daysLeft: Int
    /// The first day of the final stretch, in which every item is seen again.
    public var stretchStart: String
    public var unseen: Int
    public var newPerDay: Int
    public var secondsPerReview: Double
    public var dailyMinutes: Int?
    public var days: [Day]
    public var feasible: Bool
    /// What would meet the goal when it is not feasible, in plain words.
    public var advice: [String]

    /// Evens out the days before an exam by reviewing items not yet due: those due later today,
    /// and some taken from the busiest of the coming `window` days: today is brought up to the mean load of those days, and further
    /// while one of them would carry half as much again as today. An item due is never put
    /// off before an exam. FSRS accounts for a review a little early.
    /// `newToday` is the reviews today's new items will take.
    public static func balance(
        due: [String: Date], now: Date, days: DayConvention = DayConvention(), window: Int = 10, before exam: Date? = nil,
        newToday: Int = 0
    ) -> [String] {
        let today = days.dayNumber(now)
        let span = exam.map { min(window, max(2, days.dayNumber($0) - today)) } ?? window
        var byDay = [[(id: String, due: Date)]](repeating: [], count: max(span, 2))
        for (id, when) in due where exam.map({ when < $0 }) ?? true {
            // Due today (or overdue), or on one of the next days (before the exam: what comes
            // after it is not pulled forward).
            let offset = max(0, days.dayNumber(when) - today)
            if offset < byDay.count { byDay[offset].append((id, when)) }
        }
        // Today's new items count too (with their first-day reviews), as every later day has its own.
        let total = byDay.reduce(0) { $0 + $1.count } + newToday
        let target = (total + byDay.count - 1) / byDay.count
        var load = byDay[0].count + newToday
        // As in Anki, an item due later today (before the day's rollover) is today's work.
        var pulled = byDay[0].filter { $0.due > now }.map(\.id)
        for d in 1..<byDay.count { byDay[d].sort { ($0.due, $0.id) > ($1.due, $1.id) } }  // earliest last
        while true {
            var busiest = 1
            for d in 2..<byDay.count where byDay[d].count > byDay[busiest].count { busiest = d }
            // Up to the mean, and further while a coming day would carry half as much again as today.
            guard byDay[busiest].count > load + 1, load < target || 4 * byDay[busiest].count > 5 * load else { break }
            pulled.append(byDay[busiest].removeLast().id)
            load += 1
        }
        return pulled.sorted()
    }

    /// Reviews a new item takes on its first day (its answer and the learning steps).
    public static func firstDayReviews(learningSteps: Int) -> Int { learningSteps + 1 }

    /// - Parameters:
    ///   - due: when each studied item is next due (the deadline rules applied).
    ///   - stretchDays: new material is done this many days before the exam (the buffer).
    ///   - day: the learner's calendar day of a time.
    ///   - finalStretch: the days of the final stretch, when longer than the buffer.
    public static func make(
        today: Date, exam: Date, stretchDays: Int, unseen: Int, due: [Date], secondsPerReview: Double,
        dailyMinutes: Int?, learningSteps: Int, day: (Date) -> String, finalStretch: Int? = nil
    ) -> ExamPlan {
        let daysLeft = max(0, Int((exam.timeIntervalSince(today) / 86_400).rounded(.up)))
        let introductionDays = max(1, daysLeft - stretchDays)
        let newPerDay = unseen == 0 ? 0 : (unseen + introductionDays - 1) / introductionDays
        var reviewsByDay: [String: Int] = [:]
        for when in due { reviewsByDay[day(max(when, today)), default: 0] += 1 }
        var days: [Day] = []
        var left = unseen
        let perNew = Double(firstDayReviews(learningSteps: learningSteps))
        for offset in 0..<max(daysLeft, 0) {
            let date = today.addingTimeInterval(Double(offset) * 86_400)
            let name = day(date)
            let fresh = offset < introductionDays ? min(left, newPerDay) : 0
            left -= fresh
            let reviews = reviewsByDay[name] ?? 0
            let minutes = (Double(reviews) + perNew * Double(fresh)) * secondsPerReview / 60
            days.append(Day(day: name, newItems: fresh, reviews: reviews, minutes: minutes))
        }
        let peak = days.map(\.minutes).max() ?? 0
        var advice: [String] = []
        var feasible = daysLeft > 0
        if daysLeft == 0 { advice.append("The exam date is today or past: set exam-date to a later day, or none.") }
        if let dailyMinutes, peak > Double(dailyMinutes) {
            feasible = false
            advice.append(
                "The plan needs up to \(Int(peak.rounded(.up))) minutes a day: set daily-minutes \(Int(peak.rounded(.up))).")
            // A later date: the new items spread until they fit beside the reviews.
            let reviewMinutes =
                days.isEmpty ? 0 : days.map { Double($0.reviews) }.reduce(0, +) / Double(days.count) * secondsPerReview / 60
            let room = Double(dailyMinutes) - reviewMinutes
            if room > 0 && unseen > 0 {
                let needed = Int((Double(unseen) * perNew * secondsPerReview / 60 / room).rounded(.up)) + stretchDays
                advice.append(
                    "Or keep \(dailyMinutes) minutes and move the exam to \(day(today.addingTimeInterval(Double(needed) * 86_400))) or later."
                )
            }
        }
        return ExamPlan(
            examDate: day(exam), daysLeft: daysLeft,
            stretchStart: day(exam.addingTimeInterval(-Double(finalStretch ?? stretchDays) * 86_400)),
            unseen: unseen, newPerDay: newPerDay, secondsPerReview: secondsPerReview, dailyMinutes: dailyMinutes, days: days,
            feasible: feasible, advice: advice)
    }
}
