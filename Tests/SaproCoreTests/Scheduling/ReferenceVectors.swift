import Foundation
import Testing
@testable import SaproCore

/// Every scheduling test lives under this suite, so `swift test --filter Scheduling` runs them all.
@Suite enum Scheduling {}

/// Review sequences with py-fsrs's expected state after each review, as written by
/// `Fixtures/srs/fsrs-reference.py --sample N --seed S`.
struct ReferenceSequence {
    struct Expected {
        var state: CardState
        var step: Int?
        var stability: Double
        var difficulty: Double
        var due: Date
    }

    var id: Int
    var parameters: FSRSParameters
    var reviews: [(time: Date, rating: Rating)]
    var expected: [Expected]

    struct BadFixture: Error, CustomStringConvertible {
        var description: String
    }

    /// `object[key]` as a `T`, or a thrown error naming the key.
    private static func field<T>(_ object: [String: Any], _ key: String, as type: T.Type = T.self) throws -> T {
        guard let value = object[key] as? T else { throw BadFixture(description: "bad or missing \(key)") }
        return value
    }

    /// Every sequence of a JSON Lines file of the reference tool.
    static func parse(jsonLines: Data) throws -> [ReferenceSequence] {
        try jsonLines.split(separator: UInt8(ascii: "\n")).map { line in
            guard let object = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else {
                throw BadFixture(description: "not an object")
            }
            let config: [String: Any] = try field(object, "config")
            let parameters = FSRSParameters(
                weights: try field(config, "parameters"),
                desiredRetention: try field(config, "desired_retention"),
                learningSteps: try field(config, "learning_steps"),
                relearningSteps: try field(config, "relearning_steps"),
                maximumInterval: try field(config, "maximum_interval"),
                enableFuzz: false)
            let pairs: [[Any]] = try field(object, "reviews")
            let reviews = try pairs.map { pair -> (time: Date, rating: Rating) in
                guard let time = pair[0] as? String, let raw = pair[1] as? Int, let rating = Rating(rawValue: raw) else {
                    throw BadFixture(description: "bad review \(pair)")
                }
                return (try parseTime(time), rating)
            }
            let rows: [[String: Any]] = try field(object, "expected")
            let expected = try rows.map { row in
                let name: String = try field(row, "state_name")
                guard let state = CardState(rawValue: name.lowercased()) else { throw BadFixture(description: name) }
                return Expected(
                    state: state, step: row["step"] as? Int, stability: try field(row, "stability"),
                    difficulty: try field(row, "difficulty"), due: try parseTime(try field(row, "due")))
            }
            return ReferenceSequence(id: try field(object, "id"), parameters: parameters, reviews: reviews, expected: expected)
        }
    }

    static func parseTime(_ text: String) throws -> Date {
        guard let date = Array(text.utf8).withUnsafeBufferPointer({ ISOTime.parse(utf8: $0) }) else {
            throw BadFixture(description: "bad time \(text)")
        }
        return date
    }

    static func fixture(_ name: String) throws -> [ReferenceSequence] {
        let url = try #require(Bundle.module.resourceURL).appendingPathComponent("Fixtures/srs/\(name)")
        return try parse(jsonLines: try Data(contentsOf: url))
    }
}

/// `a` and `b` agree to `tolerance` relative.
func close(_ a: Double, _ b: Double, tolerance: Double = 1e-9) -> Bool {
    abs(a - b) <= tolerance * max(abs(a), abs(b))
}

/// Whether two instants fall within the same second of each other (py-fsrs keeps microseconds,
/// the replay output whole seconds).
func sameSecond(_ a: Date, _ b: Date) -> Bool {
    abs(a.timeIntervalSince(b)) < 1
}
