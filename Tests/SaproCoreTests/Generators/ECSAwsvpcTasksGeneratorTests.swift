import Testing
@testable import SaproCore

@Suite struct ECSAwsvpcTasksGeneratorTests {
    static let questions = Reference.questions("ecs-awsvpc-tasks", count: 1200)

    /// Per-instance tasks from the CSV read independently: the trunking column, or max_enis − 1.
    func perInstance(_ type: String, trunking: Bool) -> Int? {
        trunking ? Reference.int(type, "ecs_trunk_tasks") : Reference.int(type, "max_enis").map { $0 - 1 }
    }

    @Test func tasksPerInstanceMatchTheCSV() {
        var checked = (trunk: 0, plain: 0)
        for question in Self.questions where question.string("variant") == nil {
            let type = question.string("instanceType")!, trunking = question.bool("trunking")!
            #expect(Set(question.params.keys) == ["instanceType", "trunking"])
            #expect(question.value == perInstance(type, trunking: trunking), "\(type) trunking \(trunking)")
            #expect(question.numericAnswer == question.value)
            if trunking { checked.trunk += 1 } else { checked.plain += 1 }
        }
        #expect(checked.trunk > 100 && checked.plain > 100)
    }

    @Test func trunkingNeverOnTFamilyOrUnsupportedTypes() {
        for question in Self.questions where question.bool("trunking") == true {
            let type = question.string("instanceType")!
            #expect(!type.hasPrefix("t"), "\(type)")
            #expect(Reference.int(type, "ecs_trunk_tasks") != nil, "\(type)")
            #expect(Reference.rows[type]?["hypervisor"] == "nitro")
        }
    }

    @Test(arguments: [("m5.large", 10), ("m5.xlarge", 20), ("m5.2xlarge", 40), ("m5.4xlarge", 60), ("c5.large", 10)])
    func factsTrunkingExamples(type: String, tasks: Int) throws {
        #expect(try ECSRules.awsvpcTasks(Reference.catalog.require(type), trunking: true).value == tasks)
    }

    @Test(arguments: [("t3.micro", 1), ("t3.small", 2), ("t3.medium", 2), ("t3.large", 2), ("m5.large", 2), ("m5.xlarge", 3)])
    func factsPlainExamples(type: String, tasks: Int) throws {
        #expect(try ECSRules.awsvpcTasks(Reference.catalog.require(type)).value == tasks)
    }

    @Test func clusterSizeIsTheSmallestSufficientCount() {
        var checked = 0
        for question in Self.questions where question.string("variant") == "cluster-size" {
            let per = perInstance(question.string("instanceType")!, trunking: question.bool("trunking")!)!
            let tasks = question.int("tasks")!, instances = question.value!
            #expect(instances * per >= tasks)
            #expect((instances - 1) * per < tasks)
            #expect(question.numericAnswer == instances)
            checked += 1
        }
        #expect(checked > 100)
    }

    @Test func ignoringTrunkingIsNamed() {
        var found = false
        for question in Self.questions where question.bool("trunking") == true && question.string("variant") == nil {
            guard case let .singleChoice(choices, _) = question.body else {
                Issue.record("trunking questions are always single choice")
                continue
            }
            if let index = choices.firstIndex(where: { $0.misconception?.id == "ignored-trunking" }) {
                #expect(question.grade(QuestionBody.letter(index)).misconception?.id == "ignored-trunking")
                found = true
            }
        }
        #expect(found)
    }
}
