import Foundation

/// sapro's questions as Anki notes: a deck per document (the first part of the topic), a subdeck
/// per topic, one of three note types, the answer, explanation, correction and source on the back.
public enum AnkiExport {
    /// The notes of `questions`, in their order.
    public static func notes(_ questions: [Question], root: String = "sapro") -> [AnkiNote] {
        questions.map { note($0, root: root) }
    }

    static func note(_ q: Question, root: String) -> AnkiNote {
        let explanation = q.explanation.map(html).joined(separator: "<br>")
        let source = q.explanation.last { $0.hasPrefix("Source:") }.map(html) ?? ""
        let erratum = q.erratum.map(html) ?? ""
        let letters = (0..<26).map { String(UnicodeScalar(UInt8(65 + $0))) }
        let type: AnkiNoteType
        let fields: [String]
        switch q.body {
        case .recall(let answer):
            type = .recall
            fields = [html(q.prompt), html(answer), explanation, source, erratum]
        case .numeric(let answer, let unit):
            type = .recall
            fields = [html(q.prompt), html(unit.map { "\(answer) \($0)" } ?? "\(answer)"), explanation, source, erratum]
        case .singleChoice(let choices, let correct):
            type = .choice
            fields = [
                html(q.prompt), options(choices, letters), "\(letters[correct]). \(html(choices[correct].text))", explanation,
                source, erratum,
            ]
        case .multipleChoice(let choices, let correct):
            type = .choice
            fields = [
                html(q.prompt), options(choices, letters),
                correct.sorted().map { "\(letters[$0]). \(html(choices[$0].text))" }.joined(separator: "<br>"), explanation,
                source, erratum,
            ]
        case .ordering(let items, let order):
            type = .ordering
            fields = [
                html(q.prompt), items.enumerated().map { "\($0.offset + 1). \(html($0.element))" }.joined(separator: "<br>"),
                order.map { "\($0 + 1). \(html(items[$0]))" }.joined(separator: "<br>"), explanation, source, erratum,
            ]
        }
        let topic = q.topics.first ?? "other"
        let deck = ([root] + topic.split(separator: "/").map(String.init)).joined(separator: "::")
        var tags = ["sapro", "sapro::\(q.kind.rawValue)"]
        if let domain = q.domain { tags.append("sapro::domain::\(domain.rawValue)") }
        if q.erratum != nil { tags.append("sapro::corrected") }
        return AnkiNote(guid: "sapro:\(q.id)", type: type, fields: fields, tags: tags, deck: deck)
    }

    static func options(_ choices: [Choice], _ letters: [String]) -> String {
        choices.enumerated().map { "\(letters[$0.offset]). \(html($0.element.text))" }.joined(separator: "<br>")
    }

    /// Plain text as HTML: escaped, line breaks kept.
    static func html(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\n": out += "<br>"
            case "\u{1f}": out += " "
            default: out.append(c)
            }
        }
        return out
    }
}
