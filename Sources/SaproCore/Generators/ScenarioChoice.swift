/// Single-choice questions whose options are designs or causes rather than numbers.
enum ScenarioChoice {
    /// The correct option and up to `limit − 1` distractors, in a seeded order.
    static func body(correct: Choice, distractors: [Choice], limit: Int = 4, _ random: inout SeededGenerator) -> QuestionBody {
        var unique: [Choice] = []
        for choice in distractors where choice.text != correct.text && !unique.contains(where: { $0.text == choice.text }) {
            unique.append(choice)
        }
        let options = [correct] + Array(random.shuffled(unique).prefix(limit - 1))
        let order = random.shuffled(Array(options.indices))
        return .singleChoice(choices: order.map { options[$0] }, correct: order.firstIndex(of: 0)!)
    }

    /// Numeric options shown as text (`/24`, `$43.80`), ascending, with misconception workings.
    static func ordered(
        answer: Int, text: (Int) -> String, distractors: [NumericDistractor], _ random: inout SeededGenerator
    ) -> QuestionBody? {
        var unique: [NumericDistractor] = []
        for candidate in distractors where candidate.value != answer && !unique.contains(where: { $0.value == candidate.value }) {
            unique.append(candidate)
        }
        guard unique.count >= 2 else { return nil }
        let chosen = Array(random.shuffled(unique).prefix(3))
        var choices = [Choice(text: text(answer), explanation: "The correct value.")]
        choices += chosen.map { Choice(text: text($0.value), explanation: $0.working, misconception: $0.misconception) }
        let values = [answer] + chosen.map(\.value)
        let order = values.indices.sorted { values[$0] < values[$1] }
        return .singleChoice(choices: order.map { choices[$0] }, correct: order.firstIndex(of: 0)!)
    }
}
