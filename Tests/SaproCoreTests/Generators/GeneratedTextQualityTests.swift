import Foundation
import Testing
@testable import SaproCore

/// Audit R13: no "1 instances" or "0 instances" in what the generators write.
@Test func generatedTextHasNoSingularPluralSlipsAndNoZeroCountOptions() throws {
    let quiz = try QuizBuilder(catalog: Reference.catalog).build(count: 2_000, seed: 17, generatorIDs: Generators.all.map(\.id))
    let units = ["instances", "tasks", "ENIs", "pods", "nodes", "addresses", "ports"]
    var options = 0
    for question in quiz.questions {
        let text = ([question.prompt] + question.explanation + question.body.optionLines).joined(separator: "\n")
        for unit in units {
            #expect(
                !text.contains(" 1 \(unit)") && !text.hasPrefix("1 \(unit)") && !text.contains(") 1 \(unit)"),
                "\(question.id): 1 \(unit)")
        }
        if case let .singleChoice(choices, _) = question.body {
            for choice in choices
            where units.contains(where: { choice.text.hasSuffix(" \($0)") || choice.text.hasSuffix(String($0.dropLast())) }) {
                options += 1
                #expect(!choice.text.hasPrefix("0 "), "\(question.id): a zero-count option '\(choice.text)'")
            }
        }
    }
    #expect(options > 500)
}
