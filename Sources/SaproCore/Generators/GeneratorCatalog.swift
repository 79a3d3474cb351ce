import Foundation

/// An instance catalog with the generators' pools worked out once (a quiz of many questions asks
/// for them once a question). Whoever generates many questions makes one and passes it on.
public struct GeneratorCatalog: Sendable {
    /// The catalog the pools come from.
    public let instances: InstanceCatalog
    /// Nitro, single-card types, preferring familiar families (`InstancePools`).
    let nitroSingleCard: [InstanceType]
    let nitroSingleCardNotBurstable: [InstanceType]
    /// The `eks-max-pods` generator's pools and per-family steps.
    let eksMaxPods: EKSMaxPodsGenerator.Pools
    /// `ecs-awsvpc-tasks` pools: types with an ECS trunking limit (`InstancePools.trunking`), and
    /// types with at least 2 ENIs for questions without trunking.
    let ecsTrunking: [InstanceType]
    let ecsWithoutTrunking: [InstanceType]
    /// `subnet-capacity` node types: 3+ ENIs and 4+ addresses per ENI.
    let subnetNodes: [InstanceType]

    public init(_ instances: InstanceCatalog) {
        self.instances = instances
        nitroSingleCard = InstancePools.nitroSingleCard(in: instances.types, includeBurstable: true)
        nitroSingleCardNotBurstable = InstancePools.nitroSingleCard(in: instances.types, includeBurstable: false)
        eksMaxPods = EKSMaxPodsGenerator.Pools(catalog: nitroSingleCard)
        ecsTrunking = nitroSingleCardNotBurstable.filter { $0.ecsTrunkTasks != nil }
        ecsWithoutTrunking = nitroSingleCard.filter { $0.maxENIs >= 2 }
        subnetNodes = nitroSingleCard.filter { $0.maxENIs >= 3 && $0.ipv4PerENI >= 4 }
    }
}
