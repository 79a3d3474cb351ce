/// `tgw-appliance-path`: which inspection-VPC AZ sees each direction of a flow through a
/// Transit Gateway, with and without appliance mode (audit G7).
enum ApplianceModePathGenerator {
    static let id = "tgw-appliance-path"
    static let topic = "gateway-load-balancer-inspection-vpc-pattern"
    static let source =
        "Source: AWS Transit Gateway guide, appliance in a shared services VPC (appliance mode keeps both directions of a flow on one appliance attachment)."

    static let regions = [
        ("us-east-1", "use1"), ("eu-west-1", "euw1"), ("ap-southeast-2", "apse2"), ("us-west-2", "usw2"),
        ("eu-central-1", "euc1"), ("ap-northeast-1", "apne1"), ("ca-central-1", "cac1"), ("sa-east-1", "sae1"),
    ]

    static let generator = Generator(
        id: id,
        summary:
            "TGW appliance mode: which inspection AZ sees the SYN and the SYN-ACK, and whether a stateful firewall keeps the flow.",
        topics: [topic]
    ) { _, random throws(GeneratorError) in
        let (region, short) = random.pick(regions)
        let azCount = random.next(in: 2...3)
        let sourceAZ = random.next(in: 1...azCount)
        let sameAZ = random.next(upperBound: 4) == 0
        var destinationAZ = sourceAZ
        if !sameAZ { destinationAZ = random.pick((1...azCount).filter { $0 != sourceAZ }) }
        let applianceMode = random.nextBool()
        let names = random.shuffled(["web", "orders", "billing", "analytics", "identity", "catalog", "payments", "reporting"])
        let (a, b) = (names[0], names[1])
        let port = random.pick([443, 5432, 3306, 8443, 6379, 9092])
        let az = { (n: Int) in "\(short)-az\(n)" }
        let firewalls = (1...azCount).map { "fw-\(az($0))" }.joined(separator: ", ")
        let prompt = """
            In \(region), the \(a) VPC and the \(b) VPC are attached to a Transit Gateway whose route tables send all \
            VPC-to-VPC traffic through an inspection VPC. The inspection VPC has a TGW attachment and one stateful firewall \
            per AZ (\(firewalls)) behind a Gateway Load Balancer, with cross-zone load balancing off. \
            Appliance mode is \(applianceMode ? "enabled" : "not enabled") on the inspection VPC attachment. \
            A client in \(a), in \(az(sourceAZ)), opens TCP \(port) to a server in \(b), in \(az(destinationAZ)). \
            What happens to the connection?
            """
        let symmetric = applianceMode || sameAZ
        let works = Choice(
            text: symmetric
                ? "One firewall sees both the SYN and the SYN-ACK, so the connection is inspected and succeeds."
                : "Both directions pass through fw-\(az(sourceAZ)), so the connection is inspected and succeeds.",
            explanation: symmetric
                ? "Right: \(applianceMode ? "appliance mode picks one inspection attachment ENI per flow for both directions" : "both ends are in \(az(sourceAZ)), so both directions stay there")."
                : "Without appliance mode the TGW keeps each direction in the AZ it entered from; the reply enters from \(az(destinationAZ)).",
            misconception: symmetric
                ? nil
                : Misconception(
                    id: "tgw-symmetric-by-default",
                    summary:
                        "Without appliance mode a Transit Gateway keeps each direction in the AZ of the attachment it entered through, so a cross-AZ flow is asymmetric."
                ))
        let dropped = Choice(
            text:
                "fw-\(az(sourceAZ)) sees the SYN and fw-\(az(destinationAZ)) sees the SYN-ACK, so the stateful firewall drops the reply.",
            explanation: symmetric
                ? (applianceMode
                    ? "Appliance mode keeps both directions on one attachment ENI, so one firewall sees both."
                    : "Both ends are in the same AZ, so both directions use the same firewall.")
                : "Right: without appliance mode the SYN is inspected in \(az(sourceAZ)) and the reply in \(az(destinationAZ)); a firewall that never saw the SYN drops the SYN-ACK.",
            misconception: symmetric
                ? Misconception(
                    id: "appliance-mode-asymmetric",
                    summary: "Appliance mode (or a same-AZ flow) keeps both directions on one appliance.") : nil)
        let crossZone = Choice(
            text: "The GWLB sends each packet to a random firewall in any AZ, so some packets of every connection are dropped.",
            explanation:
                "With cross-zone load balancing off, a GWLB endpoint's traffic goes to appliances in its own AZ, and the GWLB keeps a flow on one target (5-tuple stickiness).",
            misconception: Misconception(
                id: "gwlb-per-packet", summary: "A GWLB keeps each flow on one healthy target; it does not spray packets."))
        let blackhole = Choice(
            text: "The TGW drops the traffic: a Transit Gateway cannot route between two AZs.",
            explanation:
                "A Transit Gateway routes between attachments in any AZ; the question is only which AZ's appliance each direction uses.",
            misconception: Misconception(id: "tgw-single-az", summary: "A Transit Gateway routes across AZs."))
        let correct = symmetric ? works : dropped
        let body = ScenarioChoice.body(
            correct: correct, distractors: [symmetric ? dropped : works, crossZone, blackhole], &random)
        var explanation = [
            "Without appliance mode the TGW sends traffic to the inspection VPC attachment's ENI in the same AZ as the attachment the traffic came from."
        ]
        if !applianceMode {
            explanation.append(
                "SYN: from \(a) in \(az(sourceAZ)) → inspection attachment in \(az(sourceAZ)) → fw-\(az(sourceAZ)).")
        }
        if applianceMode {
            explanation.append(
                "With appliance mode the TGW picks one inspection attachment ENI for the flow (a hash of its addresses and ports) and uses it for both directions, so the SYN-ACK returns through the same firewall."
            )
        } else if sameAZ {
            explanation.append(
                "SYN-ACK: from \(b) in \(az(destinationAZ)), the same AZ, so the same firewall sees it and the flow works, until an endpoint moves to another AZ."
            )
        } else {
            explanation.append(
                "SYN-ACK: from \(b) in \(az(destinationAZ)) → inspection attachment in \(az(destinationAZ)) → fw-\(az(destinationAZ)), which has no state for the flow and drops it. Enabling appliance mode on the inspection VPC attachment fixes it."
            )
        }
        explanation.append(source)
        return Generated(
            prompt: prompt, body: body, explanation: explanation, topics: [topic],
            params: [
                "applianceMode": .bool(applianceMode), "sameAZ": .bool(sameAZ), "region": .string(region),
                "variant": .string(applianceMode ? "appliance-mode" : sameAZ ? "same-az" : "cross-az"),
            ])
    }
}

/// `egress-cost`: NAT gateways against interface endpoints for a private cluster's AWS API
/// traffic, with example list prices given in the question (audit G8).
enum EgressCostGenerator {
    static let id = "egress-cost"
    static let topic = "amazon-ecs-networking/ecs-private-connectivity-patterns"
    static let source =
        "Sources: Amazon VPC pricing (NAT gateway hourly and per-GB charges); AWS PrivateLink pricing (interface endpoint per AZ-hour and per GB); Amazon ECR, VPC endpoints (image layers come from Amazon S3, through the free S3 gateway endpoint)."

    static let services = ["ecr.api", "ecr.dkr", "logs", "sts", "secretsmanager", "ssm", "kms", "sqs", "monitoring", "eks-auth"]

    static let generator = Generator(
        id: id,
        summary: "NAT gateway vs interface endpoints: break-even volume and the cheaper design, with example list prices.",
        topics: [topic]
    ) { _, random throws(GeneratorError) in
        let prices = EgressPrices(
            natHourMills: random.pick([45, 45, 48, 52]), natGBMills: random.pick([45, 45, 48, 52]),
            endpointHourMills: random.pick([10, 10, 11, 13]), endpointGBMills: random.pick([10, 10, 4]))
        let azs = random.next(in: 2...3)
        let endpoints = Array(random.shuffled(services).prefix(random.next(in: 2...6))).sorted()
        let breakEven = try rule { () throws(FactsError) in
            try EgressCostRules.breakEvenGB(endpoints: endpoints.count, azs: azs, prices: prices)
        }
        let d = EgressCostRules.dollars
        let priceParams: [String: JSONValue] = [
            "natGBMills": .int(prices.natGBMills), "endpointHourMills": .int(prices.endpointHourMills),
            "endpointGBMills": .int(prices.endpointGBMills), "natHourMills": .int(prices.natHourMills),
        ]
        let priceText =
            "Use these example list prices (not current prices): NAT gateway \(d(prices.natHourMills)) per hour and \(d(prices.natGBMills)) per GB processed; "
            + "interface endpoint \(d(prices.endpointHourMills)) per hour per AZ and \(d(prices.endpointGBMills)) per GB; 730 hours a month."
        let setting = """
            A private EKS cluster spans \(Plural.count(azs, "AZ")), with one NAT gateway per AZ that stays for other internet egress. \
            The team considers interface endpoints for \(endpoints.joined(separator: ", ")) in every AZ, to take that AWS API traffic off the NAT gateways. \
            Image layers already go through the S3 gateway endpoint. \(priceText)
            """
        let fixed = endpoints.count * azs * EgressCostRules.hoursPerMonth * prices.endpointHourMills
        let saving = prices.natGBMills - prices.endpointGBMills
        if random.nextBool() {
            let distractors: [NumericDistractor] = [
                .init(
                    value: (endpoints.count * EgressCostRules.hoursPerMonth * prices.endpointHourMills).divCeil(saving),
                    misconception: perAZIgnored, working: "counted each endpoint once instead of once per AZ"),
                .init(
                    value: fixed.divCeil(prices.natGBMills), misconception: endpointDataIgnored,
                    working: "\(d(fixed)) ÷ \(d(prices.natGBMills)), ignoring the endpoints' own per-GB charge"),
                .init(
                    value: (fixed - azs * EgressCostRules.hoursPerMonth * prices.natHourMills).divCeil(saving),
                    misconception: natRemoved, working: "subtracted the NAT gateways' hourly cost, though they stay"),
            ]
            let body = NumericRendering.render(answer: breakEven.value, unit: "GB", distractors: distractors, random: &random)
            return Generated(
                prompt: setting
                    + " Above what monthly volume of that traffic do the endpoints cost less than sending it through the NAT gateways?",
                body: body, explanation: ["Rule: \(breakEven.formula)."] + breakEven.steps + [source], topics: [topic],
                params: priceParams.merging([
                    "azs": .int(azs), "endpoints": .int(endpoints.count), "variant": .string("break-even"),
                ]) { a, _ in a },
                value: breakEven.value)
        }
        let gb = random.pick([200, 500, 800, 1_500, 3_000, 6_000, 12_000, 25_000])
        let natCost = gb * prices.natGBMills
        let endpointCost = fixed + gb * prices.endpointGBMills
        let endpointsCheaper = endpointCost < natCost
        let keep = Choice(
            text:
                "Keep the traffic on the NAT gateways: \(d(natCost)) a month of processing against \(d(endpointCost)) for the endpoints.",
            explanation: endpointsCheaper
                ? "At \(gb) GB the endpoints cost \(d(endpointCost)), less than \(d(natCost)); the volume is above the \(breakEven.value) GB break-even."
                : "Right: at \(gb) GB, below the \(breakEven.value) GB break-even, the endpoints' hourly charge outweighs the per-GB saving.",
            misconception: endpointsCheaper
                ? Misconception(
                    id: "endpoints-always-dearer",
                    summary: "Above the break-even volume interface endpoints cost less than NAT processing.") : nil)
        let add = Choice(
            text: "Add the interface endpoints: \(d(endpointCost)) a month against \(d(natCost)) of NAT processing.",
            explanation: endpointsCheaper
                ? "Right: at \(gb) GB, above the \(breakEven.value) GB break-even, the per-GB saving outweighs the endpoints' hourly charge."
                : "At \(gb) GB the endpoints cost \(d(endpointCost)), more than \(d(natCost)) through the NAT gateways.",
            misconception: endpointsCheaper
                ? nil
                : Misconception(
                    id: "endpoints-always-cheaper",
                    summary:
                        "Interface endpoints carry an hourly charge per AZ; below the break-even volume NAT processing is cheaper."
                ))
        let removeNAT = Choice(
            text: "Add the endpoints and delete the NAT gateways to save their hourly charge as well.",
            explanation: "The NAT gateways still carry the cluster's other internet egress, so they cannot go.",
            misconception: natRemoved)
        let s3 = Choice(
            text: "Add an S3 interface endpoint for the image layers; the gateway endpoint does not carry ECR traffic.",
            explanation: "ECR serves layers from Amazon S3, and the S3 gateway endpoint carries them at no charge.",
            misconception: Misconception(
                id: "ecr-layers-need-interface-endpoint",
                summary: "ECR image layers come from S3 and the free S3 gateway endpoint serves them."))
        let body = ScenarioChoice.body(
            correct: endpointsCheaper ? add : keep, distractors: [endpointsCheaper ? keep : add, removeNAT, s3], &random)
        return Generated(
            prompt: setting
                + " The cluster sends \(gb) GB a month to these services. Which is the MOST cost-effective choice for that traffic?",
            body: body,
            explanation: [
                "Through the NAT gateways the traffic costs only its processing: \(gb) GB × \(d(prices.natGBMills)) = \(d(natCost)) (the gateways' hourly charge is paid either way).",
                "Through endpoints: \(endpoints.count) × \(azs) AZs × 730 h × \(d(prices.endpointHourMills)) = \(d(fixed)), plus \(gb) GB × \(d(prices.endpointGBMills)) = \(d(gb * prices.endpointGBMills)): \(d(endpointCost)).",
            ] + breakEven.steps.suffix(1) + [source],
            topics: [topic],
            params: priceParams.merging([
                "azs": .int(azs), "endpoints": .int(endpoints.count), "gb": .int(gb), "variant": .string("cheaper"),
            ]) {
                a, _ in a
            })
    }

    static let perAZIgnored = Misconception(
        id: "endpoint-per-az-ignored",
        summary: "An interface endpoint is billed per AZ it is deployed in: one endpoint in 3 AZs is 3 endpoint-hours an hour.")
    static let endpointDataIgnored = Misconception(
        id: "endpoint-data-free",
        summary: "Interface endpoints also charge per GB processed; the saving per GB is the difference of the two rates.")
    static let natRemoved = Misconception(
        id: "nat-gateway-removed",
        summary: "The NAT gateways stay for other egress, so their hourly charge is not saved.")
}
