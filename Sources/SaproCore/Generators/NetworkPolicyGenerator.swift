/// `network-policy`: a Kubernetes NetworkPolicy, namespaces with their labels, a source pod and
/// a port: is the connection allowed?
enum NetworkPolicyGenerator {
    static let id = "network-policy"
    static let security = "amazon-eks-networking/eks-security-boundaries"
    static let metadataName = "kubernetes.io/metadata.name"

    static let generator = Generator(
        id: id,
        summary: "Is a pod-to-pod connection allowed under a NetworkPolicy (selectors, policyTypes, ports, namespace labels)?",
        topics: [security]
    ) { _, random throws(GeneratorError) in
        make(&random)
    }

    /// One `from` entry; both selectors in one entry must match (AND).
    struct Peer: Hashable {
        var namespaceSelector: [String: String]?
        var podSelector: [String: String]?
    }

    struct IngressRule: Hashable {
        /// Empty: any source.
        var from: [Peer]
        /// Empty: any port.
        var ports: [Int]
    }

    struct Policy: Hashable {
        var name: String
        var namespace: String
        /// Empty: every pod in the namespace.
        var podSelector: [String: String]
        var policyTypes: [String]
        var ingress: [IngressRule]
        /// Egress peers' namespace names, only used to render an egress-only policy.
        var egressToNamespace: String?
    }

    struct Pod: Hashable {
        var namespace: String
        var labels: [String: String]
    }

    /// Why a connection is allowed or denied.
    enum Verdict: Hashable {
        case allowedUnselected
        case allowedNoIngressType
        case allowedByRule(Int)
        case denied

        var allowed: Bool { self != .denied }
    }

    static func matches(_ selector: [String: String], _ labels: [String: String]) -> Bool {
        selector.allSatisfy { labels[$0.key] == $0.value }
    }

    /// Kubernetes semantics for one policy in the destination's namespace: pods it does not
    /// select, or directions not in policyTypes, stay allow-all.
    static func evaluate(
        policy: Policy, namespaceLabels: [String: [String: String]], source: Pod, destination: Pod, port: Int
    ) -> Verdict {
        guard destination.namespace == policy.namespace, matches(policy.podSelector, destination.labels) else {
            return .allowedUnselected
        }
        guard policy.policyTypes.contains("Ingress") else { return .allowedNoIngressType }
        for (index, rule) in policy.ingress.enumerated() {
            guard rule.ports.isEmpty || rule.ports.contains(port) else { continue }
            let peerMatches =
                rule.from.isEmpty
                || rule.from.contains { peer in
                    let namespaceOK: Bool
                    if let selector = peer.namespaceSelector {
                        namespaceOK = matches(selector, namespaceLabels[source.namespace] ?? [:])
                    } else {
                        // A podSelector alone means pods in the policy's own namespace.
                        namespaceOK = source.namespace == policy.namespace
                    }
                    return namespaceOK && (peer.podSelector.map { matches($0, source.labels) } ?? true)
                }
            if peerMatches { return .allowedByRule(index) }
        }
        return .denied
    }

    static func yaml(_ policy: Policy) -> String {
        func labels(_ map: [String: String], indent: String) -> String {
            map.isEmpty ? " {}" : "\n" + map.keys.sorted().map { "\(indent)\($0): \(map[$0]!)" }.joined(separator: "\n")
        }
        var lines =
            [
                "apiVersion: networking.k8s.io/v1",
                "kind: NetworkPolicy",
                "metadata:",
                "  name: \(policy.name)",
                "  namespace: \(policy.namespace)",
                "spec:",
                "  podSelector:"
                    + (policy.podSelector.isEmpty ? " {}" : "\n    matchLabels:" + labels(policy.podSelector, indent: "      ")),
                "  policyTypes:",
            ] + policy.policyTypes.map { "    - \($0)" }
        if policy.policyTypes.contains("Ingress") {
            lines.append("  ingress:")
            for rule in policy.ingress {
                var first = true
                func item(_ text: String) {
                    lines.append((first ? "    - " : "      ") + text)
                    first = false
                }
                if !rule.from.isEmpty {
                    item("from:")
                    for peer in rule.from {
                        var peerFirst = true
                        if let selector = peer.namespaceSelector {
                            lines.append(
                                "        - namespaceSelector:\n            matchLabels:"
                                    + labels(selector, indent: "              "))
                            peerFirst = false
                        }
                        if let selector = peer.podSelector {
                            lines.append(
                                (peerFirst ? "        - " : "          ") + "podSelector:\n            matchLabels:"
                                    + labels(selector, indent: "              "))
                        }
                    }
                }
                if !rule.ports.isEmpty {
                    item("ports:")
                    for port in rule.ports { lines.append("        - protocol: TCP\n          port: \(port)") }
                }
            }
        }
        if let target = policy.egressToNamespace {
            lines += [
                "  egress:",
                "    - to:",
                "        - namespaceSelector:",
                "            matchLabels:",
                "              \(metadataName): \(target)",
            ]
        }
        return lines.joined(separator: "\n")
    }

    /// Everything a question depends on, drawn from the seed. There are only a few hundred
    /// scenarios, so each is built once and the question reused (`built`).
    struct Scenario: Hashable, Sendable {
        var nameLabelAdded: Bool
        var selectorKey: String
        var andPodSelector: Bool
        var egressOnly: Bool
        var policyPort: Int
        var sourceNamespace: String
        var sourceApp: String
        var destinationApp: String
        var port: Int

        /// Draws in the order the generator has always drawn, so seeds keep their questions.
        init(_ random: inout SeededGenerator) {
            nameLabelAdded = random.nextBool()
            selectorKey = random.nextBool() ? "name" : metadataName
            andPodSelector = random.next(upperBound: 3) == 0
            egressOnly = random.next(upperBound: 6) == 0
            policyPort = random.pick([8080, 9090])
            sourceNamespace = random.pick(["frontend", "frontend", "production", "monitoring"])
            sourceApp = random.pick(["web", "web", "batch"])
            destinationApp = random.next(upperBound: 5) == 0 ? "worker" : "api"
            port = random.next(upperBound: 4) == 0 ? (policyPort == 8080 ? 9090 : 8080) : policyPort
        }
    }

    /// Questions already built, by scenario: building one (YAML, labels, explanation) costs far
    /// more than the lookup.
    static let built = Memo<Scenario, Generated>()

    static func make(_ random: inout SeededGenerator) -> Generated {
        let scenario = Scenario(&random)
        return built.value(for: scenario) { build(scenario) }
    }

    /// The question for one scenario; a pure function of it.
    static func build(_ scenario: Scenario) -> Generated {
        let namespaces = ["production", "frontend", "monitoring"]
        let nameLabelAdded = scenario.nameLabelAdded
        var namespaceLabels: [String: [String: String]] = [:]
        for namespace in namespaces { namespaceLabels[namespace] = [metadataName: namespace] }
        if nameLabelAdded { namespaceLabels["frontend"]!["name"] = "frontend" }
        let selectorKey = scenario.selectorKey
        let andPodSelector = scenario.andPodSelector
        let egressOnly = scenario.egressOnly
        let policyPort = scenario.policyPort
        let policy = Policy(
            name: "api-policy", namespace: "production", podSelector: ["app": "api"],
            policyTypes: egressOnly ? ["Egress"] : ["Ingress"],
            ingress: egressOnly
                ? []
                : [
                    IngressRule(
                        from: [
                            Peer(namespaceSelector: [selectorKey: "frontend"], podSelector: andPodSelector ? ["app": "web"] : nil)
                        ],
                        ports: [policyPort])
                ],
            egressToNamespace: egressOnly ? "monitoring" : nil)
        let source = Pod(namespace: scenario.sourceNamespace, labels: ["app": scenario.sourceApp])
        let destination = Pod(namespace: "production", labels: ["app": scenario.destinationApp])
        let port = scenario.port
        let verdict = evaluate(
            policy: policy, namespaceLabels: namespaceLabels, source: source, destination: destination, port: port)

        // Which belief would flip the verdict: that belief is the misconception behind the wrong option.
        var trap: Misconception?
        var explanation: [String] = []
        switch verdict {
        case .allowedUnselected:
            explanation.append(
                "The policy's podSelector app=api does not select the destination pod (app=\(destination.labels["app"]!)), and no other policy does, so Kubernetes' default allow-all applies."
            )
            trap = Misconception(
                id: "policy-scope",
                summary: "A NetworkPolicy restricts only the pods its podSelector selects; other pods stay allow-all.")
        case .allowedNoIngressType:
            explanation.append(
                "The policy selects the destination pod but its policyTypes is only Egress: it restricts that pod's outgoing traffic, not incoming connections."
            )
            trap = Misconception(id: "policy-types", summary: "A policy restricts only the directions listed in policyTypes.")
        case .allowedByRule:
            explanation.append(
                "The policy selects the destination pod (app=api) for Ingress, and its rule matches: the source namespace's labels match the namespaceSelector\(andPodSelector ? ", the source pod has app=web" : ""), and port \(port) is listed."
            )
        case .denied:
            explanation.append(
                "The policy selects the destination pod (app=api) for Ingress, so only what its rule allows gets in.")
            var relabelled = namespaceLabels
            relabelled[source.namespace]?["name"] = source.namespace
            let portless = Policy(
                name: policy.name, namespace: policy.namespace, podSelector: policy.podSelector, policyTypes: policy.policyTypes,
                ingress: policy.ingress.map { IngressRule(from: $0.from, ports: []) }, egressToNamespace: nil)
            let podless = Policy(
                name: policy.name, namespace: policy.namespace, podSelector: policy.podSelector, policyTypes: policy.policyTypes,
                ingress: policy.ingress.map {
                    IngressRule(
                        from: $0.from.map { Peer(namespaceSelector: $0.namespaceSelector, podSelector: nil) }, ports: $0.ports)
                },
                egressToNamespace: nil)
            if selectorKey == "name", !(namespaceLabels[source.namespace]?.keys.contains("name") ?? false),
                evaluate(policy: policy, namespaceLabels: relabelled, source: source, destination: destination, port: port)
                    .allowed
            {
                explanation.append(
                    "The rule selects namespaces labelled name=\(source.namespace), but namespace \(source.namespace) has no name label: Kubernetes adds only \(metadataName) automatically."
                )
                trap = Misconception(
                    id: "namespace-name-label",
                    summary:
                        "Kubernetes labels every namespace with \(metadataName) automatically; a name= label exists only if someone added it."
                )
            } else if evaluate(
                policy: podless, namespaceLabels: namespaceLabels, source: source, destination: destination, port: port
            ).allowed {
                explanation.append(
                    "namespaceSelector and podSelector in the same from entry must both match; the source pod has app=\(source.labels["app"]!), not app=web."
                )
                trap = Misconception(
                    id: "peer-selectors-and",
                    summary:
                        "namespaceSelector and podSelector in one from entry are ANDed; as separate entries they would be ORed.")
            } else if evaluate(
                policy: portless, namespaceLabels: namespaceLabels, source: source, destination: destination, port: port
            ).allowed {
                explanation.append(
                    "The source matches the rule, but the rule allows only TCP \(policyPort), and the connection is to \(port).")
                trap = Misconception(
                    id: "ports-ignored", summary: "A rule with ports allows only those ports, even from an allowed source.")
            } else if source.namespace == policy.namespace {
                explanation.append(
                    "The source is in the policy's own namespace, but the rule only admits namespaces matching \(selectorKey)=frontend: same-namespace traffic is denied too."
                )
                trap = Misconception(
                    id: "same-namespace-allowed",
                    summary: "Once a policy selects a pod, even pods in its own namespace need a rule that admits them.")
            } else {
                explanation.append("Namespace \(source.namespace) does not match the namespaceSelector \(selectorKey)=frontend.")
            }
        }
        explanation.append(
            "Enforcement needs a policy engine: the VPC CNI enforces NetworkPolicy itself since v1.14 (EKS 1.25+).")
        let allowedChoice = Choice(
            text: "Allowed",
            explanation: verdict.allowed ? nil : "No rule of the policy admits this connection, so it is denied.",
            misconception: verdict.allowed ? nil : trap)
        let deniedChoice = Choice(
            text: "Denied", explanation: verdict.allowed ? "A rule of the policy admits this source on this port." : nil,
            misconception: verdict.allowed ? trap : nil)

        let nsLines = namespaces.map { namespace in
            let labels = namespaceLabels[namespace]!
            return "  \(namespace): " + labels.keys.sorted().map { "\($0)=\(labels[$0]!)" }.joined(separator: ",")
        }
        let prompt = """
            This is the only NetworkPolicy in the cluster; the VPC CNI enforces network policies.

            ```yaml
            \(yaml(policy))
            ```

            Namespace labels (kubectl get ns --show-labels):
            ```
            \(nsLines.joined(separator: "\n"))
            ```

            A pod labelled app=\(source.labels["app"]!) in namespace \(source.namespace) opens a TCP connection to port \(port) \
            of a pod labelled app=\(destination.labels["app"]!) in namespace \(destination.namespace). Is it allowed?
            """
        let erratum =
            selectorKey == "name"
            ? "The study document's example selects namespaceSelector name: frontend; that matches only if someone labelled the namespace name=frontend. Every namespace has \(metadataName) automatically."
            : nil
        func json(_ map: [String: String]) -> JSONValue { .object(map.mapValues { .string($0) }) }
        var policyJSON: [String: JSONValue] = [
            "namespace": .string(policy.namespace), "podSelector": json(policy.podSelector),
            "policyTypes": .array(policy.policyTypes.map { .string($0) }),
        ]
        if !egressOnly {
            policyJSON["ingress"] = .array(
                policy.ingress.map { rule in
                    .object([
                        "from": .array(
                            rule.from.map { peer in
                                var object: [String: JSONValue] = [:]
                                if let selector = peer.namespaceSelector { object["namespaceSelector"] = json(selector) }
                                if let selector = peer.podSelector { object["podSelector"] = json(selector) }
                                return .object(object)
                            }),
                        "ports": .array(rule.ports.map { .int($0) }),
                    ])
                })
        }
        return Generated(
            prompt: prompt,
            body: .singleChoice(choices: [allowedChoice, deniedChoice], correct: verdict.allowed ? 0 : 1),
            explanation: explanation, topics: [security],
            params: [
                "policy": .object(policyJSON),
                "namespaces": .object(namespaceLabels.mapValues(json)),
                "source": .object(["namespace": .string(source.namespace), "labels": json(source.labels)]),
                "destination": .object(["namespace": .string(destination.namespace), "labels": json(destination.labels)]),
                "port": .int(port),
            ],
            erratum: erratum)
    }
}
