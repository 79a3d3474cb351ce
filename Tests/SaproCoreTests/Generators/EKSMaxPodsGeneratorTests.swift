import Testing
@testable import SaproCore

@Suite struct EKSMaxPodsGeneratorTests {
    static let questions = Reference.questions("eks-max-pods", count: 1500)

    @Test func referenceFilesLoaded() {
        #expect(Reference.amiMaxPods.count > 1000)
        #expect(Reference.amiMaxPods["m5.large"] == 29)
        #expect(Reference.catalog.types.count > 1000)
    }

    @Test func secondaryIPAnswersMatchTheEKSAMIFile() {
        var checked = 0
        for question in Self.questions where question.string("variant") == nil && question.string("networking") == "secondary-ip"
        {
            let type = question.string("instanceType")!
            guard let expected = Reference.amiMaxPods[type] else { continue }
            #expect(question.value == expected, "\(type)")
            #expect(question.numericAnswer == expected, "\(type)")
            checked += 1
        }
        #expect(checked > 200)
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
                #expect(question.value == reference - (ips - 1), "\(type)")
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
            #expect(Set(question.params.keys) == ["instanceType", "networking"])
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
