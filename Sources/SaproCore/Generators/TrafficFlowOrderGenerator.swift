/// `traffic-flow-order`: the hops of a real traffic flow, shuffled; the user puts them in order.
enum TrafficFlowOrderGenerator {
    static let id = "traffic-flow-order"

    /// A flow: its name, the question, hops in the right order, and topics.
    struct Flow {
        var id: String
        var question: String
        var hops: [String]
        var topics: [String]
        var note: String?
    }

    /// Centralised inspection through a Transit Gateway, VPC A → VPC B (FACTS.md, 8 hops).
    static let gwlbInspection = Flow(
        id: "gwlb-inspection",
        question:
            "Traffic from VPC A to VPC B is inspected centrally: both VPCs attach to a Transit Gateway, and an inspection VPC holds a Gateway Load Balancer with firewall appliances. Put the hops in order.",
        hops: [
            "VPC A's subnet route table sends the packet to VPC A's Transit Gateway attachment.",
            "The TGW route table associated with the spoke attachments sends it to the inspection VPC's attachment (appliance mode keeps both directions in one AZ).",
            "In the inspection VPC, the route table of the TGW attachment subnet sends it to the GWLB endpoint.",
            "The GWLB endpoint hands it to the Gateway Load Balancer over AWS PrivateLink.",
            "The Gateway Load Balancer sends it to one firewall appliance, encapsulated in GENEVE on UDP 6081; the appliance inspects it and returns it the same way.",
            "The Gateway Load Balancer returns it to the same GWLB endpoint.",
            "The route table of the GWLB endpoint's subnet sends it back to the Transit Gateway.",
            "The TGW route table associated with the inspection attachment sends it to VPC B's attachment, and on into VPC B.",
        ],
        topics: ["gateway-load-balancer-inspection-vpc-pattern"],
        note:
            "The study document's step \"GWLB sends traffic back to TGW\" is wrong: the GWLB returns traffic to its endpoint, and the endpoint subnet's route sends it to the Transit Gateway."
    )

    /// An internet client reaching an ECS awsvpc task in a private subnet through a public ALB.
    static let internetToTask = Flow(
        id: "internet-alb-task",
        question:
            "A user on the internet calls an ECS service whose awsvpc tasks run in private subnets behind an internet-facing ALB (target type ip). Put the hops of the request in order.",
        hops: [
            "The client's DNS lookup of the ALB's name returns the public addresses of the ALB's nodes.",
            "The request enters the VPC through the internet gateway, which translates the public address to the ALB node's private address.",
            "An ALB node in a public subnet accepts the connection; its security group allows 443 from the internet.",
            "The ALB's listener rules pick the target group and a healthy task's ENI address.",
            "The ALB opens a new connection from its own private address to the task's ENI in the private subnet.",
            "The task's security group admits the connection because its source is the ALB's security group.",
            "The container receives the request on its containerPort.",
        ],
        topics: [
            "amazon-ecs-networking/ecs-private-connectivity-patterns",
            "amazon-ecs-networking/network-modes/awsvpc-mode-recommended",
        ])

    /// An ECS task in a private subnet reading from S3 through a gateway endpoint.
    static let taskToS3 = Flow(
        id: "task-s3-gateway-endpoint",
        question:
            "An awsvpc ECS task in a private subnet (with a NAT gateway for other traffic) reads an object from S3; the subnet's route table has an S3 gateway endpoint. Put the hops in order.",
        hops: [
            "The SDK resolves the regional S3 name through the VPC's DNS resolver to public S3 addresses.",
            "The packet leaves the task's ENI; the task's security group allows the outbound HTTPS.",
            "The private subnet's route table matches the S3 prefix-list route (more specific than 0.0.0.0/0 to the NAT gateway) and sends it to the gateway endpoint.",
            "S3 authorises the request in one decision: the gateway endpoint's policy and the bucket policy (which may require this endpoint, aws:SourceVpce) must both allow it.",
            "S3 returns the object to the task's private address along the same path.",
        ],
        topics: ["amazon-ecs-networking/ecs-private-connectivity-patterns"])

    /// An EKS pod calling a public API: the VPC CNI's SNAT to the node's primary address (audit D4).
    static let podToInternet = Flow(
        id: "pod-internet-snat",
        question:
            "A pod on an EKS node in a private subnet (VPC CNI defaults, AWS_VPC_K8S_CNI_EXTERNALSNAT=false) calls a public HTTPS API. Put the hops of the request in order.",
        hops: [
            "The pod sends the packet from its own VPC address (a secondary address on one of the node's ENIs).",
            "Because the destination is outside the VPC's CIDRs, the node's iptables rules SNAT it to the node's primary private address.",
            "It leaves through the node's primary ENI; the node's security group allows the outbound HTTPS.",
            "The private subnet's route table sends 0.0.0.0/0 to the NAT gateway in a public subnet of the same AZ.",
            "The NAT gateway translates the source to its Elastic IP and sends it to the internet gateway.",
            "The internet gateway forwards it to the internet; the reply returns along the same path.",
        ],
        topics: ["amazon-eks-networking/vpc-cni-plugin", "operational-considerations/monitoring-container-networking"],
        note:
            "Flow logs on the node's ENI show the node's primary address, not the pod's, for this traffic: the document's \"VPC Flow Logs (at Pod IP level)\" holds only inside the VPC."
    )

    /// On-premises tools resolving a private EKS API endpoint through a Route 53 Resolver inbound endpoint.
    static let onPremToPrivateEndpoint = Flow(
        id: "onprem-private-eks-endpoint",
        question:
            "An engineer on premises (connected by Direct Connect) runs kubectl against an EKS cluster whose API endpoint is private only. Put the steps in order.",
        hops: [
            "kubectl resolves the cluster endpoint's name to the private addresses of the EKS-managed ENIs in the cluster's subnets.",
            "kubectl connects to one of those addresses over Direct Connect and the VPC's virtual private gateway or transit gateway.",
            "The cluster security group (or an added rule) admits TCP 443 from the on-premises range.",
            "The API server authenticates the IAM identity and Kubernetes RBAC authorises the request.",
        ],
        topics: ["amazon-eks-networking/internal-only-clusters"])

    /// A Fargate task in a private subnet without NAT pulling its image through VPC endpoints.
    static let fargateImagePull = Flow(
        id: "fargate-ecr-endpoints",
        question:
            "A Fargate task (platform 1.4) starts in a private subnet with no NAT gateway; its image is in Amazon ECR and it logs to CloudWatch Logs. Put the steps in order.",
        hops: [
            "Fargate gives the task its ENI in the private subnet, with the task's security group.",
            "Through the task ENI, Fargate gets an ECR authorization token from the ecr.api interface endpoint.",
            "It fetches the image manifest and the layers' locations from the ecr.dkr interface endpoint.",
            "It downloads the layers from Amazon S3 through the S3 gateway endpoint in the subnet's route table.",
            "The container starts and its awslogs driver sends logs through the logs interface endpoint.",
        ],
        topics: ["amazon-ecs-networking/ecs-private-connectivity-patterns"])

    static let flows = [gwlbInspection, internetToTask, taskToS3, podToInternet, onPremToPrivateEndpoint, fargateImagePull]

    /// Each flow's explanation (the hops numbered, then the note), built once: with few flows
    /// the quiz builder redraws this generator often.
    static let explanations: [[String]] = flows.map { flow in
        flow.hops.enumerated().map { "\($0.offset + 1). \($0.element)" } + (flow.note.map { [$0] } ?? [])
    }

    static let generator = Generator(
        id: id,
        summary:
            "Order the shuffled hops of a flow: GWLB inspection through a Transit Gateway, internet → ALB → task, task → S3 gateway endpoint, pod → internet with SNAT, on premises → private EKS endpoint, Fargate image pull through endpoints.",
        topics: Array(Set(flows.flatMap(\.topics))).sorted()
    ) { _, random throws(GeneratorError) in
        let flowIndex = random.next(upperBound: flows.count)  // as `random.pick(flows)` draws
        let flow = flows[flowIndex]
        // Shown order: a shuffle that is not already the answer.
        var shown = Array(flow.hops.indices)
        repeat { random.shuffle(&shown) } while shown == Array(flow.hops.indices)
        let items = shown.map { flow.hops[$0] }
        // order[k] = position in `items` of the k-th hop.
        let order = flow.hops.indices.map { hop in shown.firstIndex(of: hop)! }
        return Generated(
            prompt: flow.question,
            body: .ordering(items: items, order: order),
            explanation: explanations[flowIndex],
            topics: flow.topics,
            params: ["flow": .string(flow.id)],
            erratum: flow.note)
    }
}
