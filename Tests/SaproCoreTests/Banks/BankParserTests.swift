import Testing
@testable import SaproCore

@Suite struct BankParserTests {
    /// Issue 14's bank lint: a question names the page its answer rests on, as an https link.
    @Test func aQuestionWithoutAnHTTPSSourceIsAProblem() {
        let bank = """
            ## no-source
            topic: overview
            kind: single

            Which?

            - [x] A
              > Right.
            - [ ] B
              > Wrong.

            explanation:
            Because.

            ## bad-source
            topic: overview
            source: http://example.com/page
            kind: single

            Which?

            - [x] A
              > Right.
            - [ ] B
              > Wrong.

            explanation:
            Because.
            """
        let problems = bankProblems(bank, strict: true)
        #expect(problems.contains("t.md:1: no 'source:' line: name the AWS documentation page the answer rests on (https://…)"))
        #expect(problems.contains("t.md:17: source 'http://example.com/page' is not an https:// address"))
        let fixed = bank.replacingOccurrences(
            of: "kind: single\n\nWhich", with: "kind: single\nsource: https://docs.aws.amazon.com/vpc/\n\nWhich"
        )
        .replacingOccurrences(of: "http://example.com/page", with: "https://example.com/page")
        #expect(!bankProblems(fixed, strict: true).contains { $0.contains("source") })
        let question = BankParser(knownTopics: SubjectTopics.known, strict: false).parse(QuizFile(name: "t.md", text: fixed))
            .questions.last
        #expect(question?.explanation.last == "Sources: https://example.com/page ; https://docs.aws.amazon.com/vpc/")
    }

    static let goodBank = """
        # A small bank

        Notes before the first question are ignored.
        <!-- so is
        a comment -->

        ## ecs-single
        topic: amazon-ecs-networking/network-modes/awsvpc-mode-recommended
        kind: single
        erratum: Tasks = ENIs − 1.

        A company runs tasks
        in awsvpc mode.

        Which fits?

        - [ ] Bridge
          > Shares the host's
          > security group.
        - [x] Trunking on m5.large
          gives 10 tasks
          > Right: branch ENIs.

        explanation:
        First step
        continues here.

        Second step.

        ## eks-multiple
        topics: amazon-eks-networking/vpc-cni-plugin, overview
        kind: multiple

        Pick. (Choose TWO.)

        ```yaml
        - [x] not an option inside a fence
        ```

        - [x] A
          > a
        - [ ] B
          > b
        - [x] C
          > c

        explanation:
        Because.

        ## gwlb-order
        topic: gateway-load-balancer-inspection-vpc-pattern
        kind: ordering

        Order them.

        - [2] Second
        - [3] Third
          > last
        - [1] First

        explanation:
        Overall.

        ## eks-pods
        topic: amazon-eks-networking/vpc-cni-plugin
        kind: numeric
        answer: 29
        unit: pods

        How many pods on m5.large?

        explanation:
        3 × 9 + 2 = 29.

        ## cloudmap-recall
        topic: amazon-ecs-networking/ecs-service-discovery
        kind: recall
        answer: Up to 8 healthy records.

        What does MULTIVALUE return?

        explanation:
        Random subset.
        """

    @Test func parsesAGoodBankIntoQuestionsOfEveryKind() throws {
        let questions = try BankParser(knownTopics: SubjectTopics.known, strict: false)
            .parse(QuizFile(name: "good.md", text: Self.goodBank)).get()
        #expect(questions.map(\.id) == ["ecs-single", "eks-multiple", "gwlb-order", "eks-pods", "cloudmap-recall"])
        #expect(questions.map(\.source) == questions.map { .bank(file: "good.md", id: $0.id) })

        let single = questions[0]
        #expect(single.prompt == "A company runs tasks in awsvpc mode.\n\nWhich fits?")
        #expect(single.topics == ["amazon-ecs-networking/network-modes/awsvpc-mode-recommended"])
        #expect(single.erratum == "Tasks = ENIs − 1.")
        #expect(single.explanation == ["First step continues here.", "Second step."])
        #expect(
            single.body
                == .singleChoice(
                    choices: [
                        Choice(text: "Bridge", explanation: "Shares the host's security group."),
                        Choice(text: "Trunking on m5.large gives 10 tasks", explanation: "Right: branch ENIs."),
                    ], correct: 1))

        let multiple = questions[1]
        #expect(multiple.topics == ["amazon-eks-networking/vpc-cni-plugin", "overview"])
        #expect(multiple.prompt == "Pick. (Choose TWO.)\n\n```yaml\n- [x] not an option inside a fence\n```")
        guard case let .multipleChoice(choices, correct) = multiple.body else {
            Issue.record("expected multiple choice")
            return
        }
        #expect(choices.map(\.text) == ["A", "B", "C"])
        #expect(correct == [0, 2])

        #expect(questions[2].body == .ordering(items: ["Second", "Third", "First"], order: [2, 0, 1]))
        #expect(questions[2].explanation == ["3. Third: last", "Overall."])
        #expect(questions[3].body == .numeric(answer: 29, unit: "pods"))
        #expect(questions[3].value == 29)
        #expect(questions[4].body == .recall(answer: "Up to 8 healthy records."))
    }

    @Test func windowsLineEndingsParseLikeUnixOnes() throws {
        let crlf = Self.goodBank.replacingOccurrences(of: "\n", with: "\r\n")
        let parser = BankParser(knownTopics: SubjectTopics.known, strict: false)
        let unix = try parser.parse(QuizFile(name: "good.md", text: Self.goodBank)).get()
        #expect(try parser.parse(QuizFile(name: "good.md", text: crlf)).get() == unix)
    }

    /// A valid single-choice question; the cases below break one line of it at a time.
    ///
    ///     1 ## q1
    ///     2 topic: overview
    ///     3 kind: single
    ///     4
    ///     5 Prompt text.
    ///     6
    ///     7 - [x] Right
    ///     8   > why right
    ///     9 - [ ] Wrong
    ///    10   > why wrong
    ///    11
    ///    12 explanation:
    ///    13 Because.
    static let valid = """
        ## q1
        topic: overview
        kind: single

        Prompt text.

        - [x] Right
          > why right
        - [ ] Wrong
          > why wrong

        explanation:
        Because.
        """

    static func replacing(_ old: String, with new: String, in text: String = valid) -> String {
        precondition(text.contains(old), "fixture lacks \(old)")
        return text.replacingOccurrences(of: old, with: new)
    }

    struct ErrorCase: Sendable, CustomTestStringConvertible {
        var name: String
        var text: String
        var expected: [String]
        var testDescription: String { name }
    }

    static let errorCases: [ErrorCase] = [
        ErrorCase(
            name: "missing answer", text: replacing("- [x] Right", with: "- [ ] Right"),
            expected: ["t.md:7: no option is marked correct; mark the answer with '[x]'"]),
        ErrorCase(
            name: "two answers on a single question", text: replacing("- [ ] Wrong", with: "- [x] Wrong"),
            expected: ["t.md:7: single-choice question has 2 options marked [x]; use 'kind: multiple' or mark one"]),
        ErrorCase(
            name: "Choose TWO with one answer",
            text: """
                ## q1
                topic: overview
                kind: multiple

                Pick. (Choose TWO.)

                - [x] A
                  > a
                - [ ] B
                  > b
                - [ ] C
                  > c

                explanation:
                Because.
                """,
            expected: ["t.md:7: prompt says Choose TWO but 1 option is marked [x]"]),
        ErrorCase(
            name: "Choose THREE with two answers",
            text: """
                ## q1
                topic: overview
                kind: multiple

                Pick. (Choose THREE.)

                - [x] A
                  > a
                - [x] B
                  > b
                - [ ] C
                  > c
                - [ ] D
                  > d

                explanation:
                Because.
                """,
            expected: ["t.md:7: prompt says Choose THREE but 2 options are marked [x]"]),
        ErrorCase(
            name: "multiple without a choose count",
            text: replacing("kind: single", with: "kind: multiple")
                .replacingOccurrences(of: "\nexplanation:", with: "- [x] Third\n  > why third\n\nexplanation:"),
            expected: ["t.md:5: multiple-choice prompt must say how many to choose, e.g. '(Choose TWO.)'"]),
        ErrorCase(
            name: "unknown topic", text: replacing("topic: overview", with: "topic: overviw"),
            expected: ["t.md:2: unknown topic 'overviw'; did you mean overview?"]),
        ErrorCase(
            name: "missing topic", text: replacing("topic: overview\n", with: ""),
            expected: ["t.md:1: missing 'topic:'; name at least one content topic id"]),
        ErrorCase(
            name: "unknown kind", text: replacing("kind: single", with: "kind: singel"),
            expected: ["t.md:3: unknown kind 'singel'; did you mean single?"]),
        ErrorCase(
            name: "missing kind", text: replacing("kind: single\n", with: ""),
            expected: ["t.md:1: missing 'kind:' (single, multiple, ordering, numeric or recall)"]),
        ErrorCase(
            name: "unknown field", text: replacing("kind: single", with: "kind: single\ntopc: overview"),
            expected: ["t.md:4: unknown field 'topc'; did you mean topic, topics?"]),
        ErrorCase(
            name: "repeated field", text: replacing("kind: single", with: "kind: single\nkind: single"),
            expected: ["t.md:4: field 'kind' given twice; first on line 3"]),
        ErrorCase(
            name: "prompt without a blank line after the fields",
            text: replacing("kind: single\n\nPrompt text.", with: "kind: single\nPrompt text."),
            expected: [
                "t.md:1: empty prompt; write the scenario after the fields and a blank line",
                "t.md:4: expected 'field: value' before the prompt, found 'Prompt text.' (end the fields with a blank line)",
            ]),
        ErrorCase(
            name: "empty prompt", text: replacing("Prompt text.\n", with: ""),
            expected: ["t.md:1: empty prompt; write the scenario after the fields and a blank line"]),
        ErrorCase(
            name: "option without explanation", text: replacing("  > why right\n", with: ""),
            expected: ["t.md:7: option 'Right' has no explanation; add an indented '  > why' line"]),
        ErrorCase(
            name: "malformed option box", text: replacing("- [ ] Wrong", with: "- [y] Wrong"),
            expected: ["t.md:9: malformed option '- [y] Wrong'; use '- [x] text', '- [ ] text' or, for ordering, '- [1] text'"]),
        ErrorCase(
            name: "repeated option", text: replacing("- [ ] Wrong", with: "- [ ] right"),
            expected: ["t.md:9: option 'right' repeats line 7"]),
        ErrorCase(
            name: "too few options", text: replacing("- [ ] Wrong\n  > why wrong\n", with: ""),
            expected: ["t.md:7: single-choice question needs at least 2 options, found 1"]),
        ErrorCase(
            name: "missing overall explanation", text: replacing("\nexplanation:\nBecause.", with: ""),
            expected: ["t.md:1: missing overall explanation; add an 'explanation:' section after the options"]),
        ErrorCase(
            name: "empty overall explanation", text: replacing("Because.", with: ""),
            expected: ["t.md:12: missing overall explanation; add an 'explanation:' section after the options"]),
        ErrorCase(
            name: "stray line among options", text: replacing("- [ ] Wrong", with: "Oops\n- [ ] Wrong"),
            expected: ["t.md:9: unexpected line 'Oops'; options start with '- [', explanations are indented '  > '"]),
        ErrorCase(
            name: "invalid id", text: replacing("## q1", with: "## Q 1"),
            expected: ["t.md:1: id 'Q 1' must be lowercase letters, digits and hyphens"]),
        ErrorCase(
            name: "heading without id", text: replacing("## q1", with: "##"),
            expected: ["t.md:1: question heading has no id; write '## some-id'"]),
        ErrorCase(
            name: "duplicate id in one file", text: valid + "\n\n" + valid,
            expected: ["t.md:15: duplicate id 'q1'; first defined at t.md:1"]),
        ErrorCase(
            name: "answer field on a choice question", text: replacing("kind: single", with: "kind: single\nanswer: 2"),
            expected: ["t.md:4: field 'answer' does not apply to a single-choice question"]),
        ErrorCase(
            name: "step position in a choice question", text: replacing("- [ ] Wrong", with: "- [2] Wrong"),
            expected: ["t.md:9: step position '[2]' in a choice question; use '[x]' or '[ ]'"]),
        ErrorCase(
            name: "no questions", text: "# Only a title\n\nSome notes.\n",
            expected: ["t.md: bank file has no questions; start each with '## id'"]),
    ]

    @Test(arguments: errorCases)
    func reportsEachProblemWithItsLineAndMessage(_ errorCase: ErrorCase) {
        #expect(bankProblems(errorCase.text) == errorCase.expected)
    }

    static let ordering = """
        ## order
        topic: gateway-load-balancer-inspection-vpc-pattern
        kind: ordering

        Order them.

        - [2] B
        - [1] A
        - [3] C

        explanation:
        Because.
        """

    static let orderingCases: [ErrorCase] = [
        ErrorCase(
            name: "steps listed in order",
            text: replacing("- [2] B\n- [1] A", with: "- [1] A\n- [2] B", in: ordering),
            expected: ["t.md:7: steps are listed in their correct order, which gives the answer away; shuffle them"]),
        ErrorCase(
            name: "repeated position", text: replacing("- [3] C", with: "- [2] C", in: ordering),
            expected: ["t.md:9: step position 2 repeats line 7"]),
        ErrorCase(
            name: "position out of range", text: replacing("- [3] C", with: "- [4] C", in: ordering),
            expected: ["t.md:9: step position 4 is outside 1...3"]),
        ErrorCase(
            name: "checkbox in ordering", text: replacing("- [3] C", with: "- [x] C", in: ordering),
            expected: ["t.md:9: ordering steps take their correct position, e.g. '- [2] text', not a checkbox"]),
        ErrorCase(
            name: "two steps", text: replacing("- [3] C\n", with: "", in: ordering),
            expected: ["t.md:7: ordering question needs at least 3 options, found 2"]),
    ]

    @Test(arguments: orderingCases)
    func reportsOrderingProblems(_ errorCase: ErrorCase) {
        #expect(bankProblems(errorCase.text) == errorCase.expected)
    }

    static let numeric = """
        ## pods
        topic: amazon-eks-networking/vpc-cni-plugin
        kind: numeric
        answer: 29

        How many?

        explanation:
        3 × 9 + 2.
        """

    static let numericCases: [ErrorCase] = [
        ErrorCase(
            name: "answer not a number", text: replacing("answer: 29", with: "answer: about 29", in: numeric),
            expected: ["t.md:4: numeric answer 'about 29' is not a whole number"]),
        ErrorCase(
            name: "missing answer field", text: replacing("answer: 29\n", with: "", in: numeric),
            expected: ["t.md:1: numeric question needs an 'answer:' field"]),
        ErrorCase(
            name: "options on a numeric question",
            text: replacing("How many?", with: "How many?\n\n- [x] 29\n  > yes\n- [ ] 30\n  > no", in: numeric),
            expected: ["t.md:8: numeric question takes no options; put the answer in 'answer:'"]),
        ErrorCase(
            name: "unit on a recall question",
            text: replacing("kind: numeric\nanswer: 29", with: "kind: recall\nanswer: 29\nunit: pods", in: numeric),
            expected: ["t.md:5: field 'unit' does not apply to a recall question"]),
    ]

    @Test(arguments: numericCases)
    func reportsNumericAndRecallProblems(_ errorCase: ErrorCase) {
        #expect(bankProblems(errorCase.text) == errorCase.expected)
    }

    @Test func reportsEveryProblemInAFileNotJustTheFirst() {
        let broken = Self.replacing("topic: overview", with: "topic: nope")
            .replacingOccurrences(of: "  > why wrong\n", with: "")
        let second = Self.replacing("## q1", with: "## q2").replacingOccurrences(of: "kind: single", with: "kind: odd")
        let problems = bankProblems(broken + "\n\n" + second)
        #expect(
            problems == [
                "t.md:2: unknown topic 'nope'",
                "t.md:9: option 'Wrong' has no explanation; add an indented '  > why' line",
                "t.md:16: unknown kind 'odd'",
            ])
    }

    @Test func aQuestionWithAProblemIsLeftOutAndTheOthersKept() {
        let text = Self.replacing("topic: overview", with: "topic: nope") + "\n\n" + Self.replacing("## q1", with: "## q2")
        let result = BankParser(knownTopics: SubjectTopics.known, strict: false).parse(QuizFile(name: "t.md", text: text))
        #expect(result.questions.map(\.id) == ["q2"])
        #expect(result.problems.count == 1)
    }

    @Test func reportsAnIdDefinedInTwoFilesNamingBothPlaces() {
        let files = [QuizFile(name: "a.md", text: Self.valid), QuizFile(name: "b.md", text: "\n" + Self.valid)]
        let result = BankParser(knownTopics: SubjectTopics.known, strict: false).parse(files)
        #expect(result.problems.map(\.description) == ["b.md:2: duplicate id 'q1'; first defined at a.md:1"])
        #expect(result.questions.map(\.source) == [.bank(file: "a.md", id: "q1")])
    }

    @Test func throwsEveryProblemAsOneLocalizedError() {
        let text =
            Self.replacing("- [x] Right", with: "- [ ] Right") + "\n\n"
            + Self.replacing("## q1", with: "## q2").replacingOccurrences(of: "topic: overview", with: "topic: x")
        let result = BankParser(knownTopics: SubjectTopics.known, strict: false).parse(QuizFile(name: "t.md", text: text))
        #expect(throws: BankError.self) { try result.get() }
        do {
            _ = try result.get()
        } catch {
            #expect(
                error.localizedDescription == """
                    t.md:7: no option is marked correct; mark the answer with '[x]'
                    t.md:16: unknown topic 'x'
                    """)
        }
    }

    @Test(
        arguments: [
            ("(Choose TWO.)", 2), ("choose three of the options", 3), ("Select 2 answers", 2), ("Pick any", nil),
        ] as [(String, Int?)])
    func readsTheChooseCountFromThePrompt(_ prompt: String, _ expected: Int?) {
        let text = """
            ## q
            topic: overview
            kind: multiple

            \(prompt)

            - [x] A
              > a
            - [x] B
              > b
            - [ ] C
              > c

            explanation:
            Because.
            """
        let problems = bankProblems(text)
        switch expected {
        case 2?: #expect(problems.isEmpty)
        case let count?: #expect(problems == ["t.md:7: prompt says Choose \(BankIssue.word(count)) but 2 options are marked [x]"])
        case nil: #expect(problems == ["t.md:5: multiple-choice prompt must say how many to choose, e.g. '(Choose TWO.)'"])
        }
    }
}
