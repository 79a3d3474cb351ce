import Foundation

extension Question {
    /// The question with its options (or the items to order) in an order drawn from `seed`. The
    /// key moves with the options, so grading, feedback and any export of the shuffled question
    /// agree with what was shown. Numeric and recall questions come back unchanged, and so do
    /// questions of two options (a verdict such as yes/no or allowed/denied, read in its natural
    /// order, where position tells nothing).
    public func shuffled(seed: UInt64) -> Question {
        var random = SplitMix64(seed: seed)
        func permutation(_ n: Int) -> [Int] {
            // Fisher–Yates over 0..<n with the seeded generator (the same on every machine).
            var p = Array(0..<n)
            if n > 1 {
                for i in stride(from: n - 1, to: 0, by: -1) {
                    p.swapAt(i, Int(random.next() % UInt64(i + 1)))
                }
            }
            return p
        }
        var copy = self
        switch body {
        case .singleChoice(let choices, _) where choices.count <= 2:
            break
        case .singleChoice(let choices, let correct):
            let p = permutation(choices.count)
            copy.body = .singleChoice(choices: p.map { choices[$0] }, correct: p.firstIndex(of: correct) ?? correct)
        case .multipleChoice(let choices, let correct):
            let p = permutation(choices.count)
            copy.body = .multipleChoice(
                choices: p.map { choices[$0] }, correct: correct.compactMap { p.firstIndex(of: $0) }.sorted())
        case .ordering(let items, let order):
            let p = permutation(items.count)
            copy.body = .ordering(items: p.map { items[$0] }, order: order.compactMap { p.firstIndex(of: $0) })
        case .numeric, .recall:
            break
        }
        return copy
    }
}
