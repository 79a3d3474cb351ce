import Foundation
@testable import SaproCore

/// What fsrs-rs 6.6.1 (fsrs-rs-python 0.9.3) computed on a fixture log, written by
/// `Fixtures/srs/optimizer/oracle.py` with the shared `fsrs_items.py`.
struct FSRSRSOutput: Decodable {
    struct Metrics: Decodable {
        var log_loss: Double
        var rmse_bins: Double
    }
    struct Fit: Decodable {
        var parameters: [Double]
        var log_loss: Double
        var rmse_bins: Double
        var default_log_loss: Double
        var default_rmse_bins: Double
    }
    struct Filtered: Decodable {
        var initialization: Int
        var train: Int
    }
    /// One item: card id, then (rating, delta_t) pairs.
    struct Item: Decodable {
        var card: String
        var reviews: [[Int]]
        init(from decoder: Decoder) throws {
            var c = try decoder.unkeyedContainer()
            card = try c.decode(String.self)
            reviews = try c.decode([[Int]].self)
        }
    }

    var reviews: Int
    var items: [Item]?
    var memory: [[Double]]?
    var evaluate: Metrics?
    var filtered: Filtered?
    var fit: Fit?
    /// The parameters `memory` and `evaluate` used, when not the defaults.
    var parameters: [Double]?

    static func load(_ name: String) throws -> FSRSRSOutput {
        try JSONDecoder().decode(FSRSRSOutput.self, from: Data(contentsOf: Repo.fixture("srs/optimizer/\(name)")))
    }
}

enum OptimizerFixtures {
    /// The fixture logs, from the shared `simulate_history.py` (py-fsrs 6.3.2 learner).
    static let logs = ["tiny", "pretrain", "small", "medium"]

    static func reviews(_ name: String) throws -> [LoggedReview] {
        let bytes = try [UInt8](Data(contentsOf: Repo.fixture("srs/optimizer/\(name).jsonl")))
        return try LoggedReview.parse(jsonLines: bytes)
    }

    static func set(_ name: String) throws -> TrainingSet { TrainingSet(reviews: try reviews(name)) }
}

/// The shared oracle scripts (`shared/srs/optimizer`), looked for beside the repository and its
/// parents; `nil` on a machine without them.
let sharedOptimizerScripts: URL? = {
    var dir = Repo.root
    while dir.path != "/" {
        let candidate = dir.appendingPathComponent("shared/srs/optimizer")
        if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("fsrs_items.py").path) {
            return candidate
        }
        dir.deleteLastPathComponent()
    }
    return nil
}()

/// Whether fsrs-rs-python 0.9.3 imports and the shared scripts are present.
let fsrsRSAvailable: Bool = {
    guard sharedOptimizerScripts != nil else { return false }
    let version = runPython(["-c", "import importlib.metadata as m; print(m.version('fsrs-rs-python'))"])
    return version.map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
        == "0.9.3"
}()
