import Testing
@testable import SaproCore

@Suite struct NetworkPolicyGeneratorTests {
    typealias G = NetworkPolicyGenerator

    static let namespaces: [String: [String: String]] = [
        "production": ["kubernetes.io/metadata.name": "production"],
        "frontend": ["kubernetes.io/metadata.name": "frontend"],
        "frontend-labelled": ["kubernetes.io/metadata.name": "frontend-labelled", "name": "frontend"],
    ]

    static func policy(
        selector: [String: String] = ["name": "frontend"], pods: [String: String]? = nil,
        types: [String] = ["Ingress"], ports: [Int] = [8080], podSelector: [String: String] = ["app": "api"]
    ) -> G.Policy {
        G.Policy(
            name: "api-policy", namespace: "production", podSelector: podSelector, policyTypes: types,
            ingress: [G.IngressRule(from: [G.Peer(namespaceSelector: selector, podSelector: pods)], ports: ports)],
            egressToNamespace: nil)
    }

    static let api = G.Pod(namespace: "production", labels: ["app": "api"])

    struct Case: Sendable, CustomStringConvertible {
        var description: String
        var policy: G.Policy
        var source: G.Pod
        var destination: G.Pod
        var port: Int
        var allowed: Bool
    }

    static let cases: [Case] = [
        Case(
            description: "document example: no name label on the namespace → denied",
            policy: policy(), source: G.Pod(namespace: "frontend", labels: ["app": "web"]), destination: api, port: 8080,
            allowed: false),
        Case(
            description: "document example once someone adds name=frontend → allowed",
            policy: policy(), source: G.Pod(namespace: "frontend-labelled", labels: ["app": "web"]), destination: api, port: 8080,
            allowed: true),
        Case(
            description: "automatic metadata.name label → allowed",
            policy: policy(selector: ["kubernetes.io/metadata.name": "frontend"]),
            source: G.Pod(namespace: "frontend", labels: ["app": "web"]), destination: api, port: 8080, allowed: true),
        Case(
            description: "same namespace is denied too",
            policy: policy(selector: ["kubernetes.io/metadata.name": "frontend"]),
            source: G.Pod(namespace: "production", labels: ["app": "web"]), destination: api, port: 8080, allowed: false),
        Case(
            description: "wrong port → denied",
            policy: policy(selector: ["kubernetes.io/metadata.name": "frontend"]),
            source: G.Pod(namespace: "frontend", labels: ["app": "web"]), destination: api, port: 9090, allowed: false),
        Case(
            description: "unselected destination pod stays allow-all",
            policy: policy(), source: G.Pod(namespace: "frontend", labels: ["app": "web"]),
            destination: G.Pod(namespace: "production", labels: ["app": "worker"]), port: 1234, allowed: true),
        Case(
            description: "egress-only policy does not restrict ingress",
            policy: policy(types: ["Egress"]), source: G.Pod(namespace: "frontend", labels: [:]), destination: api, port: 22,
            allowed: true),
        Case(
            description: "namespace AND pod selector: wrong pod label → denied",
            policy: policy(selector: ["kubernetes.io/metadata.name": "frontend"], pods: ["app": "web"]),
            source: G.Pod(namespace: "frontend", labels: ["app": "batch"]), destination: api, port: 8080, allowed: false),
        Case(
            description: "namespace AND pod selector: both match → allowed",
            policy: policy(selector: ["kubernetes.io/metadata.name": "frontend"], pods: ["app": "web"]),
            source: G.Pod(namespace: "frontend", labels: ["app": "web"]), destination: api, port: 8080, allowed: true),
        Case(
            description: "empty podSelector selects every pod in the namespace",
            policy: policy(selector: ["kubernetes.io/metadata.name": "frontend"], podSelector: [:]),
            source: G.Pod(namespace: "production", labels: [:]),
            destination: G.Pod(namespace: "production", labels: ["app": "db"]),
            port: 8080, allowed: false),
        Case(
            description: "policy in another namespace does not apply",
            policy: policy(), source: G.Pod(namespace: "frontend", labels: [:]),
            destination: G.Pod(namespace: "frontend", labels: ["app": "api"]), port: 8080, allowed: true),
    ]

    @Test(arguments: cases)
    func handWorkedCases(_ c: Case) {
        let verdict = G.evaluate(
            policy: c.policy, namespaceLabels: Self.namespaces, source: c.source, destination: c.destination, port: c.port)
        #expect(verdict.allowed == c.allowed)
    }

    // MARK: - Generated questions against an evaluator written over the params JSON

    static func labels(_ value: JSONValue?) -> [String: String] {
        guard case let .object(map)? = value else { return [:] }
        return map.compactMapValues {
            if case let .string(s) = $0 { return s }; return nil
        }
    }

    static func independentlyAllowed(_ params: [String: JSONValue]) -> Bool {
        guard case let .object(policy)? = params["policy"], case let .object(source)? = params["source"],
            case let .object(destination)? = params["destination"], case let .int(port)? = params["port"],
            case let .object(namespaces)? = params["namespaces"]
        else { return false }
        func string(_ value: JSONValue?) -> String { if case let .string(s)? = value { return s }; return "" }
        let policyNamespace = string(policy["namespace"])
        let destinationLabels = labels(destination["labels"])
        let selected =
            string(destination["namespace"]) == policyNamespace
            && labels(policy["podSelector"]).allSatisfy { destinationLabels[$0.key] == $0.value }
        guard case let .array(types)? = policy["policyTypes"] else { return false }
        if !selected || !types.contains(.string("Ingress")) { return true }
        guard case let .array(rules)? = policy["ingress"] else { return false }
        let sourceNamespace = string(source["namespace"])
        let sourceLabels = labels(source["labels"])
        let namespaceLabels = labels(namespaces[sourceNamespace])
        for case let .object(rule) in rules {
            if case let .array(ports)? = rule["ports"], !ports.isEmpty, !ports.contains(.int(port)) { continue }
            guard case let .array(peers)? = rule["from"] else { return true }
            if peers.isEmpty { return true }
            for case let .object(peer) in peers {
                let nsOK =
                    peer["namespaceSelector"] == nil
                    ? sourceNamespace == policyNamespace
                    : labels(peer["namespaceSelector"]).allSatisfy { namespaceLabels[$0.key] == $0.value }
                let podOK = labels(peer["podSelector"]).allSatisfy { sourceLabels[$0.key] == $0.value }
                if nsOK && podOK { return true }
            }
        }
        return false
    }

    @Test func generatedAnswersAgreeWithIndependentEvaluator() {
        var outcomes: [Bool: Int] = [:]
        var misconceptions: Set<String> = []
        for question in Reference.questions("network-policy", count: 600) {
            let allowed = Self.independentlyAllowed(question.params)
            #expect(question.correctText == (allowed ? "Allowed" : "Denied"), "\(question.id)")
            outcomes[allowed, default: 0] += 1
            if case let .singleChoice(choices, _) = question.body {
                misconceptions.formUnion(choices.compactMap { $0.misconception?.id })
            }
        }
        #expect((outcomes[true] ?? 0) > 50 && (outcomes[false] ?? 0) > 50)
        #expect(
            misconceptions.isSuperset(of: [
                "namespace-name-label", "policy-scope", "policy-types", "ports-ignored", "same-namespace-allowed",
                "peer-selectors-and",
            ]))
    }

    @Test func nameLabelTrapIsNamedWhenPickingAllowed() throws {
        let question = try #require(
            Reference.questions("network-policy", count: 600).first { question in
                if case let .singleChoice(choices, _) = question.body {
                    return choices[0].misconception?.id == "namespace-name-label"
                }
                return false
            })
        #expect(question.grade("a").misconception?.id == "namespace-name-label")
        #expect(question.grade("b") == .correct)
    }
}
