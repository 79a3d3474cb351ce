/// Draws a quiz from scenario generators, content cards and bank questions.
///
/// Pure: the same inputs and seed give the same quiz. Content cards and bank questions are
/// passed in; the builder does not know where they come from.
public struct QuizBuilder: Sendable {
    public var catalog: InstanceCatalog
    public var generators: [Generator]
    public var cards: [Question]
    public var bank: [Question]

    public init(catalog: InstanceCatalog, generators: [Generator] = Generators.all, cards: [Question] = [], bank: [Question] = []) {
        self.catalog = catalog
        self.generators = generators
        self.cards = cards
        self.bank = bank
    }

    /// True when `topic` starts with one of `filters` (or there are no filters).
    public static func topic(_ topic: String, matches filters: [String]) -> Bool {
        filters.isEmpty || filters.contains { topic.hasPrefix($0) }
    }

    static func matches(_ topics: [String], _ filters: [String]) -> Bool {
        filters.isEmpty || topics.contains { topic($0, matches: filters) }
    }

    /// Builds `count` questions.
    ///
    /// - `topics`: keep questions with a topic id starting with one of these.
    /// - `generatorIDs`: use only these generators (and then no cards or bank questions).
    /// With both generators and fixed questions available, each slot is a fixed question or a
    /// generated one with equal odds; generators take turns in a seeded order.
    public func build(count: Int, seed: UInt64, topics: [String] = [], generatorIDs: [String] = []) throws(QuizError) -> Quiz {
        guard count >= 1 else { throw .badCount(count) }
        var chosenGenerators = generators
        if !generatorIDs.isEmpty {
            chosenGenerators = []
            for id in generatorIDs {
                guard let generator = generators.first(where: { $0.id == id }) else {
                    throw .generator(.unknownGenerator(id, suggestions: Fuzzy.closest(to: id, among: generators.map(\.id))))
                }
                if !chosenGenerators.contains(where: { $0.id == id }) { chosenGenerators.append(generator) }
            }
        }
        chosenGenerators = chosenGenerators.filter { Self.matches($0.topics, topics) }

        var seen: Set<String> = []
        var fixed: [Question] = []
        if generatorIDs.isEmpty {
            for question in cards + bank where Self.matches(question.topics, topics) && seen.insert(question.id).inserted {
                fixed.append(question)
            }
        }
        guard !chosenGenerators.isEmpty || !fixed.isEmpty else {
            throw .noMatchingQuestions(topics: topics, generators: generatorIDs)
        }
        if chosenGenerators.isEmpty && fixed.count < count {
            throw .notEnoughQuestions(requested: count, available: fixed.count)
        }

        var random = SeededGenerator(seed: seed, stream: "quiz")
        var fixedQueue = random.shuffled(fixed)[...]
        let rotation = random.shuffled(chosenGenerators)
        var turn = 0
        var misses = 0
        var questions: [Question] = []
        questions.reserveCapacity(count)
        var fingerprints: Set<Fingerprint> = []
        fingerprints.reserveCapacity(count)
        while questions.count < count {
            let useFixed = !fixedQueue.isEmpty && (rotation.isEmpty || random.nextBool())
            if useFixed {
                questions.append(fixedQueue.removeFirst())
                continue
            }
            let generator = rotation[turn % rotation.count]
            turn += 1
            // Redraw a few times to avoid a repeated scenario or one outside the topic filter.
            // Draws are checked before they become questions: most redraws are thrown away.
            var accepted: (generated: Generated, seed: UInt64)?
            var fallback: (generated: Generated, seed: UInt64)?
            for _ in 0..<12 {
                let seed = random.next()
                let generated: Generated
                do { generated = try generator.generated(catalog: catalog, seed: seed) } catch { throw .generator(error) }
                guard Self.matches(generated.topics, topics) else { continue }
                if fallback == nil { fallback = (generated, seed) }
                // The same key as `fingerprint(_:)` gives the finished question.
                if fingerprints.insert(Fingerprint(source: generator.id, prompt: generated.prompt)).inserted {
                    accepted = (generated, seed)
                    break
                }
            }
            if let draw = accepted ?? fallback {
                questions.append(generator.question(draw.generated, seed: draw.seed))
                misses = 0
            } else if fixedQueue.isEmpty, misses + 1 >= rotation.count * 4 {
                // No generator yields a question inside the topic filter.
                if questions.isEmpty { throw .noMatchingQuestions(topics: topics, generators: generatorIDs) }
                throw .notEnoughQuestions(requested: count, available: questions.count)
            } else {
                misses += 1
            }
        }
        return Quiz(seed: seed, questions: questions)
    }

    /// What makes two questions repeats of each other: the same generator (or id) and prompt.
    /// Kept as two fields rather than one joined string, which cost a copy of every prompt.
    struct Fingerprint: Hashable {
        var source: String
        var prompt: String
    }

    /// Same generator and the same parameters (and prompt) count as a repeat.
    static func fingerprint(_ question: Question) -> Fingerprint {
        Fingerprint(source: question.generatorID ?? question.id, prompt: question.prompt)
    }
}
