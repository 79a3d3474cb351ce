/// `port-mapping`: bridge-mode (and host-mode) tasks with static or dynamic host ports: how
/// many run on N instances, and which port mappings conflict.
enum PortMappingGenerator {
    static let id = "port-mapping"
    static let bridge = "amazon-ecs-networking/network-modes/bridge-mode-default-for-linux"
    static let host = "amazon-ecs-networking/network-modes/host-mode"

    /// The ephemeral range ECS draws dynamic host ports from: the instance's
    /// `ip_local_port_range`, 32768–60999 on Amazon Linux 2 and 2023 (the ECS-optimized AMIs).
    /// (49153–65535 is only the fallback where that parameter cannot be read.)
    static let dynamicRange = 32768...60999
    /// The range a security group commonly admits from the load balancer for dynamic ports.
    static let securityGroupRange = 32768...65535
    /// How the explanations name the range.
    static var rangeText: String {
        "the instance's ephemeral range (ip_local_port_range: \(dynamicRange.lowerBound)–\(dynamicRange.upperBound) on the ECS-optimized Amazon Linux AMIs)"
    }

    static let generator = Generator(
        id: id,
        summary:
            "ECS bridge/host port mappings: how many tasks fit on N instances with static or dynamic host ports, and which conflict.",
        topics: [bridge, host]
    ) { _, random throws(GeneratorError) in
        switch random.next(upperBound: 3) {
        case 0: return staticPorts(&random)
        case 1: return dynamicPorts(&random)
        default: return conflicts(&random)
        }
    }

    static let commonPorts = [80, 443, 3000, 5000, 8080, 8443, 9000, 9090]

    /// Tasks that run when each instance has room for `capacity` tasks and, with a fixed host
    /// port, only one task per instance can hold that port.
    static func runningTasks(desired: Int, instances: Int, capacity: Int, fixedHostPort: Bool) -> Int {
        min(desired, instances * (fixedHostPort ? min(1, capacity) : capacity))
    }

    static func staticPorts(_ random: inout SeededGenerator) -> Generated {
        let instances = random.next(in: 2...8)
        let capacity = random.next(in: 3...8)
        let desired = instances + random.next(in: 1...(instances * 2))
        let port = random.pick(commonPorts)
        let hostMode = random.nextBool()
        let askPending = random.nextBool()
        let running = runningTasks(desired: desired, instances: instances, capacity: capacity, fixedHostPort: true)
        let answer = askPending ? desired - running : running
        let capacityOnly = runningTasks(desired: desired, instances: instances, capacity: capacity, fixedHostPort: false)
        let shared = Misconception(
            id: "static-port-shared",
            summary:
                "A fixed host port can be bound by only one task per instance; more tasks of the service cannot be placed there.")
        let distractors: [NumericDistractor] =
            askPending
            ? [
                .init(
                    value: desired - capacityOnly, misconception: shared,
                    working: "\(desired) − min(\(desired), \(instances) × \(capacity))"),
                .init(value: 0, misconception: shared, working: "all tasks placed"),
            ]
            : [
                .init(
                    value: capacityOnly, misconception: shared,
                    working: "min(\(desired), \(instances) × \(capacity)) = \(capacityOnly)"),
                .init(value: desired, misconception: shared, working: "all \(desired) desired tasks"),
            ]
        let body = NumericRendering.render(answer: answer, unit: "tasks", distractors: distractors, random: &random)
        let mapping =
            hostMode
            ? "host network mode, containerPort \(port) (so the task binds host port \(port))"
            : "bridge network mode with portMappings hostPort \(port), containerPort \(port)"
        let prompt = """
            An ECS service on EC2 uses \(mapping). The cluster has \(instances) container instances, each with CPU and \
            memory for \(capacity) of these tasks, and no other tasks run there. The desired count is \(desired). \
            \(askPending ? "How many tasks stay PENDING (cannot be placed)?" : "How many tasks can run at once?")
            """
        var explanation = [
            hostMode
                ? "In host mode the container uses the instance's network directly: container port \(port) is host port \(port)."
                : "A static hostPort (\(port)) is bound on the instance itself.",
            "Only one task can hold host port \(port) on an instance, so each instance runs at most 1 task, whatever its spare CPU and memory (\(capacity)).",
            "Running: min(\(desired), \(instances) instances × 1) = \(running).",
        ]
        if askPending { explanation.append("Pending: \(desired) − \(running) = \(desired - running).") }
        explanation.append(
            "With hostPort 0 (dynamic, from \(rangeText)) in bridge mode, min(\(desired), \(instances) × \(capacity)) = \(capacityOnly) could run."
        )
        return Generated(
            prompt: prompt, body: body, explanation: explanation, topics: [hostMode ? host : bridge],
            params: [
                "variant": .string("static"), "networkMode": .string(hostMode ? "host" : "bridge"),
                "hostPort": .int(port), "instances": .int(instances), "tasksPerInstanceByResources": .int(capacity),
                "desiredCount": .int(desired), "ask": .string(askPending ? "pending" : "running"),
            ],
            value: answer)
    }

    static func dynamicPorts(_ random: inout SeededGenerator) -> Generated {
        let instances = random.next(in: 2...8)
        let capacity = random.next(in: 2...8)
        let desired = random.next(in: (instances + 1)...(instances * capacity + 6))
        let port = random.pick(commonPorts)
        let running = runningTasks(desired: desired, instances: instances, capacity: capacity, fixedHostPort: false)
        let distractors: [NumericDistractor] = [
            .init(
                value: min(desired, instances),
                misconception: Misconception(
                    id: "dynamic-port-one-per-instance",
                    summary:
                        "hostPort 0 gives each task its own host port from \(rangeText), so many tasks with the same containerPort share an instance."
                ),
                working: "min(\(desired), \(instances)), one per instance"),
            .init(
                value: desired,
                misconception: Misconception(
                    id: "ignored-instance-resources",
                    summary: "Dynamic ports lift the port limit, but CPU and memory still bound tasks per instance."),
                working: "all \(desired) desired tasks"),
        ]
        let body = NumericRendering.render(answer: running, unit: "tasks", distractors: distractors, random: &random)
        let prompt = """
            An ECS service on EC2 uses bridge network mode with portMappings hostPort 0, containerPort \(port). \
            The cluster has \(instances) container instances, each with CPU and memory for \(capacity) of these tasks, \
            and no other tasks run there. The desired count is \(desired). How many tasks can run at once?
            """
        let explanation = [
            "hostPort 0 asks for a dynamic host port from \(rangeText), \(dynamicRange.count) ports, so tasks never collide on the host; the instances' security group admits \(securityGroupRange.lowerBound)–\(securityGroupRange.upperBound) from the load balancer.",
            "Ports are not the limit; CPU and memory are: \(capacity) tasks per instance.",
            "min(\(desired), \(instances) × \(capacity)) = min(\(desired), \(instances * capacity)) = \(running).",
            "The load balancer's target group (type instance) registers each task's instance and dynamic port.",
        ]
        return Generated(
            prompt: prompt, body: body, explanation: explanation, topics: [bridge],
            params: [
                "variant": .string("dynamic"), "containerPort": .int(port), "instances": .int(instances),
                "tasksPerInstanceByResources": .int(capacity), "desiredCount": .int(desired),
            ],
            value: running)
    }

    /// One container's port mapping in a candidate task.
    struct Mapping: Equatable {
        var networkMode: String
        var containerPort: Int
        /// `0` for a dynamic host port (bridge only).
        var hostPort: Int

        /// The fixed host port the mapping binds, if any.
        var boundHostPort: Int? {
            switch networkMode {
            case "host": containerPort
            default: hostPort == 0 ? nil : hostPort
            }
        }

        var text: String {
            switch networkMode {
            case "host": "host mode, containerPort \(containerPort)"
            default:
                hostPort == 0
                    ? "bridge mode, containerPort \(containerPort), hostPort 0 (dynamic)"
                    : "bridge mode, containerPort \(containerPort), hostPort \(hostPort)"
            }
        }
    }

    /// True when `candidate` needs a host port that `bound` already holds.
    static func conflicts(_ candidate: Mapping, with bound: Set<Int>) -> Bool {
        candidate.boundHostPort.map(bound.contains) ?? false
    }

    static func conflicts(_ random: inout SeededGenerator) -> Generated {
        let ports = random.shuffled(commonPorts)
        let held = Array(ports.prefix(2)).sorted()
        let free = Array(ports.dropFirst(2))
        let heldSet = Set(held)
        let conflictCount = random.next(in: 2...3)
        var candidates: [(Mapping, Misconception?)] = []
        // Conflicting candidates: a static host port or a host-mode container port already held.
        var firstIsBridge = false
        for k in 0..<conflictCount {
            let port = held[k % held.count]
            // The third conflict reuses the first port, so it takes the other mode to stay distinct.
            let bridgeMode = k == 2 ? !firstIsBridge : random.nextBool()
            if k == 0 { firstIsBridge = bridgeMode }
            candidates.append(
                bridgeMode
                    ? (Mapping(networkMode: "bridge", containerPort: random.pick(free), hostPort: port), nil)
                    : (Mapping(networkMode: "host", containerPort: port, hostPort: port), nil))
        }
        // Non-conflicting candidates, each a trap for one misconception.
        candidates.append(
            (
                Mapping(networkMode: "bridge", containerPort: random.pick(held), hostPort: 0),
                Misconception(
                    id: "dynamic-port-conflict",
                    summary:
                        "hostPort 0 takes a free port from \(rangeText); the same containerPort in another task does not conflict."
                )
            ))
        candidates.append(
            (
                Mapping(networkMode: "bridge", containerPort: random.pick(held), hostPort: free[0]),
                Misconception(
                    id: "container-port-conflict",
                    summary: "In bridge mode only host ports collide; each task has its own container network namespace.")
            ))
        if conflictCount == 2 {
            candidates.append(
                (
                    Mapping(networkMode: "host", containerPort: free[1], hostPort: free[1]),
                    Misconception(
                        id: "host-mode-always-conflicts",
                        summary: "Host mode conflicts only on the ports the container actually uses.")
                ))
        }
        candidates = random.shuffled(candidates)
        let correct = candidates.indices.filter { conflicts(candidates[$0].0, with: heldSet) }
        let choices = candidates.map { mapping, trap in
            Choice(
                text: mapping.text,
                explanation: conflicts(mapping, with: heldSet)
                    ? "Needs host port \(mapping.boundHostPort!), already bound."
                    : (mapping.boundHostPort.map { "Host port \($0) is free." } ?? "Gets a dynamic host port."),
                misconception: trap)
        }
        let count = ["", "ONE", "TWO", "THREE"][correct.count]
        let prompt = """
            An ECS container instance already runs a bridge-mode task with static host ports \(held.map(String.init).joined(separator: " and ")). \
            Which of these single-container tasks can NOT be placed on the same instance? Choose \(count).
            """
        var explanation = [
            "The running task holds host ports \(held.map(String.init).joined(separator: " and ")).",
            "A static hostPort, or a host-mode containerPort (container port = host port), must be free on the instance.",
            "hostPort 0 gets a dynamic port from \(rangeText), and container ports alone never collide in bridge mode.",
        ]
        for (index, choice) in choices.enumerated() {
            explanation.append("\(QuestionBody.letter(index))) \(choice.text): \(choice.explanation ?? "")")
        }
        return Generated(
            prompt: prompt, body: .multipleChoice(choices: choices, correct: correct),
            explanation: explanation, topics: [bridge, host],
            params: [
                "variant": .string("conflicts"), "heldHostPorts": .array(held.map { .int($0) }),
                "candidates": .array(
                    candidates.map { mapping, _ in
                        .object([
                            "networkMode": .string(mapping.networkMode), "containerPort": .int(mapping.containerPort),
                            "hostPort": .int(mapping.hostPort),
                        ])
                    }),
            ])
    }
}
