import Foundation

extension Generators {
    /// The SAP-C02 domain each generator's questions exercise: sizing and designing new
    /// platforms is Domain 2; troubleshooting and improving a running one is Domain 3; cross-account
    /// inspection is Domain 1.
    static let domains: [String: ExamDomain] = [
        "eks-max-pods": .newSolutions,
        "ecs-awsvpc-tasks": .newSolutions,
        "subnet-capacity": .continuousImprovement,
        "network-mode-selection": .newSolutions,
        "traffic-flow-order": .continuousImprovement,
        "port-mapping": .continuousImprovement,
        "network-policy": .continuousImprovement,
        "cni-warm-pool": .continuousImprovement,
        "mng-max-pods": .newSolutions,
        "custom-networking-prefixes": .migrationModernization,
        "sgp-capacity": .newSolutions,
        "awsvpc-subnet-sizing": .migrationModernization,
        "trunking-eligibility": .organizationalComplexity,
        "tgw-appliance-path": .organizationalComplexity,
        "egress-cost": .continuousImprovement,
    ]

    /// The domain of generator `id`'s questions.
    public static func domain(of id: String) -> ExamDomain? { domains[id] }

    /// For each generator, the parameters that say what kind of scenario a question is (the
    /// variant and the setting that decides the rule), as opposed to the numbers drawn for it.
    /// A skill failed on one kind is asked again on that kind, with fresh numbers.
    static let scenarioKeys: [String: [String]] = [
        "eks-max-pods": ["variant", "networking"],
        "ecs-awsvpc-tasks": ["variant", "trunking"],
        "subnet-capacity": ["variant"],
        "network-mode-selection": ["variant"],
        "traffic-flow-order": ["flow"],
        "port-mapping": ["variant", "networkMode"],
        // Its scenarios differ in selectors and ports; what a learner gets wrong is the verdict.
        "network-policy": [],
        "cni-warm-pool": ["variant", "setting"],
        "mng-max-pods": ["variant", "prefixDelegation"],
        "custom-networking-prefixes": ["variant"],
        "sgp-capacity": [],
        "awsvpc-subnet-sizing": ["alb"],
        "trunking-eligibility": ["variant"],
        "tgw-appliance-path": ["variant"],
        "egress-cost": ["variant"],
    ]

    /// The kind of scenario of a generated question, such as `smallest-type/prefix-delegation`
    /// (`nil` for questions that do not come from a generator). A question without the variant
    /// parameter is its generator's plain kind, `basic`.
    public static func scenarioKind(of question: Question) -> String? {
        guard case .generator(let id, _) = question.source else { return nil }
        var parts: [String] = []
        for key in scenarioKeys[id] ?? ["variant"] {
            switch question.params[key] {
            case .string(let s)?: parts.append(s)
            case .bool(let b)?: parts.append(b ? key : "no-\(key)")
            case .int(let n)?: parts.append("\(key)-\(n)")
            default: if key == "variant" { parts.append("basic") }
            }
        }
        if parts.isEmpty { parts.append(question.body.expectedAnswer.lowercased()) }
        return parts.joined(separator: "/").replacingOccurrences(of: " ", with: "-")
    }

    /// An instance of `generator` of the scenario kind `kind` (drawn from `seeds` until one
    /// matches, at most `attempts` draws), else the first instance drawn; `accept` narrows the
    /// draws further (a topic filter, say).
    public static func instance(
        of generator: Generator, kind: String?, catalog: GeneratorCatalog, seeds: inout SplitMix64,
        attempts: Int = 200, accept: (Question) -> Bool = { _ in true }
    ) -> Question? {
        var first: Question?
        for _ in 0..<attempts {
            guard let q = try? generator.generate(catalog: catalog, seed: seeds.next() % 1_000_000_000), accept(q) else {
                continue
            }
            guard let kind else { return q }
            if scenarioKind(of: q) == kind { return q }
            if first == nil { first = q }
        }
        return first
    }
}
