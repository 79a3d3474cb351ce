import Foundation

/// The language a document is written in, judged by its script, and the wording of the cards
/// made from it, so a Japanese note gives Japanese questions. Unknown scripts read as English.
public enum CardLanguage: String, Sendable, Hashable, Codable, CaseIterable {
    case english = "en"
    case japanese = "ja"
    case korean = "ko"
    case chinese = "zh"

    /// The language most of `text`'s letters are written in.
    public static func detect(_ text: String) -> CardLanguage {
        var letters = 0, hangul = 0, kana = 0, han = 0
        for scalar in text.unicodeScalars where scalar.properties.isAlphabetic {
            letters += 1
            switch scalar.value {
            case 0xAC00...0xD7AF, 0x1100...0x11FF, 0x3130...0x318F: hangul += 1
            case 0x3040...0x30FF, 0xFF66...0xFF9F: kana += 1
            case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF: han += 1
            default: break
            }
        }
        guard letters > 0, Double(hangul + kana + han) / Double(letters) >= 0.2 else { return .english }
        if hangul >= kana + han { return .korean }
        return kana > 0 ? .japanese : .chinese
    }

    /// `In awsvpc Mode, what about Security?`; an English label that asks (`What It Is`) is turned
    /// into the question itself (`What is awsvpc Mode?`).
    func labelled(topic: String, label: String) -> String {
        switch self {
        case .english:
            if let question = Self.englishQuestion(label: label, topic: topic) { return question }
            return "In \(topic), what about \(label)?"
        case .japanese: return "\(topic)について、\(label)は？"
        case .korean: return "\(topic)에서 \(label)은(는)?"
        case .chinese: return "关于\(topic)，\(label)是什么？"
        }
    }

    static func englishQuestion(label: String, topic: String) -> String? {
        let words = label.split(separator: " ").map(String.init)
        let asking = ["what", "how", "why", "when", "where", "who", "which"]
        guard let first = words.first, asking.contains(first.lowercased()) else { return nil }
        if words.count == 1 {
            let single = [
                "what": "What is \(topic)?", "why": "Why use \(topic)?", "when": "When to use \(topic)?",
                "how": "How does \(topic) work?", "where": "Where is \(topic) used?",
            ]
            return single[first.lowercased()]
        }
        let lower = words.map { $0.lowercased() }
        // `What It Is` → `What is T?`; `How It Works` → `How does T work?`; `When to Use` → `When to use T?`.
        if words.count >= 3, ["it", "they"].contains(lower[1]) {
            let verb = lower[2]
            let rest = words.dropFirst(3).joined(separator: " ")
            let tail = rest.isEmpty ? "" : " " + rest.lowercased()
            if ["is", "are", "was", "were"].contains(verb) { return "\(first) \(verb) \(topic)\(tail)?" }
            let base =
                verb.hasSuffix("es") && verb.count > 4
                ? String(verb.dropLast(2)) : verb.hasSuffix("s") ? String(verb.dropLast()) : verb
            return "\(first) does \(topic) \(base)\(tail)?"
        }
        return "\(first) \(lower.dropFirst().joined(separator: " ")) \(topic)?"
    }

    /// Whether a caption over ✅ / ❌ items says when to use the topic (`When to Use`, `Good for`,
    /// `向いている`), so the items answer "is it a good fit?"; under any other caption they do not.
    static func isFitCaption(_ caption: String?) -> Bool {
        guard let caption = caption?.lowercased() else { return false }
        let words = ["use", "fit", "good for", "best for", "ideal", "when", "choose", "適", "向", "使", "사용", "적합", "适", "选"]
        return words.contains { caption.contains($0) }
    }

    func fits(topic: String, text: String) -> String {
        switch self {
        case .english: return "Is \(topic) a good fit for \(Self.lowercasingFirst(text))?"
        case .japanese: return "\(topic)は「\(text)」に向いていますか？"
        case .korean: return "\(topic)은(는) '\(text)'에 적합합니까?"
        case .chinese: return "\(topic)适合“\(text)”吗？"
        }
    }

    var fitChoices: [String] {
        switch self {
        case .english: ["Yes, a good fit", "No, not a fit"]
        case .japanese: ["はい、向いている", "いいえ、向いていない"]
        case .korean: ["예, 적합하다", "아니요, 적합하지 않다"]
        case .chinese: ["是，适合", "否，不适合"]
        }
    }

    func list(topic: String, group: String, count: Int) -> String {
        switch self {
        case .english: return "In \(topic), which \(count) points are listed under \(group)?"
        case .japanese: return "\(topic)の「\(group)」に挙げられている\(count)項目は？"
        case .korean: return "\(topic)의 '\(group)'에 나열된 \(count)가지는?"
        case .chinese: return "\(topic)的“\(group)”列出了哪\(count)点？"
        }
    }

    func cell(table: String, row: String, column: String) -> String {
        switch self {
        case .english: return "In \(table), what is the \(column) for \(row)?"
        case .japanese: return "\(table)：\(row)の\(column)は？"
        case .korean: return "\(table): \(row)의 \(column)은(는)?"
        case .chinese: return "\(table)：\(row)的\(column)是什么？"
        }
    }

    func order(topic: String, caption: String) -> String {
        switch self {
        case .english:
            return caption == topic
                ? "Put the steps of \(topic) in order." : "In \(topic), put the steps of “\(caption)” in order."
        case .japanese: return "\(topic)：「\(caption)」の手順を正しい順に並べてください。"
        case .korean: return "\(topic): '\(caption)'의 단계를 순서대로 놓으세요."
        case .chinese: return "\(topic)：把“\(caption)”的步骤按顺序排列。"
        }
    }

    func tree(topic: String, trail: String) -> String {
        switch self {
        case .english:
            let tree = topic.lowercased().contains("tree") ? "the \(topic)" : "the decision tree of \(topic)"
            return "In \(tree): \(trail). Where do you end up?"
        case .japanese: return "\(topic)の判断ツリー：\(trail)。結論は？"
        case .korean: return "\(topic) 결정 트리: \(trail). 결론은?"
        case .chinese: return "\(topic)的决策树：\(trail)。结论是什么？"
        }
    }

    var networkModeQuestion: String {
        switch self {
        case .english: "Which network mode does this task definition use?"
        case .japanese: "このタスク定義のネットワークモードは？"
        case .korean: "이 작업 정의의 네트워크 모드는?"
        case .chinese: "这个任务定义使用哪种网络模式？"
        }
    }

    var manifestKindQuestion: String {
        switch self {
        case .english: "What kind of Kubernetes object does this manifest create?"
        case .japanese: "このマニフェストが作成するKubernetesオブジェクトの種類は？"
        case .korean: "이 매니페스트가 만드는 Kubernetes 객체의 종류는?"
        case .chinese: "这个清单创建哪种Kubernetes对象？"
        }
    }

    func choose(_ count: Int) -> String {
        switch self {
        case .english: "(Choose \(count).)"
        case .japanese: "（\(count)つ選択）"
        case .korean: "(\(count)개 선택)"
        case .chinese: "（选择\(count)项）"
        }
    }

    /// `Microservices requiring…` → `microservices requiring…`; `VPC`, `ECS` and `Lambda@Edge` stay.
    static func lowercasingFirst(_ text: String) -> String {
        guard let first = text.first, first.isUppercase else { return text }
        let second = text.dropFirst().first
        guard let second, second.isLowercase else { return text }
        let word = text.prefix { $0 != " " }
        // A name with capitals inside (`CloudWatch`) keeps its case.
        if word.dropFirst().contains(where: \.isUppercase) { return text }
        return first.lowercased() + text.dropFirst()
    }
}
