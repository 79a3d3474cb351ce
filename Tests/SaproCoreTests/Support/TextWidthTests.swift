import Testing
@testable import SaproCore

/// Wrapping text for the terminal, in scripts with and without spaces between words.
@Suite struct WrappingText {
    @Test func englishBreaksOnlyAtSpacesAndALongWordStaysWhole() {
        #expect(
            TextWidth.wrap("Tasks in awsvpc mode get their own ENI", width: 16) == [
                "Tasks in awsvpc", "mode get their", "own ENI",
            ])
        #expect(
            TextWidth.wrap("arn:aws:ecs:us-east-1:123456789012:task/x", width: 10) == [
                "arn:aws:ecs:us-east-1:123456789012:task/x"
            ])
        #expect(TextWidth.wrap("", width: 10) == [""])
    }

    @Test func japaneseBreaksBetweenCharactersWithinTheWidthAndNotBeforeClosingPunctuation() {
        // 2 columns a character: 10 columns hold 5.
        let text = "各タスクに独自のネットワークインターフェイスが割り当てられます。"
        let lines = TextWidth.wrap(text, width: 10)
        #expect(lines == ["各タスクに", "独自のネッ", "トワークイ", "ンターフェ", "イスが割り", "当てられま", "す。"])
        #expect(lines.joined() == text)
        // A line that would start with 。 takes the character before it along.
        #expect(TextWidth.wrap("あいうえお。かき", width: 10) == ["あいうえ", "お。かき"])
        #expect(TextWidth.wrap("「あいうえお」", width: 10) == ["「あいうえ", "お」"])
    }

    @Test func mixedTextBreaksAtSpacesAndInsideCJKRuns() {
        let lines = TextWidth.wrap("VPC CNI の概要と設定方法について説明します", width: 20)
        #expect(lines.allSatisfy { TextWidth.of($0) <= 20 }, "\(lines)")
        #expect(lines.joined(separator: " ").replacingOccurrences(of: " ", with: "") == "VPCCNIの概要と設定方法について説明します")
        #expect(lines.first == "VPC CNI の概要と設定")
    }

    @Test func aLatinWordInsideJapaneseMovesDownWhole() {
        #expect(TextWidth.wrap("あいうえおENIかき", width: 12) == ["あいうえお", "ENIかき"])
        #expect(TextWidth.wrap("追加のENIが必要です", width: 8) == ["追加の", "ENIが必", "要です"])
    }

    /// Every line of the Japanese and Chinese notes, wrapped to 40 columns: no line is wider,
    /// but for a single Latin word that is (a URL), and nothing is lost.
    @Test(.enabled(if: corpusNotes != nil, "shared/corpus/notes is not beside the repository"))
    func theJapaneseNotesWrapWithinTheWidth() throws {
        let corpus = try #require(corpusNotes)
        var wrapped = 0
        for file in ["eks-bp-vpc-cni.ja.md", "kottiee-monitoring-fast-learn.ja.md"] {
            let text = try String(contentsOf: corpus.appendingPathComponent(file), encoding: .utf8)
            for line in text.split(separator: "\n").map(String.init) {
                let lines = TextWidth.wrap(line, width: 40)
                for out in lines where TextWidth.of(out) > 40 {
                    #expect(!out.contains(" ") && !out.contains(where: TextWidth.breaksAround), "\(file): \(out)")
                }
                #expect(
                    lines.joined().filter { $0 != " " } == line.filter { $0 != " " },
                    "\(file): \(line.prefix(40))")
                if lines.count > 1 { wrapped += 1 }
            }
        }
        #expect(wrapped > 50)
    }

    @Test func koreanKeepsItsSpacedWordsWhole() {
        #expect(TextWidth.wrap("사용자 지정 네트워킹을 사용합니다", width: 14) == ["사용자 지정", "네트워킹을", "사용합니다"])
    }
}
