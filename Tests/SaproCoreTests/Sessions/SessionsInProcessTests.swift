import Foundation
import Testing
@testable import SaproCore

/// The study sessions driven in-process, as the REPL drives them, with a real progress store in
/// a temporary directory. Intervals are py-fsrs 6.3.2's with sapro's default steps (1m, 10m):
/// a new card rated Again is due in 1 minute, Good in 10 minutes.
@Suite struct SessionsInProcess {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    static func item(_ id: String) -> StudyItem {
        StudyItem(
            question: Question(
                id: id, source: .bank(file: "t.md", id: id), prompt: "Pick the right one (\(id)).",
                body: .singleChoice(
                    choices: [Choice(text: "right"), Choice(text: "wrong 1"), Choice(text: "wrong 2"), Choice(text: "wrong 3")],
                    correct: 0),
                explanation: ["Because."], topics: ["t"]))
    }

    static func letter(_ shown: DrillSession.Presentation, right: Bool) -> String {
        guard case .singleChoice(let choices, _) = shown.question.body else { return "a" }
        return String(Question.letter(choices.firstIndex { ($0.text == "right") == right }!))
    }

    static func directory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("sapro-sessions-\(UUID().uuidString)")
    }

    @Test func aWholeDrillWithARerateAndAnUndoLeavesTheJournalAsTheLearnerMeantIt() throws {
        let dir = Self.directory()
        let store = try ProgressStore<StudyCard>(directory: dir)
        var settings = Settings()
        settings.fuzz = false
        var drill = DrillSession(
            id: "drill-1", queue: [Self.item("a"), Self.item("b")], scheduler: try StudyScheduler(settings: settings),
            catalog: Reference.catalog, seed: 3, fastAnswer: 15, slowAnswer: 60)
        var none: SplitMix64? = nil
        func answer(_ shown: DrillSession.Presentation, right: Bool) -> DrillAnswer {
            let input = Self.letter(shown, right: right)
            return .answered(shown.question.grade(input), input: input, seconds: 20, hints: 0)
        }

        // a: right in 20 s → Good, the 10-minute step.
        guard case .ask(let first) = drill.next(now: Self.start, cards: store.cards) else { Issue.record("no question"); return }
        let a = first.item.id
        _ = try drill.answer(
            first, with: answer(first, right: true), at: Self.start, day: "2027-01-15", today: "2027-01-15",
            in: store, fuzz: &none)
        #expect(store.cards[a]?.due == Self.start + 600)
        // `rate 1`: the learner meant Again → the 1-minute step, and one review in the journal.
        let rerated = try drill.rerate(.again, in: store, now: Self.start + 5, fuzz: &none)
        #expect(rerated?.rating == 1)
        #expect(store.cards[a]?.due == Self.start + 60)
        #expect(try store.reviews().map(\.rating) == [1])
        #expect(drill.answered == 1 && drill.correct == 1)

        // b: wrong → Again.
        guard case .ask(let second) = drill.next(now: Self.start + 10, cards: store.cards) else {
            Issue.record("no second"); return
        }
        let b = second.item.id
        #expect(b != a)
        _ = try drill.answer(
            second, with: answer(second, right: false), at: Self.start + 10, day: "2027-01-15",
            today: "2027-01-15", in: store, fuzz: &none)
        #expect(store.cards[b]?.due == Self.start + 70)

        // At a's step (due at +60 s), the learner types `undo`: b's answer goes, and b is asked again first.
        guard case .ask(let third) = drill.next(now: Self.start + 65, cards: store.cards) else {
            Issue.record("no third"); return
        }
        #expect(third.item.id == a && third.isRepeat)
        let undone = try drill.undo(putting: third, in: store, now: Self.start + 66)
        #expect(undone.card == b)
        #expect(store.cards[b] == nil)
        #expect(drill.answered == 1 && drill.correct == 1)
        guard case .ask(let again) = drill.next(now: Self.start + 67, cards: store.cards) else {
            Issue.record("b not asked again"); return
        }
        #expect(again.item.id == b)

        // What is on disk is what the session said: one review, a's Again.
        let reopened = try ProgressStore<StudyCard>(directory: dir)
        #expect(try reopened.reviews().map(\.card) == [a])
        #expect(reopened.cards == store.cards)
    }

    static func examSession(questions: Int = 3) throws -> (ExamSession, Blueprint) {
        let quizzes = QuizLoader.load(directory: Repo.quizzes, knownTopics: Set(Repo.shipped.library.topicIDs))
        let blueprint = try #require(quizzes.blueprint("container-networking-short"))
        let items = (0..<questions).map { Self.item("q\($0)").question! }
        return (
            ExamSession(id: "exam-test", blueprint: blueprint, minutes: 10, questions: items, seed: 1, started: start), blueprint
        )
    }

    @Test func anExamResumesAfterACrashWhereItWasAndScoresAsTheBlueprintSays() throws {
        let dir = Self.directory()
        let (session, blueprint) = try Self.examSession()
        var exam = ExamRun(session: session)
        func apply(_ effects: [ExamRun.Effect]) throws -> [ExamRun.Effect] {
            for effect in effects where effect == .save { try ExamFiles.save(exam.session, in: dir) }
            return effects
        }
        #expect(try apply(exam.handle("a", spent: 30)) == [.save, .show(1)])
        #expect(try apply(exam.handle("flag", spent: 5)) == [.say("Flagged question 2."), .save])
        #expect(try apply(exam.handle("z", spent: 5)).count == 1)  // not an option: said, not saved

        // The process dies here. The exam file is all there is.
        let found = ExamFiles.unfinished(in: dir) { _ in nil }
        let resumedSession = try #require(found.session)
        #expect(found.unreadable.isEmpty)
        #expect(resumedSession.answers == ["a", nil, nil])
        #expect(resumedSession.flagged == [1])
        #expect(resumedSession.elapsed == 35)  // the 5 s of the unsaved wrong-shape answer are not on disk
        var resumed = ExamRun(session: resumedSession)
        #expect(resumed.current == 1)
        #expect(resumed.handle("b", spent: 10) == [.save, .show(2)])
        #expect(resumed.handle("submit", spent: 1) == [.confirmSubmit(unanswered: [2])])
        #expect(resumed.confirmSubmit("no") == [.say("Not submitted.")])
        #expect(resumed.handle("a", spent: 10).first == .save)
        #expect(resumed.handle("submit", spent: 1) == [.finish])
        let (reviews, record, result) = resumed.finish(at: Self.start + 100, day: "2027-01-15", blueprint: blueprint)
        // Which letter is right depends on nothing here (options are not shuffled): a is "right".
        #expect(reviews.map(\.correct) == [true, false, true])
        #expect(result.correct == 2 && result.total == 3)
        // 2 of 3 on the linear 100–1000 scale: 100 + 900 × 2/3 = 700.
        #expect(record.score == 700)
        #expect(record.ended == Self.start + 100)
        #expect(resumed.session.submitted == Self.start + 100)
    }

    @Test func anExamEndsWhenItsTimeIsUpAndTwoCtrlCsSaveAndLeave() throws {
        let (session, _) = try Self.examSession()
        var exam = ExamRun(session: session)
        #expect(exam.interrupted(spent: 1) == [.say("(Line cleared. Ctrl-C again to save and leave the exam.)")])
        let leaving = exam.interrupted(spent: 1)
        #expect(leaving.first == .save && leaving.last == .leave)
        var late = ExamRun(session: session)
        #expect(late.handle("a", spent: 601) == [.say("Time is up."), .finish])
    }

    @Test func aPracticeQuizRecordsAnswersAndExplanationsButNotSkips() {
        let questions = (0..<3).map { Self.item("p\($0)").question! }
        var quiz = PracticeQuiz(id: "quiz-1", questions: questions, started: Self.start)
        let right = quiz.take(.answered(questions[0].grade("a"), input: "a", seconds: 4.5), at: Self.start + 5, day: "2027-01-15")
        #expect(right?.rating == 3 && right?.correct == true && right?.responseMilliseconds == 4500 && right?.mode == .quiz)
        #expect(right?.next == nil)  // a quiz never schedules
        let explained = quiz.take(.explained(seconds: 2), at: Self.start + 8, day: "2027-01-15")
        #expect(explained?.answer == "(explained)" && explained?.rating == 1 && explained?.correct == false)
        #expect(quiz.take(.skipped, at: Self.start + 9, day: "2027-01-15") == nil)
        #expect(quiz.current == nil)
        #expect(quiz.scoreLine == "1/3 (33%), 1 skipped")
        #expect(
            quiz.record(ended: Self.start + 10)
                == SessionRecord(
                    id: "quiz-1", mode: .quiz, started: Self.start,
                    ended: Self.start + 10, answered: 2, correct: 1))
    }

    @Test func aQuestionTurnInterpretsWhatIsTyped() throws {
        let choice = Self.item("c").question!
        var turn = QuestionTurn(choice)
        #expect(
            turn.handle("undo")
                == .say("Answers here are not scheduled; 'undo' at the sapro> prompt takes back the last saved answer."))
        #expect(turn.handle("rate 2") == .say("Nothing to re-rate here."))
        guard case .say(let retry) = turn.handle("e") else { Issue.record("a fifth option was taken"); return }
        #expect(retry.hasSuffix("Try again (or 'skip')."))
        #expect(turn.handle("hint") == .say("Hints come from computed questions; 'explain' shows this one's answer."))
        guard case .answered(let grade, "a", 0) = turn.handle(" a ") else { Issue.record("not graded"); return }
        #expect(grade.isCorrect == true)

        var drillTurn = QuestionTurn(choice, canUndo: true, canRerate: true)
        #expect(drillTurn.handle("rate 9") == .say("Usage: rate N, with N from 1 (again) to 4 (easy)."))
        #expect(drillTurn.handle("RATE 4") == .rerate(4))
        #expect(drillTurn.handle("undo") == .undo)

        // A computed question gives its steps one at a time, never the last (the answer).
        let generated = try Generators.require("eks-max-pods").generate(catalog: Reference.catalog, seed: 5)
        var hinted = QuestionTurn(generated)
        #expect(hinted.handle("hint") == .hint(generated.explanation[0], first: true))
        for _ in 1..<(generated.explanation.count - 1) { _ = hinted.handle("hint") }
        #expect(hinted.handle("hint") == .say("No more hints; 'explain' shows the worked answer."))
        guard case .answered(_, _, let hints) = hinted.handle(generated.body.expectedAnswer) else {
            Issue.record("not graded"); return
        }
        #expect(hints == generated.explanation.count - 1)

        // A recall card: the answer is revealed, then the learner rates their recall.
        let recall = Question(
            id: "r", source: .card(id: "r"), prompt: "What is awsvpc?", body: .recall(answer: "A task ENI."),
            explanation: [], topics: ["t"])
        var recalling = QuestionTurn(recall)
        #expect(recalling.handle("each task gets an ENI") == .reveal)
        #expect(recalling.awaitingSelfRating)
        #expect(recalling.handle("7") == .say("Please rate 1 to 4 (again, hard, good, easy)."))
        guard case .answered(_, "each task gets an ENI", 0) = recalling.handle("good") else { Issue.record("not rated"); return }
    }
}

private extension StudyItem {
    var question: Question? {
        if case .question(let q) = kind { return q }
        return nil
    }
}
