/// Counted nouns in generated text: "1 task", "2 tasks".
public enum Plural {
    /// `n` followed by the singular or plural form (`singular + "s"` unless given).
    public static func count(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(n) \(n == 1 ? singular : plural ?? singular + "s")"
    }
}
