import Foundation

/// Draws a quiz from scenario generators, content cards and bank questions.
///
/// Pure: the same inputs and seed give the same quiz. Content cards and bank questions are
/// passed in; the builder does not know where they come from.
public struct QuizBuilder: Sendable {
    public let catalog: GeneratorCatalog
    public var generators: [Generator]
    public var cards: [Question]
    public var bank: [Question]

    public init(catalog: InstanceCatalog, generators: [Generator] = Generators.all, cards: [Question] = [], bank: [Question] = [])
    {
        self.init(catalog: GeneratorCatalog(catalog), generators: generators, cards: cards, bank: bank)
    }

    public init(
        catalog: GeneratorCatalog, generators: [Generator] = Generators.all, cards: [Question] = [], bank: [Question] = []
    ) {
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
    /// generated one with equal odds; generators take turns in a seeded order, and each turn
    /// redraws to avoid repeating a scenario already in the quiz.
    /// - `distinctOnly`: never repeat a generator's scenario; when the filters hold fewer distinct
    ///   questions than `count`, the quiz is shorter (a practice quiz on a narrow topic, say).
    public func build(
        count: Int, seed: UInt64, topics: [String] = [], generatorIDs: [String] = [],
        distinctOnly: Bool = false
    ) throws(QuizError) -> Quiz {
        var questions: [Question] = []
        try stream(
            count: count, seed: seed, topics: topics, generatorIDs: generatorIDs, batchSize: count,
            distinctOnly: distinctOnly, prepare: { $0 }
        ) { batch in
            questions += batch
            return true
        }
        return Quiz(seed: seed, questions: questions)
    }

    /// Builds the same questions as `build`, handing them to `deliver` in order, `batchSize` at a
    /// time, so a large quiz is written out as it is made and never held whole. An error can come
    /// after some batches were delivered.
    public func stream(
        count: Int, seed: UInt64, topics: [String] = [], generatorIDs: [String] = [], batchSize: Int = 1024,
        _ deliver: ([Question]) -> Void
    ) throws(QuizError) {
        try stream(
            count: count, seed: seed, topics: topics, generatorIDs: generatorIDs, batchSize: batchSize,
            prepare: { $0 }
        ) { batch in
            deliver(batch)
            return true
        }
    }

    /// `stream`, with each question turned into a `Payload` by `prepare` first. Generated
    /// questions are prepared on the threads that make them (encoding a question as JSON, say,
    /// then runs in parallel too); `prepare` must not depend on the order of calls. `deliver`
    /// returns false to stop early (its output failed, say); the stream then ends without error.
    public func stream<Payload: Sendable>(
        count: Int, seed: UInt64, topics: [String] = [], generatorIDs: [String] = [], batchSize: Int = 1024,
        distinctOnly: Bool = false,
        prepare: @escaping @Sendable (Question) -> Payload,
        _ deliver: ([Payload]) -> Bool
    ) throws(QuizError) {
        guard count >= 1 else { throw .badCount(count) }
        var chosenGenerators = generators
        if !generatorIDs.isEmpty {
            chosenGenerators = []
            for id in generatorIDs {
                guard let generator = generators.first(where: { $0.id == id }) else {
                    throw .generator(
                        .unknownGenerator(
                            id, suggestions: Fuzzy.closest(to: id, among: generators.map(\.id)),
                            known: generators.map(\.id)))
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
            guard distinctOnly else { throw .notEnoughQuestions(requested: count, available: fixed.count) }
            var random = SeededGenerator(seed: seed, stream: "quiz")
            _ = deliver(random.shuffled(fixed).map { prepare(Self.shuffled($0, quizSeed: seed)) })
            return
        }

        var random = SeededGenerator(seed: seed, stream: "quiz")
        var fixedQueue = random.shuffled(fixed)[...]
        let rotation = random.shuffled(chosenGenerators)
        // Each generator draws from its own stream and only ever repeats itself, so the questions
        // of its turns do not depend on the others': they are worked out ahead, generators in
        // parallel, and dealt in turn order here. The quiz is the same however threads run.
        var lanes = rotation.map {
            Lane<Payload>(generator: $0, random: SeededGenerator(seed: seed, stream: "quiz/\($0.id)"), prepare: prepare)
        }
        var turn = 0
        var misses = 0
        var made = 0
        var stopped = false
        var questions: [Payload] = []
        questions.reserveCapacity(min(batchSize, count))
        func add(_ question: consuming Payload) {
            questions.append(question)
            made += 1
            if questions.count >= batchSize || made == count {
                stopped = !deliver(questions)
                questions.removeAll(keepingCapacity: true)
            }
        }
        while made < count && !stopped {
            let useFixed = !fixedQueue.isEmpty && (rotation.isEmpty || random.nextBool())
            if useFixed {
                add(prepare(Self.shuffled(fixedQueue.removeFirst(), quizSeed: seed)))
                continue
            }
            let index = turn % lanes.count
            turn += 1
            if lanes[index].isEmpty {
                // Enough turns for the rest of the quiz, in bounded rounds.
                let ahead = min(Self.turnsAhead, (count - made) / lanes.count + 1)
                let catalog = catalog
                // The busiest lanes (most draws last time) start first, so no thread is left
                // finishing a long lane alone.
                let order = lanes.indices.sorted { (lanes[$0].draws, $1) > (lanes[$1].draws, $0) }
                Parallel.forEach(inPlace: &lanes, order: order) { lane in
                    lane.workAhead(turns: ahead, catalog: catalog, topics: topics)
                }
            }
            if let (question, isRepeat) = try lanes[index].nextTurn() {
                // A scenario already in the quiz gives its place to a question not yet asked,
                // while there are any; only then may a generator repeat itself.
                if isRepeat, !fixedQueue.isEmpty {
                    add(prepare(Self.shuffled(fixedQueue.removeFirst(), quizSeed: seed)))
                    misses = 0
                } else if isRepeat, distinctOnly {
                    misses += 1
                } else {
                    add(question)
                    misses = 0
                }
                if misses < lanes.count * 4 { continue }
            }
            if fixedQueue.isEmpty, misses + 1 >= lanes.count * 4 {
                // No generator yields a new question inside the topic filter.
                if made == 0 { throw .noMatchingQuestions(topics: topics, generators: generatorIDs) }
                if distinctOnly {
                    // Every distinct question is in: the quiz ends short.
                    if !questions.isEmpty { _ = deliver(questions) }
                    return
                }
                throw .notEnoughQuestions(requested: count, available: made)
            } else {
                misses += 1
            }
        }
    }

    /// How many turns a generator works out ahead at most.
    static let turnsAhead = 64

    /// One generator's turns: its own random stream, the prompts it has given, and the outcomes
    /// of turns worked out but not yet dealt.
    struct Lane<Payload> {
        let generator: Generator
        var random: SeededGenerator
        let prepare: @Sendable (Question) -> Payload
        var fingerprints: Set<UInt64> = []
        /// Draws per turn (see `redraws`).
        var budget = QuizBuilder.redraws
        /// Each turn's question, prepared, and whether it repeats a scenario of this lane; nil when
        /// no draw was inside the topic filter.
        var pending: [(Payload, Bool)?] = []
        var next = 0
        var failure: GeneratorError?
        /// Draws made by the last `workAhead`, a measure of its cost.
        var draws = 0

        init(generator: Generator, random: SeededGenerator, prepare: @escaping @Sendable (Question) -> Payload) {
            self.generator = generator
            self.random = random
            self.prepare = prepare
        }

        var isEmpty: Bool { next == pending.count && failure == nil }

        /// The next turn's outcome (worked out by `workAhead`).
        mutating func nextTurn() throws(QuizError) -> (Payload, Bool)? {
            if next == pending.count, let failure { throw .generator(failure) }
            // Moved out rather than copied: a question holds many strings to retain and release.
            var question: (Payload, Bool)?
            swap(&question, &pending[next])
            next += 1
            return question
        }

        /// Works out turns until `turns` are waiting, stopping at a generator error.
        mutating func workAhead(turns: Int, catalog: GeneratorCatalog, topics: [String]) {
            pending.removeFirst(next)
            next = 0
            let source = StableHash.fnv1a(generator.id)
            draws = 0
            for _ in pending.count..<max(turns, pending.count) where failure == nil {
                do {
                    pending.append(
                        try turn(catalog: catalog, topics: topics, source: source).map { (prepare($0.question), $0.isRepeat) })
                } catch { failure = error }
            }
        }

        /// Redraws to avoid a repeated scenario or one outside the topic filter; falls back to a
        /// repeat. Draws are checked before they become questions: most redraws are thrown away.
        private mutating func turn(catalog: GeneratorCatalog, topics: [String], source: UInt64) throws(GeneratorError)
            -> (question: Question, isRepeat: Bool)?
        {
            var fallback: (generated: Generated, seed: UInt64)?
            // The budget counts draws inside the topic filter; draws outside it are capped apart,
            // so a generator with few scenarios on the topic still finds one.
            var inFilter = 0
            for _ in 0..<(topics.isEmpty ? budget : QuizBuilder.redraws * 4) where inFilter < budget {
                draws += 1
                let seed = random.next()
                let generated = try generator.generated(catalog: catalog, seed: seed)
                guard QuizBuilder.matches(generated.topics, topics) else { continue }
                inFilter += 1
                if fingerprints.insert(QuizBuilder.fingerprint(source: source, prompt: generated.prompt)).inserted {
                    budget = QuizBuilder.redraws
                    return (generator.question(generated, seed: seed).shuffled(seed: seed), false)
                }
                if fallback == nil { fallback = (generated, seed) }
            }
            guard let fallback else { return nil }
            // Only repeats: the generator is running out, so its next turns try less hard.
            budget = max(1, budget / 4)
            return (generator.question(fallback.generated, seed: fallback.seed).shuffled(seed: fallback.seed), true)
        }
    }

    /// A fixed question with its options in an order drawn from the quiz's seed and its id, so
    /// the same quiz seed shows the same order, and the key of an export follows it.
    static func shuffled(_ question: Question, quizSeed: UInt64) -> Question {
        question.shuffled(seed: quizSeed ^ StableHash.fnv1a(question.id))
    }

    /// Draws per turn to find a scenario not yet in the quiz; a turn that finds none quarters
    /// the generator's next budget (12, 3, 1), and a new scenario restores it.
    static let redraws = 12

    /// What makes two questions repeats of each other: the same generator (or id) and prompt,
    /// as a stable 64-bit hash. Two different prompts sharing a hash (odds about 1 in 10^9 in a
    /// 100,000-question quiz) would only cost a redraw.
    static func fingerprint(source: UInt64, prompt: String) -> UInt64 {
        if let hash = prompt.utf8.withContiguousStorageIfAvailable({ StableHash.words($0, seed: source) }) { return hash }
        var prompt = prompt
        return prompt.withUTF8 { StableHash.words($0, seed: source) }
    }
}
