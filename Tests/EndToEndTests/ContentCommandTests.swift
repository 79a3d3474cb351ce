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

/// The audit's worked examples through the calculators (AUDIT.md section 4: G1, G2, G3, G4, G5, G8).
@Test func calculatorsForTheAuditRulesPrintTheDocumentedNumbers() throws {
    let warm = try Sapro.run(["calc", "warm-pool", "m5.large", "--pods", "8", "--subnet", "10.0.0.0/22"])
    #expect(warm.status == 0, "\(warm.stderr)")
    #expect(
        warm.stdout.hasPrefix(
            "m5.large, 8 pods, WARM_ENI_TARGET=1 (the default): 20 addresses per node (2 ENIs, 18 secondaries)\n"))
    #expect(warm.stdout.contains("10.0.0.0/22: 1019 usable ÷ 20 = 50 nodes"))
    let targets = try Sapro.run([
        "calc", "warm-pool", "m5.large", "--pods", "8", "--warm-ip-target", "2", "--minimum-ip-target", "10", "--subnet",
        "10.0.0.0/22",
    ])
    #expect(targets.stdout.contains(": 12 addresses per node"))
    #expect(targets.stdout.contains("= 84 nodes"))
    let prefixes = try Sapro.run(["calc", "warm-pool", "t3.small", "--pods", "58", "--prefix-delegation"])
    #expect(prefixes.stdout.contains("82 addresses per node (2 ENIs, 5 prefixes)"))
    let group = try Sapro.run(["calc", "node-group", "m5.large", "m5.2xlarge"])
    #expect(group.stdout.hasPrefix("managed node group [m5.large, m5.2xlarge]: 29 pods on every node\n"))
    let both = try Sapro.run(["calc", "max-pods", "m5.large", "--custom-networking", "--prefix-delegation"])
    #expect(both.stdout.hasPrefix("m5.large (custom networking + prefix delegation), any node: 110 pods\n"))
    #expect(both.stdout.contains("= 290"))
    #expect(
        try Sapro.run(["calc", "sg-pods", "m5.xlarge", "--pods", "200"]).stdout.hasPrefix(
            "m5.xlarge, 200 pods with security groups: 12 nodes\n"))
    let sizing = try Sapro.run(["calc", "subnet-sizing", "--tasks", "300", "--azs", "3", "--alb", "--endpoints", "5"])
    #expect(sizing.stdout.hasPrefix("213 addresses per AZ: /24\n"))
    let cost = try Sapro.run(["calc", "egress-cost", "--endpoints", "2", "--azs", "3"])
    #expect(cost.stdout.hasPrefix("break-even: 1252 GB a month\n"))
    #expect(cost.stdout.contains("$43.80 a month"))
}

@Test func calculatorsRefuseImpossibleInputsWithTheReason() throws {
    let tooMany = try Sapro.run(["calc", "warm-pool", "m5.large", "--pods", "500"])
    #expect(tooMany.status == 1)
    #expect(tooMany.stderr.contains("do not fit on m5.large"))
    let range = try Sapro.run(["calc", "subnet-sizing", "--tasks", "10", "--maximum-percent", "300"])
    #expect(range.status != 0)
    #expect(range.stderr.contains("--maximum-percent must be from 100 to 200, not 300"))
    let mixed = try Sapro.run(["calc", "warm-pool", "m5.large", "--pods", "5", "--warm-prefix-target", "1"])
    #expect(mixed.stderr.contains("--warm-prefix-target needs --prefix-delegation"))
    let t3 = try Sapro.run(["calc", "sg-pods", "t3.large", "--pods", "5"])
    #expect(t3.status == 1)
    #expect(t3.stderr.contains("not trunk-compatible"))
}
