import Foundation

/// A scenario generator: a pure function of (instance catalog, seed) to a question.
public struct Generator: Sendable, Identifiable {
    /// Stable id, e.g. `eks-max-pods`; also the prefix of generated question ids.
    public let id: String
    /// One line saying what it asks.
    public let summary: String
    /// Every topic id its questions may drill (each question lists its own subset).
    public let topics: [String]
    private let make: @Sendable (GeneratorCatalog, inout SeededGenerator) throws(GeneratorError) -> Generated

    init(
        id: String, summary: String, topics: [String],
        make: @escaping @Sendable (GeneratorCatalog, inout SeededGenerator) throws(GeneratorError) -> Generated
    ) {
        self.id = id
        self.summary = summary
        self.topics = topics
        self.make = make
    }

    /// The question for `seed`. The same catalog and seed always give the same question.
    public func generate(catalog: GeneratorCatalog, seed: UInt64) throws(GeneratorError) -> Question {
        question(try generated(catalog: catalog, seed: seed), seed: seed)
    }

    /// `generate(catalog:seed:)` for one question (the pools are worked out for it alone).
    public func generate(catalog: InstanceCatalog, seed: UInt64) throws(GeneratorError) -> Question {
        try generate(catalog: GeneratorCatalog(catalog), seed: seed)
    }

    /// What the generator makes for `seed`, before it is a `Question`; lets the quiz builder
    /// look at a draw (topics, prompt) without building a question it then throws away.
    func generated(catalog: GeneratorCatalog, seed: UInt64) throws(GeneratorError) -> Generated {
        var random = SeededGenerator(seed: seed, stream: id)
        return try make(catalog, &random)
    }

    /// The question for a draw from `generated(catalog:seed:)` with the same seed.
    func question(_ generated: consuming Generated, seed: UInt64) -> Question {
        Question(
            id: "\(id):\(seed)", source: .generator(id: id, seed: seed), prompt: generated.prompt,
            body: generated.body, explanation: generated.explanation, topics: generated.topics,
            params: generated.params, value: generated.value, erratum: generated.erratum, domain: Generators.domain(of: id))
    }
}

/// What a generator's body returns; `Generator.generate` adds the id and source.
struct Generated {
    var prompt: String
    var body: QuestionBody
    var explanation: [String]
    var topics: [String]
    var params: [String: JSONValue]
    var value: Int?
    var erratum: String?

    init(
        prompt: String, body: QuestionBody, explanation: [String], topics: [String],
        params: [String: JSONValue], value: Int? = nil, erratum: String? = nil
    ) {
        self.prompt = prompt
        self.body = body
        self.explanation = explanation
        self.topics = topics
        self.params = params
        self.value = value
        self.erratum = erratum
    }
}

/// The registry of scenario generators.
public enum Generators {
    /// Every generator, in a fixed order.
    public static let all: [Generator] = [
        EKSMaxPodsGenerator.generator,
        ECSAwsvpcTasksGenerator.generator,
        SubnetCapacityGenerator.generator,
        NetworkModeSelectionGenerator.generator,
        TrafficFlowOrderGenerator.generator,
        PortMappingGenerator.generator,
        NetworkPolicyGenerator.generator,
        WarmPoolGenerator.generator,
        ManagedNodeGroupGenerator.generator,
        CustomNetworkingPrefixGenerator.generator,
        SecurityGroupsForPodsGenerator.generator,
        AwsvpcSubnetSizingGenerator.generator,
        TrunkingEligibilityGenerator.generator,
        ApplianceModePathGenerator.generator,
        EgressCostGenerator.generator,
    ]

    /// The generator called `id`, or `nil`.
    public static func named(_ id: String) -> Generator? {
        all.first { $0.id == id }
    }

    /// The generator called `id`, or an error naming the closest ids.
    public static func require(_ id: String) throws(GeneratorError) -> Generator {
        if let generator = named(id) { return generator }
        throw .unknownGenerator(id, suggestions: Fuzzy.closest(to: id, among: all.map(\.id)), known: all.map(\.id))
    }
}

// MARK: - Shared helpers

/// Runs a facts rule inside a generator, turning its error into a generator error.
func rule(_ body: () throws(FactsError) -> Computation) throws(GeneratorError) -> Computation {
    do { return try body() } catch { throw .facts(error) }
}

/// A candidate wrong answer for a numeric question and the misconception that yields it.
struct NumericDistractor {
    var value: Int
    var misconception: Misconception
    /// The wrong working, shown next to the option after grading.
    var working: String
}

/// Renders a computed number either as a typed numeric question or as single choice whose
/// wrong options come from named misconceptions.
enum NumericRendering {
    /// Decides the rendering from the seed: roughly half single choice, when at least two
    /// distinct misconception distractors exist; otherwise numeric.
    /// `alwaysChoice` skips the coin toss, for numbers a person cannot derive from the prompt
    /// alone (a documented per-type limit) but can recognise.
    static func render(
        answer: Int, unit: String?, distractors: [NumericDistractor], random: inout SeededGenerator,
        alwaysChoice: Bool = false
    ) -> QuestionBody {
        var unique: [NumericDistractor] = []
        // A count of zero is no plausible answer to "how many": such a distractor is left out.
        for candidate in distractors
        where candidate.value != answer && candidate.value > 0 && !unique.contains(where: { $0.value == candidate.value }) {
            unique.append(candidate)
        }
        let asChoice = random.nextBool() || alwaysChoice
        guard asChoice, unique.count >= 2 else { return .numeric(answer: answer, unit: unit) }
        let chosen = Array(random.shuffled(unique).prefix(3))
        let text = { (value: Int) in unit.map { Plural.count(value, unit: $0) } ?? "\(value)" }
        var choices = [Choice(text: text(answer), explanation: "The correct value.")]
        for distractor in chosen {
            choices.append(
                Choice(text: text(distractor.value), explanation: distractor.working, misconception: distractor.misconception))
        }
        // Options are shown in ascending order, as exams do, so the position gives nothing away.
        let values = [answer] + chosen.map(\.value)
        let order = values.indices.sorted { values[$0] < values[$1] }
        let sorted = order.map { choices[$0] }
        return .singleChoice(choices: sorted, correct: order.firstIndex(of: 0)!)
    }
}

extension Int {
    /// Ceiling of a division of non-negative numbers.
    func divCeil(_ divisor: Int) -> Int { (self + divisor - 1) / divisor }
}

/// Instance-type pools whose facts are unambiguous: Nitro, one network card.
enum InstancePools {
    /// Families an SA Pro candidate meets; used first when the catalog has them.
    static let familiarFamilies = ["m5", "m6i", "m7i", "c5", "c6i", "r5", "r6i", "m6g", "c6g", "m7g", "t3", "t3a", "m5a", "c5a"]

    /// Nitro, single-card types, preferring familiar families.
    static func nitroSingleCard(_ catalog: GeneratorCatalog, includeBurstable: Bool = true) -> [InstanceType] {
        includeBurstable ? catalog.nitroSingleCard : catalog.nitroSingleCardNotBurstable
    }

    static func nitroSingleCard(in types: [InstanceType], includeBurstable: Bool) -> [InstanceType] {
        let eligible = types.filter {
            $0.isNitro && $0.isSingleCard && (includeBurstable || !$0.isBurstable)
        }
        let familiar = eligible.filter { familiarFamilies.contains($0.family) }
        return familiar.isEmpty ? eligible : familiar
    }

    /// Types with a documented ECS trunking limit: Nitro, single card, never the t family.
    static func trunking(_ catalog: GeneratorCatalog) -> [InstanceType] {
        catalog.ecsTrunking
    }

}

/// Named misconceptions shared by the generators.
enum Misconceptions {
    static let documentMaxPods = Misconception(
        id: "document-max-pods-formula",
        summary:
            "The study document's (ENIs × IPs per ENI) − 1 is wrong: each ENI keeps its primary address and 2 host-network pods are added: ENIs × (IPs − 1) + 2."
    )
    static let forgotHostNetworkPods = Misconception(
        id: "forgot-plus-two",
        summary: "Forgot the +2 for aws-node and kube-proxy, which use the host network and need no pod address.")
    static let countedPrimaryAddresses = Misconception(
        id: "counted-eni-primary-addresses",
        summary: "Counted every address of each ENI; the primary address of each ENI is not given to pods.")
    static let customNetworkingPrimaryENI = Misconception(
        id: "forgot-primary-eni",
        summary: "With custom networking the primary ENI stays in the node subnet and carries no pods.")
    static let managedNodeGroupCapIgnored = Misconception(
        id: "ignored-managed-node-group-cap",
        summary:
            "A managed node group caps max pods at 110 below 30 vCPUs and 250 from 30 up, prefix delegation or not; the uncapped eni-max-pods.txt value holds only for self-managed nodes."
    )
    static let managedCapOnSelfManaged = Misconception(
        id: "managed-cap-on-self-managed-node",
        summary:
            "The 110/250 cap is what managed node groups set; a self-managed node with the default bootstrap uses the eni-max-pods.txt value."
    )
    static let prefixDelegationUncapped = Misconception(
        id: "ignored-prefix-delegation-cap",
        summary: "Prefix delegation's raw count is capped by EKS: 110 below 30 vCPUs, 250 from 30 vCPUs.")
    static let prefixDelegationIgnored = Misconception(
        id: "ignored-prefix-delegation",
        summary: "With prefix delegation each address slot holds a /28 (16 addresses), not one address.")
    static let tasksEqualENIs = Misconception(
        id: "tasks-equal-enis",
        summary: "The study document's tasks = ENIs ignores the instance's primary ENI: tasks = ENIs − 1.")
    static let ignoredTrunking = Misconception(
        id: "ignored-trunking",
        summary: "With ENI trunking (awsvpcTrunking) the per-type trunking limit applies, not ENIs − 1.")
    static let tasksPerAddress = Misconception(
        id: "tasks-per-ip-address",
        summary: "awsvpc gives each task a whole ENI, not one secondary address as the VPC CNI does for pods.")
    static let eksBranchENIs = Misconception(
        id: "eks-branch-eni-limit",
        summary: "Used the EKS branch-ENI limit (security groups for pods); ECS trunking has its own per-type limit.")
    static let roundedDown = Misconception(
        id: "rounded-down",
        summary: "Rounded the instance count down; a partly used instance still has to run.")
    static let forgotReserved = Misconception(
        id: "forgot-five-reserved",
        summary: "AWS reserves 5 addresses in every subnet (network, VPC router, DNS, future use, broadcast).")
    static let reservedTwo = Misconception(
        id: "reserved-two-addresses",
        summary: "On-premises subnets lose 2 addresses (network, broadcast); AWS subnets lose 5.")
    static let forgotENIPrimaries = Misconception(
        id: "forgot-eni-primary-addresses",
        summary: "Each ENI a node attaches also takes a primary address from the subnet, besides the pod addresses.")
    static let prefixNotWhole = Misconception(
        id: "prefix-not-whole-block",
        summary: "With prefix delegation the subnet hands out whole /28 blocks (16 addresses), even for fewer pods.")
    static let prefixReservedFive = Misconception(
        id: "prefix-reserved-five",
        summary: "A delegated /28 prefix gives all 16 addresses to pods; the 5 reserved addresses are per subnet, not per prefix."
    )
}
