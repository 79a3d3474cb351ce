import Foundation
import Testing
@testable import SaproCore

/// Parses one learner's note (scoped, as `--content` loads it) and makes its cards.
private func note(_ text: String, stem: String = "n") -> (doc: ParsedDocument, yield: CardYield) {
    let doc = DocumentParser.parse(text, file: "\(stem).md", stem: stem, scoped: true)
    return (doc, ContentCards.build(from: ContentLibrary(documents: [doc], errata: [])))
}

private func card(_ yield: CardYield, containing prompt: String) -> Question? {
    yield.cards.first { $0.prompt.contains(prompt) }
}

@Suite("Questions written in notes become questions")
struct QuestionsWrittenInNotes {
    @Test func qAndAPairsBecomeRecallCardsInEveryMarkerStyle() throws {
        let (_, yield) = note(
            """
            # VPC

            Q: How many addresses does AWS reserve in each subnet?
            A: Five

            **Q:** Which gateway gives private subnets outbound IPv6?
            **A:** An egress-only internet gateway

            1. **Q**: Which service records API calls?
               **A**: CloudTrail
            """)
        let recalls = yield.cards.compactMap { card -> (String, String)? in
            if case .recall(let answer) = card.body { return (card.prompt, answer) }
            return nil
        }
        #expect(recalls.contains { $0 == ("How many addresses does AWS reserve in each subnet?", "Five") })
        #expect(
            recalls.contains { $0 == ("Which gateway gives private subnets outbound IPv6?", "An egress-only internet gateway") })
        #expect(recalls.contains { $0 == ("Which service records API calls?", "CloudTrail") })
    }

    @Test func aDetailsBlockAnswersTheQuestionInItsSummary() throws {
        let (_, yield) = note(
            """
            # ECS

            <details><summary>Which network mode gives each task its own ENI?</summary>

            awsvpc

            </details>
            """)
        let question = try #require(card(yield, containing: "own ENI"))
        #expect(question.body == .recall(answer: "awsvpc"))
    }

    @Test func aDetailsBlockClosedInsideAListDoesNotStopTheRestLoading() {
        let (doc, _) = note("# T\n\n<details>\n\n- one\n- two </details>\n\n## After\n\n- **Key:** value\n")
        #expect(doc.topics.map(\.id) == ["n", "n/after"])
    }

    /// The issue's case: a practice question must key the stated answer, never the first option.
    @Test func aPracticeQuestionKeysTheStatedAnswerWithItsExplanation() throws {
        let (_, yield) = note(
            """
            # Subnets

            How many IP addresses are available in a /24 subnet?

            - A. 256
            - B. 251
            - C. 254

            **Answer:** B

            **Explanation:** AWS reserves five addresses in every subnet.
            """)
        let question = try #require(card(yield, containing: "How many IP addresses"))
        guard case let .singleChoice(choices, correct) = question.body else {
            Issue.record("expected a single-choice question, got \(question.body)")
            return
        }
        #expect(choices.map(\.text) == ["256", "251", "254"])
        #expect(choices[correct].text == "251")
        #expect(question.explanation.first == "AWS reserves five addresses in every subnet.")
        // Neither the options nor the answer line became cards of their own.
        #expect(yield.cards.count == 1, "\(yield.cards.map(\.prompt))")
    }

    @Test func optionsInTheStemParagraphAndSeveralAnswersMakeAMultipleChoiceQuestion() throws {
        let (_, yield) = note(
            """
            # Load balancing

            Which load balancers can target IP addresses? (Choose two.)
            A. Application Load Balancer
            B. Classic Load Balancer
            C. Network Load Balancer
            Answer: A, C
            """)
        let question = try #require(card(yield, containing: "target IP addresses"))
        #expect(question.body.kind == .multipleChoice)
        if case let .multipleChoice(_, correct) = question.body { #expect(correct == [0, 2]) }
    }

    @Test func aBoldOrTickedOptionIsTheAnswer() throws {
        let (_, bold) = note("# T\n\nWhich CNI assigns VPC IPs to Pods?\n\n- A. Calico\n- **B. Amazon VPC CNI**\n- C. Flannel\n")
        let ticked = note("# T\n\nWhich CNI assigns VPC IPs to Pods?\n\n- A. Calico\n- B. Amazon VPC CNI ✅\n- C. Flannel\n").yield
        for yield in [bold, ticked] {
            let question = try #require(card(yield, containing: "Which CNI"))
            guard case let .singleChoice(choices, correct) = question.body else {
                Issue.record("\(question.body)")
                continue
            }
            #expect(choices[correct].text == "Amazon VPC CNI")
        }
    }

    @Test func aQuestionWithoutAnAnswerIsLeftOutAndSaysWhy() {
        let (_, yield) = note("# T\n\nWhich CNI assigns VPC IPs to Pods?\n\n- A. Calico\n- B. Amazon VPC CNI\n")
        #expect(yield.cards.isEmpty)
        #expect(yield.dropped.map(\.reason) == [.noAnswer])
    }

    @Test func aNumberedQuizIsAnsweredByTheNotesAnswerKey() throws {
        let (_, yield) = note(
            """
            # 監視

            **クイズ**

            1. CloudTrailのイベント履歴は無料で何日間？ __
            2. APIコールを追跡するサービスは？ __

            ## 答え

            **クイズの答え**:
            1) 90日
            2) AWS CloudTrail
            """)
        #expect(card(yield, containing: "何日間")?.body == .recall(answer: "90日"))
        #expect(card(yield, containing: "追跡するサービス")?.body == .recall(answer: "AWS CloudTrail"))
        // The key is not a procedure to put in order.
        #expect(!yield.cards.contains { $0.kind == .ordering })
    }
}

@Suite("Only cards a teacher would keep")
struct OnlyGoodCards {
    @Test func aTableOfContentsAndAnAnswerKeyAreNotProcedures() {
        let (doc, _) = note(
            "# T\n\n1. [Intro](#intro)\n2. [Setup](#setup)\n3. [Usage](#usage)\n\n## Key\n\n1. B\n2. C\n3. A\n")
        let flows = doc.topics.flatMap(\.blocks).filter { if case .flow = $0 { true } else { false } }
        #expect(flows.isEmpty)
    }

    @Test func aProcedureOfMoreThanTenStepsIsLeftOut() {
        let steps = (1...11).map { "\($0). Step number \($0) of the rollout" }.joined(separator: "\n")
        let (_, yield) = note("# Rollout\n\n\(steps)\n")
        #expect(!yield.cards.contains { $0.kind == .ordering })
        #expect(yield.dropped.map(\.reason) == [.tooManySteps])
    }

    @Test func aBoxDiagramIsNotADecisionTreeButARealTreeIs() {
        let box = note("# T\n\n```\nServices:\n├── Lambda\n├── SNS\n└── SQS\n```\n").doc
        #expect(!box.topics.flatMap(\.blocks).contains { if case .decisionTree = $0 { true } else { false } })
        let tree = note(
            "# T\n\n```\nNeed Kubernetes?\n├── YES -> Use EKS\n└── NO -> Use ECS\n```\n"
        ).yield
        #expect(tree.cards.filter { $0.kind == .singleChoice }.count == 2)
    }

    @Test func codeMakesACardOnlyWhenTheCodeAnswersTheQuestion() {
        let (_, yield) = note(
            """
            # T

            ```bash
            aws ecs list-tasks --cluster prod
            ```

            ```json
            {"family": "web", "networkMode": "bridge", "cpu": "256"}
            ```
            """)
        #expect(yield.cards.count == 1)
        #expect(yield.cards.first?.prompt.contains("```json") == true)
        #expect(yield.dropped.map(\.reason) == [.codeNotAnswerable])
    }

    @Test func recallCardsWithEmptyBareLetterLongOrGivenAwayAnswersAreLeftOut() {
        let long = String(repeating: "word ", count: 80)
        let (_, yield) = note(
            """
            # Exam

            - **Correct option:** B
            - **Essay:** \(long)
            - **Gateway endpoint:** a gateway endpoint
            - **Interface endpoint:** an ENI with a private IP in your subnet
            """)
        #expect(yield.cards.map(\.prompt) == ["In Exam, what about Interface endpoint?"])
        #expect(Set(yield.dropped.map(\.reason)) == [.bareLetter, .tooLong, .answerInPrompt])
    }

    @Test func everyCellOfATableHasItsOwnCardWhateverTheScript() {
        let (_, yield) = note(
            """
            # 比較

            | サービス | 目的 | 保持期間 |
            |---|---|---|
            | CloudWatch | 監視 | 15ヶ月 |
            | CloudTrail | 監査 | 90日 |
            | ✅ | 可 | 1日 |
            | ❌ | 不可 | 2日 |
            """)
        #expect(yield.cards.count == 8)
        #expect(Set(yield.cards.map(\.id)).count == 8)
        #expect(yield.cards.allSatisfy { $0.prompt.hasSuffix("は？") })
    }

    @Test func promptsAreQuestionsInTheDocumentsLanguageNamingTheTopic() {
        let english = note("# ECS\n\n## awsvpc Mode (Recommended)\n\n- **Connectivity:** Tasks talk over the VPC\n").yield
        #expect(english.cards.map(\.prompt) == ["In awsvpc Mode, what about Connectivity?"])
        let japanese = note("# ECS\n\n## awsvpc モード\n\n- **接続性:** タスクはVPCネットワークで通信する\n").yield
        #expect(japanese.cards.map(\.prompt) == ["awsvpc モードについて、接続性は？"])
        let korean = note("# ECS\n\n## awsvpc 모드\n\n- **연결성:** 작업은 VPC 네트워크로 통신합니다\n").yield
        #expect(korean.cards.map(\.prompt) == ["awsvpc 모드에서 연결성은(는)?"])
        let definition = note("# ECS\n\n## host Mode\n\n**What It Is:**\nThe container uses the host's network.\n").yield
        #expect(definition.cards.map(\.prompt) == ["What is host Mode?"])
    }
}

@Suite("Topics are scoped by document")
struct TopicsScopedByDocument {
    @Test func twoNotesWithAnOverviewKeepBothAndReadSaysWhichDocumentsMatch() throws {
        let dir = try Repo.temporaryDirectory([
            "a.md": Array("# A\n\n## Overview\n\nFirst.\n\n## Setup\n\nOne.\n".utf8),
            "b.md": Array("# B\n\n## Overview\n\nSecond.\n\n## Setup\n\nTwo.\n".utf8),
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        let loaded = ContentLoader.load(directories: [Repo.content], notes: [dir], displayName: { $0.lastPathComponent })
        #expect(loaded.problems.isEmpty, "\(loaded.problems)")
        let ids = Set(loaded.library.topicIDs)
        #expect(ids.isSuperset(of: ["overview", "a/overview", "b/overview"]))
        #expect(try loaded.library.resolve("a/overview").title == "Overview")
        #expect(throws: ContentError.self) { try loaded.library.resolve("overview-missing-typo-x") }
        // An exact id is that topic; the same heading in other documents is named beside it.
        #expect(try loaded.library.resolve("Overview").location.file == "container-networking-deep-dive.md")
        #expect(loaded.library.alsoNamed("Overview", besides: "overview").map(\.id) == ["a/overview", "b/overview"])
        do {
            _ = try loaded.library.resolve("Setup")
            Issue.record("'Setup' should be ambiguous")
        } catch {
            let message = error.errorDescription ?? ""
            #expect(message.contains("a/setup (a.md:7)") && message.contains("b/setup (b.md:7)"), "\(message)")
        }
    }

    @Test func idsCarryNoMarkupAndStayShortEnoughToType() {
        let title = String(repeating: "Very long heading words ", count: 6)
        let doc = DocumentParser.parse(
            "# T\n\n## <a name=\"x\"></a>[Linked](http://x) **heading**\n\n## \(title)\n", file: "t.md", stem: "t", scoped: true)
        #expect(doc.topics.map(\.id).contains("t/linked-heading"))
        #expect(doc.topics.allSatisfy { $0.id.split(separator: "/").allSatisfy { $0.count <= 48 } })
    }
}

@Suite("Search and reading in any script")
struct SearchAndReadInAnyScript {
    @Test func japaneseAndChineseWordsAreFoundInsideSentences() {
        let doc = DocumentParser.parse(
            "# ガイド\n\n## 詳細\n\nVPC CNIの概要です。\n\n## 其他\n\n网络策略很重要。\n", file: "g.md", stem: "g", scoped: true)
        let index = SearchIndex(library: ContentLibrary(documents: [doc], errata: []))
        #expect(index.search("概要").first?.topicID == "g/詳細")
        #expect(index.search("策略").first?.topicID == "g/其他")
    }

    @Test func anAdmonitionReadsAsItsTitleThenItsText() {
        let doc = DocumentParser.parse(
            "# T\n\n!!! note \"Warm ENIs\"\n    They use VPC addresses.\n", file: "t.md", stem: "t", scoped: true)
        #expect(doc.problems.isEmpty)
        #expect(doc.topics[0].blocks == [.text("Warm ENIs: They use VPC addresses.")])
    }

    @Test func readIndentsNestedListsAndShowsNoInlineHTML() {
        let doc = DocumentParser.parse(
            "# T\n\n- Outer <mark>point</mark>\n  - Inner point\n    - Innermost\n", file: "t.md", stem: "t", scoped: true)
        let library = ContentLibrary(documents: [doc], errata: [])
        let text = TerminalRenderer(width: 80, color: false).render(topicID: "t", in: library)
        #expect(text.contains("\n- Outer point\n  - Inner point\n    - Innermost\n"), "\(text)")
    }
}

@Suite("Plain text")
struct PlainTextRules {
    @Test func markupIsRemovedAndTextKept() {
        #expect(PlainText.clean("**Bold** and __strong__ ~~gone~~") == "Bold and strong gone")
        #expect(PlainText.clean("See [the guide](https://x.example) and ![diagram](d.png)") == "See the guide and diagram")
        #expect(PlainText.clean("a <span style=\"c\">b</span><br>c") == "a b c")
        #expect(PlainText.clean("│ NAT │ AWS ├──┤") == "NAT AWS")
        #expect(PlainText.clean(":fire: hot \\(escaped\\)") == "hot (escaped)")
        #expect(PlainText.clean("snake_case and 2 * 3 < 4") == "snake_case and 2 * 3 < 4")
    }

    /// The byte scan that skips clean text must agree with the full cleaning on every line of
    /// every document we have.
    @Test func theFastPathAgreesWithTheFullCleaningOnEveryLine() throws {
        var files = [Repo.content.appendingPathComponent("container-networking-deep-dive.md")]
        if let corpus = corpusNotes {
            files += try FileManager.default.contentsOfDirectory(at: corpus, includingPropertiesForKeys: nil)
        }
        var checked = 0
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            for line in text.split(separator: "\n").map(String.init) + [text] {
                let fast = PlainText.clean(line)
                let slow = PlainText.slowClean(line)
                #expect(Array(fast.utf8) == Array(slow.utf8), "\(file.lastPathComponent): \(line.prefix(80))")
                checked += 1
            }
        }
        #expect(checked > 100)
        // Marks that count only in company, next to what makes or breaks that company.
        let alphabet = [
            "a", "Z", "1", " ", "  ", ":", "_", "~", "!", "<", ">", "/", "*", "[", "]", "(", ")", "\\", "é", "e\u{301}",
            "日", "\u{85}", "\u{A0}", "\u{2003}", "\u{205F}", "\u{1680}", "\u{3000}", "─", "+", "=", "\t", "\n",
        ]
        var random = SplitMix64(seed: 3)
        for _ in 0..<20_000 {
            let line = (0..<Int(random.next() % 16)).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }.joined()
            #expect(
                Array(PlainText.clean(line).utf8) == Array(PlainText.slowClean(line).utf8),
                "\(line.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }
}
