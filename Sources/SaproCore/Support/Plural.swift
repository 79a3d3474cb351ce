/// Counted nouns in generated text: "1 task", "2 tasks".
public enum Plural {
    /// `n` followed by the singular or plural form (`singular + "s"` unless given).
    public static func count(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(n) \(n == 1 ? singular : plural ?? singular + "s")"
    }

    /// `n` with a unit given in the plural (`pods`, `addresses`): singular for 1.
    public static func count(_ n: Int, unit plural: String) -> String {
        guard n == 1 else { return "\(n) \(plural)" }
        let singular =
            plural.hasSuffix("sses") ? String(plural.dropLast(2)) : plural.hasSuffix("s") ? String(plural.dropLast()) : plural
        return "1 \(singular)"
    }
}
