import Foundation

/// What one document gave: its topics, its cards by kind, and the cards left out by reason.
public struct DocumentStats: Sendable, Hashable, Codable {
    public var file: String
    public var topics: Int
    /// Cards by kind (`recall`, `single-choice`, …).
    public var cards: [String: Int]
    /// Cards left out, by reason (see `DroppedReason`).
    public var dropped: [String: Int]
    public init(file: String, topics: Int, cards: [String: Int] = [:], dropped: [String: Int] = [:]) {
        self.file = file
        self.topics = topics
        self.cards = cards
        self.dropped = dropped
    }
    public var cardCount: Int { cards.values.reduce(0, +) }
    public var droppedCount: Int { dropped.values.reduce(0, +) }
}

/// Per-document counts for `content stats`, in the library's document order.
public enum ContentStats {
    public static func make(library: ContentLibrary, yield: CardYield) -> [DocumentStats] {
        var order: [String] = []
        var stats: [String: DocumentStats] = [:]
        var fileOfTopic: [String: String] = [:]
        for topic in library.topics {
            let file = topic.location.file
            if stats[file] == nil {
                order.append(file)
                stats[file] = DocumentStats(file: file, topics: 0, cards: [:], dropped: [:])
            }
            stats[file]!.topics += 1
            fileOfTopic[topic.id] = file
        }
        for card in yield.cards {
            guard let file = card.topics.first.flatMap({ fileOfTopic[$0] }) else { continue }
            stats[file]!.cards[card.kind.rawValue, default: 0] += 1
        }
        for card in yield.dropped {
            stats[card.location.file]?.dropped[card.reason.rawValue, default: 0] += 1
        }
        return order.compactMap { stats[$0] }
    }
}
