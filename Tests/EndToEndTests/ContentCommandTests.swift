import Foundation
import Testing

@Test func topicsListsTheTreeFromAnyWorkingDirectory() throws {
    let result = try Sapro.run(["topics"])
    #expect(result.status == 0)
    #expect(result.stdout.contains("      host Mode  amazon-ecs-networking/network-modes/host-mode"))
    #expect(result.stderr.isEmpty)
}

@Test func readRendersTablesAlignedAndErrataBesideThem() throws {
    let result = try Sapro.run(["read", "awsvpc-mode-recommended"])
    #expect(result.status == 0)
    #expect(result.stdout.contains("  Instance Type │ Max ENIs │ Max Tasks (awsvpc)\n"))
    #expect(result.stdout.contains("  t3.micro      │ 2        │ 2\n"))
    #expect(result.stdout.contains("⚠ Erratum (awsvpc-task-limit):"))
    #expect(result.stdout.contains("┌─ Implementation (json) "))
}

@Test func readAnUnknownTopicFailsWithSuggestions() throws {
    let result = try Sapro.run(["read", "host-mdoe"])
    #expect(result.status == 1)
    #expect(result.stderr.contains("error: unknown topic 'host-mdoe'; did you mean"))
    #expect(result.stderr.contains("host-mode"))
}

@Test func searchRanksTopicsByMatch() throws {
    let result = try Sapro.run(["search", "dynamic", "host", "port"])
    #expect(result.status == 0)
    #expect(
        result.stdout.hasPrefix(
            "1. bridge Mode (Default for Linux)  amazon-ecs-networking/network-modes/bridge-mode-default-for-linux"))
}

@Test func calcMaxPodsShowsTheWorkedComputation() throws {
    let result = try Sapro.run(["calc", "max-pods", "m5.large"])
    #expect(result.status == 0)
    #expect(result.stdout.hasPrefix("m5.large (secondary-ip), in a managed node group: 29 pods\n"))
    #expect(
        result.stdout.contains(
            "m5.large (secondary-ip), a self-managed node with the default bootstrap (eni-max-pods.txt): 29 pods\n"))
    #expect(result.stdout.contains("3 ENIs × (10 − 1) + 2 = 29"))
    let prefix = try Sapro.run(["calc", "max-pods", "m5.large", "--prefix-delegation"])
    #expect(prefix.stdout.hasPrefix("m5.large (prefix-delegation), in a managed node group: 110 pods\n"))
    let custom = try Sapro.run(["calc", "max-pods", "m5.large", "--custom-networking"])
    #expect(custom.stdout.hasPrefix("m5.large (custom-networking), in a managed node group: 20 pods\n"))
    // Where the cap binds, both values are shown and the step says why (EKS user guide: 110 below 30 vCPUs).
    let big = try Sapro.run(["calc", "max-pods", "m5.4xlarge"])
    #expect(big.stdout.hasPrefix("m5.4xlarge (secondary-ip), in a managed node group: 110 pods\n"))
    #expect(big.stdout.contains("min(234, 110) = 110. A self-managed node with the default bootstrap would get 234."))
    #expect(big.stdout.contains("a self-managed node with the default bootstrap (eni-max-pods.txt): 234 pods"))
}

@Test func calcECSTasksWithAndWithoutTrunking() throws {
    #expect(try Sapro.run(["calc", "ecs-tasks", "m5.large"]).stdout.hasPrefix("m5.large (awsvpc): 2 tasks\n"))
    #expect(
        try Sapro.run(["calc", "ecs-tasks", "m5.xlarge", "--trunking"]).stdout.hasPrefix(
            "m5.xlarge (awsvpc, trunking): 20 tasks\n"))
    let t3 = try Sapro.run(["calc", "ecs-tasks", "t3.large", "--trunking"])
    #expect(t3.status == 1)
    #expect(t3.stderr.contains("t3.large does not support ENI trunking"))
}

@Test func anUnknownInstanceTypeGetsTheClosestNames() throws {
    let result = try Sapro.run(["calc", "max-pods", "m5.lage"])
    #expect(result.status == 1)
    #expect(
        result.stderr == "error: unknown instance type 'm5.lage'; did you mean m5.large, m5.xlarge, m5d.large?\n"
            || result.stderr.hasPrefix("error: unknown instance type 'm5.lage'; did you mean m5.large"))
}

@Test func contentCheckPassesOnTheShippedContent() throws {
    let result = try Sapro.run(["content", "check"])
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    #expect(result.stdout.isEmpty)
}

@Test func contentCheckListsEveryProblemAsFileLineMessage() throws {
    let dir = Sapro.temporaryDirectory()
    try Data("# T\n\n| a | b |\n|---|---|\n| 1 |\n\n```json\n{\n".utf8).write(to: dir.appendingPathComponent("bad.md"))
    try Data("".utf8).write(to: dir.appendingPathComponent("empty.md"))
    try Data([0x23, 0x20, 0x41, 0x0A, 0xFF, 0x0A]).write(to: dir.appendingPathComponent("latin.md"))
    let result = try Sapro.run(["content", "check", dir.path])
    #expect(result.status == 1)
    let lines = result.stdout.split(separator: "\n").map(String.init)
    #expect(
        lines == [
            "\(dir.path)/bad.md:5: table row has 1 cell, the header has 2",
            "\(dir.path)/bad.md:7: code fence '```' is never closed; everything after it is read as code",
            "\(dir.path)/empty.md:1: the document is empty",
            "\(dir.path)/latin.md:2: not valid UTF-8 (byte 0xFF at offset 4); save the file as UTF-8",
        ])
}

@Test func userContentIsAddedWithTheContentOption() throws {
    let dir = Sapro.temporaryDirectory()
    try Data("# My Notes\n\n## Private Link\n\n- **Idea:** endpoints everywhere\n".utf8)
        .write(to: dir.appendingPathComponent("notes.md"))
    let result = try Sapro.run(["read", "private-link", "--content", dir.path])
    #expect(result.status == 0)
    #expect(result.stdout.contains("- Idea: endpoints everywhere"))
}
