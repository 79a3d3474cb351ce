import Foundation

/// Something to study: a content card, a bank question, or a generator skill (each review of a
/// skill draws a fresh question from its generator).
public struct StudyItem: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case question(Question)
        case skill(generatorID: String)
    }
    /// Stable id: the question id, or `skill:GENERATOR`.
    public var id: String
    public var kind: Kind
    /// The topics it drills; the first one is used for interleaving.
    public var topics: [String]

    public init(question: Question) {
        id = question.id
        kind = .question(question)
        topics = question.topics
    }

    public init(generator: Generator) {
        id = "skill:\(generator.id)"
        kind = .skill(generatorID: generator.id)
        topics = generator.topics
    }
}

/// Orders what a drill shows: due cards first, least retrievable first; then new cards up to
/// the day's allowance. Within each group topics take turns, so two questions on one topic do
/// not follow each other while another topic waits.
public enum ReviewQueue {
    /// - Parameters:
    ///   - items: everything that may be studied, in a stable order; new cards are introduced
    ///     taking topics in turn, in this order within each topic.
    ///   - due: for items already studied, when each is due.
    ///   - retrievability: for items already studied, the probability of recall now.
    ///   - now: the time to plan for.
    ///   - newAllowance: how many new items may still be introduced today.
    ///   - topics: only items drilling one of these topic ids (a topic and its subtopics, say).
    ///   - ahead: ids of items not yet due to review now as well (an exam plan evens out the days).
    public static func build(
        items: [StudyItem], due: [String: Date], retrievability: (String) -> Double,
        now: Date, newAllowance: Int, topics: Set<String>? = nil, ahead: Set<String> = []
    ) -> [StudyItem] {
        let selected = items.filter { item in
            guard let topics else { return true }
            return item.topics.contains { topics.contains($0) }
        }
        var dueItems: [(StudyItem, Double)] = []
        var newItems: [StudyItem] = []
        for item in selected {
            if let when = due[item.id] {
                if when <= now || ahead.contains(item.id) {
                    dueItems.append((item, retrievability(item.id)))
                }
            } else {
                newItems.append(item)
            }
        }
        let dueSorted = dueItems.sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0.id < $1.0.id }.map(\.0)
        return interleave(dueSorted) + Array(interleave(newItems).prefix(max(0, newAllowance)))
    }

    /// Round-robin over topics, keeping each topic's own order.
    static func interleave(_ items: [StudyItem]) -> [StudyItem] {
        var order: [String] = []
        var byTopic: [String: [StudyItem]] = [:]
        for item in items {
            let key = item.topics.first ?? ""
            if byTopic[key] == nil { order.append(key) }
            byTopic[key, default: []].append(item)
        }
        var result: [StudyItem] = []
        var index = 0
        while result.count < items.count {
            for key in order where index < byTopic[key]!.count {
                result.append(byTopic[key]![index])
            }
            index += 1
        }
        return result
    }
}
