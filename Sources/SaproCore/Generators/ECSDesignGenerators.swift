/// `awsvpc-subnet-sizing`: the smallest subnet per AZ for an awsvpc service at its deployment
/// peak, with the ALB's free addresses and interface endpoint ENIs (audit G5).
enum AwsvpcSubnetSizingGenerator {
    static let id = "awsvpc-subnet-sizing"
    static let topic = ECSAwsvpcTasksGenerator.awsvpc
    static let source =
        "Sources: Amazon ECS developer guide, deployment configuration (maximumPercent) and task networking for Fargate (one ENI per task); Elastic Load Balancing, ALB subnets (at least 8 free addresses); Amazon VPC, 5 reserved addresses per subnet."

    static let generator = Generator(
        id: id,
        summary: "Smallest subnet per AZ for an awsvpc/Fargate service at deployment peak, with ALB and endpoint ENIs.",
        topics: [topic]
    ) { _, random throws(GeneratorError) in
        let desired = random.next(in: 8...90) * 5
        let maximumPercent = random.pick([100, 150, 200, 200])
        let azs = random.next(in: 2...3)
        let alb = random.next(upperBound: 4) != 0
        let endpoints = random.pick([0, 0, 2, 3, 4, 5, 6, 7])
        let need = try rule { () throws(FactsError) in
            try ECSSizing.addressesPerAZ(
                desired: desired, maximumPercent: maximumPercent, azs: azs, alb: alb, endpoints: endpoints)
        }
        let subnet = try rule { () throws(FactsError) in try VPCRules.smallestSubnet(holding: need.value) }
        func prefix(for needed: Int) -> Int { (try? VPCRules.smallestSubnet(holding: needed).value) ?? 16 }
        let steady = desired.divCeil(azs) + (alb ? ECSSizing.albFreeAddresses : 0) + endpoints
        let tasksOnly = (desired * maximumPercent).divCeil(100).divCeil(azs)
        var distractors: [NumericDistractor] = [
            .init(
                value: prefix(for: steady), misconception: ignoredDeploymentPeak,
                working: "sized for \(steady) addresses, the desired count without the deployment's extra tasks"),
            .init(
                value: VPCRules.allowedPrefixLengths.reversed().first { (1 << (32 - $0)) >= need.value } ?? 16,
                misconception: Misconceptions.forgotReserved,
                working: "sized for \(need.value) addresses without the 5 AWS reserves"),
        ]
        if alb || endpoints > 0 {
            distractors.append(
                .init(
                    value: prefix(for: tasksOnly), misconception: forgotOtherENIs,
                    working: "sized for the \(tasksOnly) tasks only, without the ALB's free addresses and endpoint ENIs"))
        }
        distractors.append(
            .init(
                value: prefix(for: (desired * maximumPercent).divCeil(100) + (alb ? 8 : 0) + endpoints),
                misconception: notPerAZ, working: "sized for all tasks in one subnet instead of per AZ"))
        distractors.append(
            .init(value: subnet.value - 1, misconception: oversized, working: "large enough, but not the smallest that fits"))
        if subnet.value < 28 {
            distractors.append(
                .init(
                    value: subnet.value + 1, misconception: halfSize,
                    working:
                        "/\(subnet.value + 1) holds only \((1 << (31 - subnet.value)) - 5) usable addresses, fewer than \(need.value)"
                ))
        }
        let text = { (n: Int) in "/\(n) (\((1 << (32 - n)) - 5) usable)" }
        let body =
            ScenarioChoice.ordered(answer: subnet.value, text: text, distractors: distractors, &random)
            ?? .numeric(answer: subnet.value, unit: nil)
        let launch = random.pick(["AWS Fargate", "AWS Fargate", "EC2 container instances with ENI trunking in another subnet"])
        let service = random.pick([
            "checkout", "search", "orders", "media-transcode", "notifications", "pricing", "inventory", "recommendations",
            "fraud-scoring", "shipping", "loyalty", "invoicing",
        ])
        var prompt = """
            The \(service) service on Amazon ECS runs \(desired) tasks in awsvpc mode on \(launch), spread evenly over \(Plural.count(azs, "Availability Zone")) \
            with one new private subnet per AZ for the tasks. Rolling deployments use maximumPercent \(maximumPercent) and minimumHealthyPercent 100.
            """
        if alb { prompt += " An internet-facing Application Load Balancer also places its nodes in these subnets." }
        if endpoints > 0 {
            prompt +=
                " \(Plural.count(endpoints, "interface VPC endpoint")) (ECR, CloudWatch Logs and others) put their ENIs in them too."
        }
        prompt += " What is the smallest subnet size per AZ that never runs out of addresses?"
        return Generated(
            prompt: prompt, body: body,
            explanation: ["Rule: \(need.formula)."] + need.steps + subnet.steps + [source],
            topics: [topic],
            params: [
                "desired": .int(desired), "maximumPercent": .int(maximumPercent), "azs": .int(azs),
                "alb": .bool(alb), "endpoints": .int(endpoints),
            ],
            value: subnet.value)
    }

    static let ignoredDeploymentPeak = Misconception(
        id: "ignored-deployment-peak",
        summary:
            "During a rolling deployment ECS starts new tasks before stopping old ones, up to maximumPercent of the desired count; each needs an address."
    )
    static let forgotOtherENIs = Misconception(
        id: "forgot-load-balancer-and-endpoint-enis",
        summary:
            "An ALB needs at least 8 free addresses in each of its subnets, and every interface endpoint puts an ENI in each AZ's subnet."
    )
    static let notPerAZ = Misconception(
        id: "subnet-not-per-az",
        summary: "A subnet lives in one AZ; tasks spread over the AZs need only their share in each AZ's subnet.")
    static let halfSize = Misconception(
        id: "subnet-one-bit-small",
        summary:
            "Each bit of prefix length halves a subnet: one size smaller holds about half the addresses, less the 5 reserved.")
    static let oversized = Misconception(
        id: "not-the-smallest-subnet",
        summary: "A larger subnet works but wastes VPC address space; the question asks for the smallest that fits.")
}

/// `trunking-eligibility`: why container instances still run only ENIs − 1 awsvpc tasks after
/// the awsvpcTrunking opt-in, and the change that fixes it (audit G6).
enum TrunkingEligibilityGenerator {
    static let id = "trunking-eligibility"
    static let topic = ECSAwsvpcTasksGenerator.awsvpc
    static let source =
        "Source: Amazon ECS developer guide, increasing Linux container instance network interfaces (ENI trunking considerations and supported instance types)."

    /// One condition of ENI trunking, with how the stem states it as met and as broken.
    struct Condition {
        var id: String
        var met: String
        var broken: String
        var fix: String
        var whyNot: String
    }

    static let conditions: [Condition] = [
        Condition(
            id: "windows", met: "The instances run the Amazon ECS-optimized Amazon Linux 2023 AMI.",
            broken: "The instances run the Amazon ECS-optimized Windows Server 2022 AMI.",
            fix:
                "Move the service to Linux container instances (the ECS-optimized Amazon Linux AMI); ENI trunking is not available on Windows.",
            whyNot: "The instances already run Linux, which trunking requires."),
        Condition(
            id: "launched-before-opt-in",
            met: "The Auto Scaling group replaced every instance after the setting was turned on.",
            broken: "The instances were launched a month before the setting was turned on and have not been replaced.",
            fix:
                "Replace the container instances (for example an instance refresh); only instances launched after the opt-in get a trunk ENI.",
            whyNot: "The instances were launched after the opt-in, which is what trunking needs."),
        Condition(
            id: "shared-subnet", met: "The instances run in subnets the account owns.",
            broken: "The instances run in subnets shared with the account through AWS RAM by the network account.",
            fix: "Run the container instances in subnets the account owns; ENI trunking does not work in shared subnets.",
            whyNot: "The subnets are owned by the account, so sharing is not the problem."),
        Condition(
            id: "principal-setting",
            met: "awsvpcTrunking was turned on as the account default setting.",
            broken: "An administrator turned on awsvpcTrunking for their own IAM user only.",
            fix:
                "Turn awsvpcTrunking on for the container instance IAM role, or as the account default (put-account-setting-default).",
            whyNot: "The setting is the account default, so it covers the instance role."),
        Condition(
            id: "resource-name-dns", met: "The subnets use IP-based hostnames (resource-based DNS names off).",
            broken: "The subnets launch instances with resource-based IPv4 (A record) DNS names enabled.",
            fix: "Turn off resource-based IPv4 DNS names on the subnets (use IP name hostnames) and replace the instances.",
            whyNot: "Resource-based DNS names are already off, as trunking requires."),
    ]

    static let generator = Generator(
        id: id,
        summary: "ECS ENI trunking eligibility: which condition keeps instances at ENIs − 1 tasks, and the fix.",
        topics: [topic]
    ) { catalog, random throws(GeneratorError) in
        let pool = InstancePools.trunking(catalog)
        let burstable = catalog.nitroSingleCard.filter { $0.isBurstable && $0.maxENIs >= 2 }
        guard !pool.isEmpty else {
            throw .noEligibleInstanceTypes(generator: id, requirement: "types with an ECS trunking limit")
        }
        // One case in six is the instance type itself.
        let typeIsTheCause = random.next(upperBound: 6) == 0 && !burstable.isEmpty
        let type = typeIsTheCause ? random.pick(burstable) : random.pick(pool)
        let broken = typeIsTheCause ? nil : random.pick(conditions)
        let without = type.allCardENIs - 1
        let shown = random.shuffled(conditions).prefix(4)
        var facts: [String] = []
        for condition in conditions where shown.contains(where: { $0.id == condition.id }) || condition.id == broken?.id {
            facts.append(condition.id == broken?.id ? condition.broken : condition.met)
        }
        let typeOption = Choice(
            text:
                "Move to a supported instance type such as a current m or c family; \(type.family) instances do not support ENI trunking.",
            explanation: typeIsTheCause
                ? "Right: the ECS guide excludes the t families from ENI trunking."
                : "\(type.name) supports trunking (\(Plural.count(type.ecsTrunkTasks ?? 0, "task")) per instance).",
            misconception: typeIsTheCause
                ? nil : Misconception(id: "trunking-type-\(type.family)", summary: "\(type.family) supports ENI trunking."))
        let correct: Choice
        var distractors: [Choice] = []
        if let broken {
            correct = Choice(text: broken.fix, explanation: "Right: \(broken.broken.lowercasedFirst()) ENI trunking needs this.")
            distractors.append(typeOption)
        } else {
            correct = typeOption
        }
        for condition in conditions where condition.id != broken?.id && facts.contains(condition.met) {
            distractors.append(
                Choice(
                    text: condition.fix, explanation: condition.whyNot,
                    misconception: Misconception(id: "trunking-\(condition.id)", summary: condition.whyNot)))
        }
        distractors.append(
            Choice(
                text: "Switch the tasks to bridge network mode, since awsvpc mode never runs more tasks than ENIs − 1.",
                explanation:
                    "With trunking, awsvpc runs many more tasks per instance; bridge mode gives up per-task ENIs and security groups.",
                misconception: Misconception(
                    id: "awsvpc-never-dense", summary: "With ENI trunking awsvpc runs 10–120 tasks per instance.")))
        let body = ScenarioChoice.body(correct: correct, distractors: distractors, &random)
        let team = random.pick([
            "A platform team", "A payments team", "A media company", "A retail team", "A SaaS provider", "A data team",
        ])
        let prompt = """
            \(team) opted in to the awsvpcTrunking account setting so that its ECS cluster of \(type.name) container instances \
            could run more awsvpc tasks per instance. \(facts.joined(separator: " ")) Yet each instance still runs at most \
            \(Plural.count(without, "task")) (ENIs − 1) and registers no trunk ENI. Which change lets the instances use ENI trunking?
            """
        let limit = type.ecsTrunkTasks.map { "With trunking \(type.name) would run up to \(Plural.count($0, "task"))." } ?? ""
        return Generated(
            prompt: prompt, body: body,
            explanation: [
                "ENI trunking needs all of: a supported instance type (no t family), Linux, an instance launched after the opt-in, the setting on for the instance's IAM principal (or the account default), a subnet the account owns, and no resource-based IPv4 DNS names.",
                (broken.map { "Here the broken condition is: \($0.broken.lowercasedFirst())" }
                    ?? "Here the instance type is the cause: the t families do not support trunking.")
                    + " " + limit,
                source,
            ],
            topics: [topic],
            params: ["instanceType": .string(type.name), "variant": .string(broken?.id ?? "instance-type")], value: nil)
    }
}

extension String {
    /// The string with its first letter lowercased ("The instances…" → "the instances…").
    func lowercasedFirst() -> String {
        guard let first else { return self }
        return first.lowercased() + dropFirst()
    }
}
