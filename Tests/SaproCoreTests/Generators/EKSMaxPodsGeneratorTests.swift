import Testing
@testable import SaproCore

@Suite struct EKSMaxPodsGeneratorTests {
    static let questions = Reference.questions("eks-max-pods", count: 1500)

    @Test func referenceFilesLoaded() {
        #expect(Reference.amiMaxPods.count > 1000)
        #expect(Reference.amiMaxPods["m5.large"] == 29)
        #expect(Reference.catalog.types.count > 1000)
    }

    /// EKS's cap in a managed node group, as the EKS user guide states it ("110 for instances with
    /// fewer than 30 vCPUs, 250 for all other instance types … applied whether prefix delegation is
    /// enabled or not"): the test's own copy of the rule.
    static func managedCap(vcpus: Int) -> Int { vcpus < 30 ? 110 : 250 }

    /// What the question's node kind makes of a self-managed (eni-max-pods.txt) value.
    static func expected(_ question: Question, selfManaged value: Int, vcpus: Int) -> Int {
        question.string("node") == "managed" ? min(value, managedCap(vcpus: vcpus)) : value
    }

    @Test func secondaryIPAnswersMatchTheEKSAMIFileAndTheManagedCap() {
        var checked = 0, capped = 0
        for question in Self.questions where question.string("variant") == nil && question.string("networking") == "secondary-ip"
        {
            let type = question.string("instanceType")!
            guard let reference = Reference.amiMaxPods[type], let vcpus = Reference.int(type, "vcpus") else { continue }
            let expected = Self.expected(question, selfManaged: reference, vcpus: vcpus)
            #expect(question.value == expected, "\(type) \(question.string("node") ?? "")")
            #expect(question.numericAnswer == expected, "\(type)")
            if expected != reference { capped += 1 }
            checked += 1
        }
        #expect(checked > 200)
        #expect(capped > 10, "some managed node group questions must be ones where the cap binds")
    }

    /// Every forward question says which kind of node it is about, since the answer depends on it.
    @Test func everyMaxPodsQuestionNamesItsNodeKind() {
        for question in Self.questions {
            if question.string("variant") == "smallest-type" {
                #expect(question.prompt.contains("self-managed and use the default bootstrap"), "\(question.id)")
            } else if question.string("node") == "managed" {
                #expect(question.prompt.contains("in an EKS managed node group"), "\(question.id)")
            } else {
                #expect(question.prompt.contains("self-managed EKS node with the default bootstrap (eni-max-pods.txt)"))
            }
        }
    }

    /// Custom networking and prefix delegation derived from the AMI file's secondary-IP number:
    /// custom = reference − (IPv4 per ENI − 1); prefix delegation raw = (reference − 2) × 16 + 2.
    @Test func otherModesFollowFromTheReference() {
        var checked = 0
        for question in Self.questions where question.string("variant") == nil {
            let type = question.string("instanceType")!
            guard let reference = Reference.amiMaxPods[type], let ips = Reference.int(type, "ipv4_per_eni"),
                let vcpus = Reference.int(type, "vcpus")
            else { continue }
            switch question.string("networking") {
            case "custom-networking":
                #expect(question.value == Self.expected(question, selfManaged: reference - (ips - 1), vcpus: vcpus), "\(type)")
            case "prefix-delegation":
                #expect(question.value == min((reference - 2) * 16 + 2, vcpus < 30 ? 110 : 250), "\(type)")
            default:
                continue
            }
            checked += 1
        }
        #expect(checked > 300)
    }

    @Test func factsExamples() throws {
        let catalog = Reference.catalog
        #expect(try EKSRules.maxPods(catalog.require("m5.large")).value == 29)
        #expect(try EKSRules.maxPods(catalog.require("m5.xlarge")).value == 58)
        #expect(try EKSRules.maxPods(catalog.require("t3.micro")).value == 4)
        #expect(try EKSRules.maxPods(catalog.require("m5.large"), networking: .customNetworking).value == 20)
        #expect(try EKSRules.maxPods(catalog.require("m5.large"), networking: .prefixDelegation).value == 110)
    }

    @Test func onlyNitroSingleCardTypes() {
        for question in Self.questions {
            let type = question.string("instanceType") ?? ""
            if type.isEmpty { continue }
            #expect(Reference.rows[type]?["hypervisor"] == "nitro", "\(type)")
            #expect(Reference.rows[type]?["max_enis"] == Reference.rows[type]?["all_card_enis"], "\(type)")
        }
    }

    @Test func forwardParamsAreExactlyTypeAndNetworking() {
        for question in Self.questions where question.string("variant") == nil {
            #expect(Set(question.params.keys) == ["instanceType", "networking", "node"])
        }
    }

    /// Smallest size: recomputed from the AMI file (secondary IP) and the raw CSV columns.
    @Test func inverseVariantPicksTheSmallestFittingSize() throws {
        var checked = 0
        for question in Self.questions where question.string("variant") == "smallest-type" {
            let family = question.string("family")!, pods = question.int("pods")!
            let custom = question.string("networking") == "custom-networking"
            let sizes = Reference.rows.keys.filter { $0.hasPrefix(family + ".") }
                .filter {
                    Reference.rows[$0]!["hypervisor"] == "nitro"
                        && Reference.rows[$0]!["max_enis"] == Reference.rows[$0]!["all_card_enis"]
                }
                .sorted { Reference.int($0, "vcpus")! < Reference.int($1, "vcpus")! }
            func maxPods(_ type: String) -> Int {
                let enis = Reference.int(type, "max_enis")!, ips = Reference.int(type, "ipv4_per_eni")!
                if !custom, let reference = Reference.amiMaxPods[type] { return reference }
                return (custom ? enis - 1 : enis) * (ips - 1) + 2
            }
            let expected = try #require(sizes.first { maxPods($0) >= pods })
            let answer = try #require(question.correctText)
            #expect(answer.hasPrefix(expected + " "), "\(family) \(pods): \(answer) vs \(expected)")
            checked += 1
        }
        #expect(checked > 100)
    }

    @Test func distractorsAreDistinctAndNamed() throws {
        var rendered = 0
        for question in Self.questions where question.string("variant") == nil {
            guard case let .singleChoice(choices, correct) = question.body else { continue }
            rendered += 1
            let texts = choices.map(\.text)
            #expect(Set(texts).count == texts.count)
            for (index, choice) in choices.enumerated() where index != correct {
                #expect(choice.misconception != nil)
                // Picking a distractor names its misconception.
                let grade = question.grade(QuestionBody.letter(index))
                #expect(grade.misconception == choice.misconception)
            }
            if question.string("networking") == "secondary-ip",
                let document = choices.first(where: { $0.misconception?.id == "document-max-pods-formula" })
            {
                let type = try Reference.catalog.require(question.string("instanceType")!)
                #expect(document.text == "\(type.maxENIs * type.ipv4PerENI - 1) pods")
            }
        }
        #expect(rendered > 100)
    }

    @Test func sameSeedSameQuestionDifferentSeedsVary() throws {
        let generator = try Generators.require("eks-max-pods")
        let a = try generator.generate(catalog: Reference.catalog, seed: 99)
        let b = try generator.generate(catalog: Reference.catalog, seed: 99)
        #expect(a == b)
        #expect(Set(Self.questions.prefix(50).map(\.prompt)).count > 40)
    }
}
