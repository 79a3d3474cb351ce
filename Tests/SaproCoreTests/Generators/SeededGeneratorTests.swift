import Testing
@testable import SaproCore

@Suite struct SeededGeneratorTests {
    /// SplitMix64's published test vector for seed 1234567.
    @Test func matchesSplitMix64Reference() {
        var random = SeededGenerator(seed: 1_234_567)
        let expected: [UInt64] = [
            6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423,
            4_593_380_528_125_082_431, 16_408_922_859_458_223_821,
        ]
        #expect((0..<5).map { _ in random.next() } == expected)
    }

    @Test func boundedDrawsStayInRangeAndCoverIt() {
        var random = SeededGenerator(seed: 7)
        var seen = Set<Int>()
        for _ in 0..<1000 {
            let value = random.next(upperBound: 6)
            #expect((0..<6).contains(value))
            seen.insert(value)
        }
        #expect(seen.count == 6)
    }

    @Test func shuffleIsAPermutationAndRepeatable() {
        var a = SeededGenerator(seed: 3), b = SeededGenerator(seed: 3)
        let items = Array(0..<20)
        let first = a.shuffled(items), second = b.shuffled(items)
        #expect(first == second)
        #expect(first.sorted() == items)
        #expect(first != items)
    }

    @Test func streamsDiffer() {
        var a = SeededGenerator(seed: 1, stream: "eks-max-pods"), b = SeededGenerator(seed: 1, stream: "port-mapping")
        #expect(a.next() != b.next())
        #expect(StableHash.fnv1a("") == 0xcbf2_9ce4_8422_2325)
        #expect(StableHash.fnv1a("a") == 0xaf63_dc4c_8601_ec8c)
    }

    @Test func everyGeneratorIsDeterministic() throws {
        for generator in Generators.all {
            for seed in [0, 1, 42, UInt64.max] as [UInt64] {
                let a = try generator.generate(catalog: Reference.catalog, seed: seed)
                let b = try generator.generate(catalog: Reference.catalog, seed: seed)
                #expect(a == b, "\(generator.id) seed \(seed)")
                #expect(a.id == "\(generator.id):\(seed)")
                #expect(!a.topics.isEmpty && a.topics.allSatisfy { generator.topics.contains($0) })
                #expect(!a.explanation.isEmpty)
                // The key's typed form grades as correct.
                #expect(a.grade(a.expectedAnswer) == .correct, "\(generator.id) seed \(seed)")
            }
        }
    }

    @Test func registryIdsAreUniqueAndDescribed() {
        let ids = Generators.all.map(\.id)
        #expect(
            ids == [
                "eks-max-pods", "ecs-awsvpc-tasks", "subnet-capacity", "network-mode-selection",
                "traffic-flow-order", "port-mapping", "network-policy", "cni-warm-pool", "mng-max-pods",
                "custom-networking-prefixes", "sgp-capacity", "awsvpc-subnet-sizing", "trunking-eligibility",
                "tgw-appliance-path", "egress-cost",
            ])
        #expect(Generators.all.allSatisfy { !$0.summary.isEmpty })
        let known: Set<String> = [
            "overview", "amazon-ecs-networking", "amazon-ecs-networking/network-modes",
            "amazon-ecs-networking/network-modes/awsvpc-mode-recommended",
            "amazon-ecs-networking/network-modes/bridge-mode-default-for-linux",
            "amazon-ecs-networking/network-modes/host-mode", "amazon-ecs-networking/ecs-service-discovery",
            "amazon-ecs-networking/ecs-private-connectivity-patterns", "amazon-eks-networking",
            "amazon-eks-networking/vpc-cni-plugin", "amazon-eks-networking/ip-exhaustion-problem",
            "amazon-eks-networking/eks-ingress-patterns", "amazon-eks-networking/internal-only-clusters",
            "amazon-eks-networking/eks-security-boundaries", "container-networking-decision-framework",
            "container-networking-decision-framework/ecs-vs-eks-vs-lambda-networking-comparison",
            "container-networking-decision-framework/decision-tree", "gateway-load-balancer-inspection-vpc-pattern",
            "operational-considerations/monitoring-container-networking", "operational-considerations/troubleshooting",
        ]
        for generator in Generators.all {
            // Every question's topics are declared by its generator, so topic filtering can trust them.
            for question in Reference.questions(generator.id, count: 200) {
                #expect(Set(question.topics).isSubset(of: generator.topics), "\(question.id): \(question.topics)")
            }
            #expect(Set(generator.topics).isSubset(of: known), "\(generator.id): \(Set(generator.topics).subtracting(known))")
        }
        #expect(throws: GeneratorError.self) { try Generators.require("eks-max-pod") }
    }
}
