/// `ecs-awsvpc-tasks`: awsvpc tasks per container instance with or without ENI trunking, and
/// cluster sizing (instances needed for N tasks).
enum ECSAwsvpcTasksGenerator {
    static let id = "ecs-awsvpc-tasks"
    static let awsvpc = "amazon-ecs-networking/network-modes/awsvpc-mode-recommended"

    static let generator = Generator(
        id: id,
        summary: "awsvpc tasks per ECS container instance (trunking on or off), or instances needed for N tasks.",
        topics: [awsvpc]
    ) { catalog, random throws(GeneratorError) in
        let trunking = random.nextBool()
        let pool =
            trunking
            ? InstancePools.trunking(catalog)
            : catalog.ecsWithoutTrunking
        guard !pool.isEmpty else {
            throw .noEligibleInstanceTypes(
                generator: id,
                requirement: trunking
                    ? "Nitro, single-card, non-t, with an ECS trunking limit" : "Nitro, single-card, with 2 or more ENIs")
        }
        let type = random.pick(pool)
        let computation = try rule { () throws(FactsError) in try ECSRules.awsvpcTasks(type, trunking: trunking) }
        if random.next(upperBound: 3) == 0 {
            return clusterSize(type: type, trunking: trunking, perInstance: computation, &random)
        }
        return perInstance(type: type, trunking: trunking, computation: computation, &random)
    }

    static func setting(_ trunking: Bool) -> String {
        trunking ? "ENI trunking is on (awsvpcTrunking account setting)" : "ENI trunking is off"
    }

    static func perInstance(
        type: InstanceType, trunking: Bool, computation: Computation, _ random: inout SeededGenerator
    ) -> Generated {
        let parts = perInstanceMemo.value(for: PerInstanceKey(type: type, trunking: trunking)) {
            perInstanceParts(type: type, trunking: trunking, computation: computation)
        }
        let body = NumericRendering.render(
            answer: computation.value, unit: "tasks", distractors: parts.distractors, random: &random, alwaysChoice: trunking)
        return Generated(
            prompt: parts.prompt, body: body, explanation: parts.explanation,
            topics: [awsvpc],
            params: ["instanceType": .string(type.name), "trunking": .bool(trunking)],
            value: computation.value,
            erratum: parts.erratum)
    }

    struct PerInstanceKey: Hashable {
        var type: InstanceType
        var trunking: Bool
    }

    /// Everything in a per-instance question but its rendering, which draws from the seed.
    struct PerInstanceParts {
        var distractors: [NumericDistractor]
        var prompt: String
        var explanation: [String]
        var erratum: String?
    }

    static let perInstanceMemo = Memo<PerInstanceKey, PerInstanceParts>()

    /// The per-instance question's text and distractors; a pure function of the type and setting
    /// (`computation` is `ECSRules.awsvpcTasks` of them).
    static func perInstanceParts(type: InstanceType, trunking: Bool, computation: Computation) -> PerInstanceParts {
        let enis = type.maxENIs, ips = type.ipv4PerENI
        var distractors: [NumericDistractor] = [
            .init(
                value: enis, misconception: Misconceptions.tasksEqualENIs,
                working: "tasks = ENIs = \(enis), counting the primary ENI")
        ]
        if trunking {
            distractors.append(
                .init(
                    value: enis - 1, misconception: Misconceptions.ignoredTrunking,
                    working: "\(enis) − 1 = \(enis - 1), the limit without trunking"))
            if let branch = type.eksBranchENIs {
                distractors.append(
                    .init(
                        value: branch, misconception: Misconceptions.eksBranchENIs,
                        working: "\(branch), the EKS branch-ENI limit for \(type.name)"))
            }
        } else {
            distractors.append(
                .init(
                    value: enis * (ips - 1), misconception: Misconceptions.tasksPerAddress,
                    working: "\(enis) × (\(ips) − 1) = \(enis * (ips - 1)), one task per secondary address"))
        }
        let prompt = """
            An ECS container instance runs on \(type.name) (\(type.vcpus) vCPU\(type.vcpus == 1 ? "" : "s"), \(enis) ENIs, \(ips) IPv4 addresses per ENI). \
            Its tasks use awsvpc network mode and \(setting(trunking)). Ignoring CPU and memory, \
            how many awsvpc tasks can the instance run at once?
            """
        return PerInstanceParts(
            distractors: distractors, prompt: prompt, explanation: ["Rule: \(computation.formula)."] + computation.steps,
            erratum: trunking
                ? nil
                : "The study document's table says tasks = ENIs (\(enis) here); the instance's primary ENI is not available to tasks, so it is \(computation.value)."
        )
    }

    static func clusterSize(
        type: InstanceType, trunking: Bool, perInstance: Computation, _ random: inout SeededGenerator
    ) -> Generated {
        let per = perInstance.value
        let tasks = random.next(in: 2...40) * 5 + random.next(upperBound: 5)
        let instances = tasks.divCeil(per)
        let enis = type.maxENIs, ips = type.ipv4PerENI
        var distractors: [NumericDistractor] = [
            .init(
                value: tasks.divCeil(enis), misconception: Misconceptions.tasksEqualENIs,
                working: "⌈\(tasks) ÷ \(enis)⌉ = \(tasks.divCeil(enis)), with tasks = ENIs"),
            .init(
                value: tasks / per, misconception: Misconceptions.roundedDown,
                working: "⌊\(tasks) ÷ \(per)⌋ = \(tasks / per)"),
        ]
        if trunking {
            distractors.append(
                .init(
                    value: tasks.divCeil(enis - 1), misconception: Misconceptions.ignoredTrunking,
                    working: "⌈\(tasks) ÷ \(enis - 1)⌉ = \(tasks.divCeil(enis - 1)), without trunking"))
        } else {
            let perAddress = enis * (ips - 1)
            distractors.append(
                .init(
                    value: tasks.divCeil(perAddress), misconception: Misconceptions.tasksPerAddress,
                    working: "⌈\(tasks) ÷ \(perAddress)⌉ = \(tasks.divCeil(perAddress)), one task per address"))
        }
        let body = NumericRendering.render(answer: instances, unit: "instances", distractors: distractors, random: &random)
        let limitNote = trunking ? " The ECS developer guide lists \(per) trunked tasks for \(type.name)." : ""
        let prompt = """
            A service needs \(tasks) awsvpc tasks running at once on EC2 container instances of type \(type.name) \
            (\(enis) ENIs, \(ips) IPv4 addresses per ENI); \(setting(trunking)).\(limitNote) CPU and memory are not the limit. \
            How many instances does the cluster need at least?
            """
        let explanation =
            ["Tasks per instance: \(perInstance.formula)."] + perInstance.steps + [
                "Instances: ⌈\(tasks) ÷ \(per)⌉ = \(instances)"
                    + (tasks % per == 0
                        ? "."
                        : " (\(Plural.count(instances - 1, "instance")) hold\(instances - 1 == 1 ? "s" : "") only \(Plural.count((instances - 1) * per, "task"))).")
            ]
        return Generated(
            prompt: prompt, body: body, explanation: explanation, topics: [awsvpc],
            params: [
                "instanceType": .string(type.name), "trunking": .bool(trunking),
                "tasks": .int(tasks), "variant": .string("cluster-size"),
            ],
            value: instances)
    }
}
