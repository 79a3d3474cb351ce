/// SaproCore holds all of sapro's domain logic: content, facts, questions, scheduling,
/// progress, sessions and reports. It never prints, reads the environment or reads the clock;
/// the `sapro` executable passes those in.
public enum SaproCore {
    /// The version reported by `sapro --version`.
    public static let version = "0.1.0"
}
