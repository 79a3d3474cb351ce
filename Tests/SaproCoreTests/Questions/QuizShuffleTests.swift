import Foundation
import Testing
@testable import SaproCore

@Suite struct QuizShuffleTests {
    /// Four options, the right one first in the file.
    static let bank: [Question] = (0..<6).map { i in
        Question(
            id: "bank:q\(i)", source: .bank(file: "b.md", id: "bank:q\(i)"), prompt: "Question \(i)?",
            body: .singleChoice(choices: ["right", "wrong 1", "wrong 2", "wrong 3"].map { Choice(text: $0) }, correct: 0),
            explanation: [], topics: ["t"])
    }

    func quiz(seed: UInt64, generators: [Generator] = []) throws -> Quiz {
        try QuizBuilder(catalog: Reference.catalog, generators: generators, bank: Self.bank).build(count: 6, seed: seed)
    }

    @Test func aQuizShowsBankOptionsInAnOrderOfItsSeedAndItsKeyFollows() throws {
        #expect(try quiz(seed: 9).questions == quiz(seed: 9).questions)
        var rightAt = Set<Int>()
        for seed in 1...10 as ClosedRange<UInt64> {
            for q in try quiz(seed: seed).questions {
                guard case .singleChoice(let choices, let correct) = q.body else { continue }
                #expect(choices[correct].text == "right")
                rightAt.insert(correct)
            }
        }
        // The right option is not always a).
        #expect(rightAt.count == 4)
    }

    @Test func thePrintedKeyNamesTheLetterShown() throws {
        let q = try quiz(seed: 4)
        let md = try q.render(.md)
        var letters = Set<String>()
        for (n, question) in q.questions.enumerated() {
            guard case .singleChoice(let choices, let correct) = question.body else { continue }
            let letter = Question.letter(correct)
            letters.insert(letter)
            #expect(choices[correct].text == "right")
            // The question lists the right option under that letter, and the key names it.
            let printed = md.components(separatedBy: "## Question \(n + 1)\n").dropFirst().first ?? ""
            #expect(printed.components(separatedBy: "\n## ").first?.contains("- \(letter)) right") == true, "\(question.id)")
            #expect(md.contains("**\(n + 1).** `\(letter)` right"), "\(question.id)")
        }
        #expect(letters.count > 1)
    }

    @Test func aPracticeQuizOnANarrowTopicNeverRepeatsAScenario() throws {
        // traffic-flow-order has one flow on the GWLB topic; with two bank questions there are
        // three distinct questions, and a practice quiz of ten holds just those three.
        let flows = Generators.named("traffic-flow-order")!
        let topic = "gateway-load-balancer-inspection-vpc-pattern"
        let bank = (0..<2).map { i in
            Question(
                id: "bank:g\(i)", source: .bank(file: "b.md", id: "bank:g\(i)"), prompt: "GWLB \(i)?",
                body: .singleChoice(choices: ["a", "b", "c", "d"].map { Choice(text: $0) }, correct: 0),
                explanation: [], topics: [topic])
        }
        let builder = QuizBuilder(catalog: Reference.catalog, generators: [flows], bank: bank)
        let practice = try builder.build(count: 10, seed: 3, topics: [topic], distinctOnly: true)
        let prompts = practice.questions.map(\.prompt)
        #expect(prompts.count == Set(prompts).count)
        #expect(prompts.count == 3)
        // A generated quiz of the same size may repeat, but only once the bank questions are in.
        let generated = try builder.build(count: 10, seed: 3, topics: [topic])
        #expect(generated.questions.count == 10)
        let firstRepeat = generated.questions.indices.first { i in
            generated.questions[..<i].contains { $0.prompt == generated.questions[i].prompt }
        }
        let lastBank = generated.questions.lastIndex { $0.id.hasPrefix("bank:") }
        #expect(firstRepeat != nil && lastBank != nil && lastBank! < firstRepeat!)
    }

    @Test func anExamShufflesEachItemsOptionsAndKeepsTheKey() throws {
        let text = "# T\n\nquestions: 6\nminutes: 10\npass: 750\n\n## weights\nt: 100%\n\n## sources\nbank: 100%\n"
        let blueprint = try BlueprintParser(knownTopics: ["t"]).parse(QuizFile(name: "t.blueprint", text: text)).get()
        let a = ExamBuilder.build(
            blueprint: blueprint, bank: Self.bank, cards: [], generators: [], catalog: Reference.catalog, seed: 5)
        let b = ExamBuilder.build(
            blueprint: blueprint, bank: Self.bank, cards: [], generators: [], catalog: Reference.catalog, seed: 5)
        #expect(a == b)
        var rightAt = Set<Int>()
        for q in a {
            guard case .singleChoice(let choices, let correct) = q.body else { continue }
            #expect(choices[correct].text == "right")
            rightAt.insert(correct)
        }
        #expect(rightAt.count > 1)
    }
}
