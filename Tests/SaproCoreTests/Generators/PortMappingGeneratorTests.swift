import Testing
@testable import SaproCore

@Suite struct PortMappingGeneratorTests {
    static let questions = Reference.questions("port-mapping", count: 600)

    @Test func staticHostPortsAllowOneTaskPerInstance() {
        var checked = 0
        for question in Self.questions where question.string("variant") == "static" {
            let instances = question.int("instances")!, desired = question.int("desiredCount")!
            let running = desired < instances ? desired : instances
            let expected = question.string("ask") == "pending" ? desired - running : running
            #expect(question.value == expected)
            #expect(question.numericAnswer == expected)
            checked += 1
        }
        #expect(checked > 50)
    }

    @Test func dynamicHostPortsAreBoundByResources() {
        var checked = 0
        for question in Self.questions where question.string("variant") == "dynamic" {
            let capacity = question.int("instances")! * question.int("tasksPerInstanceByResources")!
            let desired = question.int("desiredCount")!
            #expect(question.value == (desired < capacity ? desired : capacity))
            checked += 1
        }
        #expect(checked > 50)
    }

    /// Conflicts recomputed from the params: a fixed host port (static bridge hostPort, or the
    /// container port in host mode) already held by the running task.
    @Test func conflictsAreTheHeldFixedPorts() {
        var checked = 0
        for question in Self.questions where question.string("variant") == "conflicts" {
            guard case let .array(heldJSON)? = question.params["heldHostPorts"],
                case let .array(candidates)? = question.params["candidates"],
                case let .multipleChoice(choices, correct) = question.body
            else {
                Issue.record("malformed conflicts question")
                continue
            }
            let held = Set(
                heldJSON.compactMap { value -> Int? in
                    if case let .int(port) = value { return port }; return nil
                })
            var expected: [Int] = []
            for (index, candidate) in candidates.enumerated() {
                guard case let .object(fields) = candidate,
                    case let .string(mode)? = fields["networkMode"],
                    case let .int(containerPort)? = fields["containerPort"],
                    case let .int(hostPort)? = fields["hostPort"]
                else { continue }
                let bound = mode == "host" ? containerPort : hostPort
                if bound != 0 && held.contains(bound) { expected.append(index) }
            }
            #expect(correct == expected)
            #expect(choices.count == candidates.count)
            #expect(Set(choices.map(\.text)).count == choices.count, "duplicate option texts")
            let words = ["", "ONE", "TWO", "THREE"]
            #expect(question.prompt.contains("Choose \(words[correct.count])."))
            checked += 1
        }
        #expect(checked > 50)
    }

    /// The range as the sources state it: the ECS agent's README (ECS_DYNAMIC_HOST_PORT_RANGE
    /// "defined by /proc/sys/net/ipv4/ip_local_port_range") and that parameter's value on Amazon
    /// Linux 2 and 2023, 32768–60999 (the corrected FACTS.md, AUDIT.md R1). No question or bank text
    /// teaches the fallback 49153–65535 as the rule.
    @Test func dynamicRangeIsTheDocumentedOne() throws {
        #expect(PortMappingGenerator.dynamicRange == 32768...60999)
        let quiz = try QuizBuilder(catalog: Reference.catalog, generators: [PortMappingGenerator.generator]).build(
            count: 200, seed: 11)
        for question in quiz.questions {
            let text = ([question.prompt] + question.explanation + question.body.optionLines).joined(separator: "\n")
            #expect(!text.contains("49153"), "\(question.id)")
        }
        let bank = try String(contentsOf: Repo.quizzes.appendingPathComponent("ecs-networking.md"), encoding: .utf8)
        for line in bank.split(separator: "\n") where line.contains("49153") {
            #expect(line.contains("only where") || line.contains("would block"), "the fallback range taught as the rule: \(line)")
        }
    }
}
