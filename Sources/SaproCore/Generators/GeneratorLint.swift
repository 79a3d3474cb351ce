/// `QuestionLint` over a sample of every generator's questions, for `content check`.
public enum GeneratorLint {
    /// Problems in the first `count` seeds of each generator, as `generator ID seed S: message`;
    /// a seed whose question cannot be built is a problem too.
    public static func problems(catalog: GeneratorCatalog, count: Int = 200) -> [String] {
        var found: [String] = []
        for generator in Generators.all {
            for seed in 0..<UInt64(count) {
                do {
                    let question = try generator.generate(catalog: catalog, seed: seed)
                    for message in QuestionLint.problems(in: question) {
                        found.append("generator \(generator.id) seed \(seed): \(message)")
                    }
                } catch {
                    found.append("generator \(generator.id) seed \(seed): \(error.localizedDescription)")
                }
            }
        }
        return found
    }
}
