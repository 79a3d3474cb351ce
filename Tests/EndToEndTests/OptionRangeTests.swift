import Foundation
import Testing

/// Every numeric option is range-checked where it is parsed: just outside its range it is refused
/// with a message naming the range (exit 64, nothing run); at its limits it works.
@Suite struct NumericOptionsAtTheirExtremes {
    static let outside: [(arguments: [String], message: String)] = [
        (["srs", "replay", "--desired-retention", "0.005"], "--desired-retention must be from 0.01 to 1.0"),
        (["srs", "replay", "--desired-retention", "1.01"], "--desired-retention must be from 0.01 to 1.0"),
        (["srs", "replay", "--desired-retention", "1e-300"], "--desired-retention must be from 0.01 to 1.0"),
        (["srs", "replay", "--desired-retention", "nan"], "--desired-retention must be from 0.01 to 1.0"),
        (["srs", "replay", "--maximum-interval", "0"], "--maximum-interval must be from 1 to 36500"),
        (["srs", "replay", "--maximum-interval", "1000000000"], "--maximum-interval must be from 1 to 36500"),
        (["srs", "replay", "--learning-steps", "99999999d"], "--learning-steps: '99999999d' is not a list"),
        (["srs", "replay", "--relearning-steps", "366d"], "--relearning-steps: '366d' is not a list"),
        (["quiz", "generate", "--count", "0", "--format", "json"], "--count must be from 1 to 10000000"),
        (["quiz", "generate", "--count", "10000001", "--format", "json"], "--count must be from 1 to 10000000"),
        (["quiz", "0"], "the question count must be from 1 to 500"),
        (["quiz", "501"], "the question count must be from 1 to 500"),
        (["drill", "--limit", "0"], "--limit must be from 1 to 1000"),
        (["drill", "--limit", "1001"], "--limit must be from 1 to 1000"),
        (["exam", "start", "--questions", "0"], "--questions must be from 1 to 500"),
        (["exam", "start", "--questions", "501"], "--questions must be from 1 to 500"),
        (["exam", "start", "--minutes", "0"], "--minutes must be from 1 to 600"),
        (["exam", "start", "--minutes", "601"], "--minutes must be from 1 to 600"),
        (["search", "vpc", "--limit", "0"], "--limit must be from 1 to 1000"),
        (["search", "vpc", "--limit", "1001"], "--limit must be from 1 to 1000"),
        (["dev", "simulate-history", "--days", "0"], "--days must be from 1 to 36500"),
        (["dev", "simulate-history", "--cards", "0"], "--cards must be from 1 to 1000000"),
        (["dev", "append", "--count=-1"], "--count must be from 0 to 10000000"),
    ]

    @Test(arguments: outside)
    func aValueJustOutsideItsRangeIsRefusedWithTheRange(arguments: [String], message: String) throws {
        let result = try Sapro.run(arguments, input: "")
        #expect(result.status == 64, "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
    }

    @Test func settingsRefuseValuesOutsideTheirRangesAndNameThem() throws {
        let dir = Sapro.temporaryDirectory()
        for (key, value) in [
            ("desired-retention", "0.69"), ("desired-retention", "1e-300"), ("new-cards-per-day", "1001"),
            ("maximum-interval", "36501"), ("fast-answer", "0"), ("slow-answer", "3601"),
            ("learning-steps", "366d"),
        ] {
            let result = try Sapro.run(["set", key, value], dataDir: dir)
            #expect(result.status != 0, "\(key) \(value)")
            #expect(result.stderr.contains(key), "\(key) \(value): \(result.stderr)")
        }
    }

    /// The crash of the structure issue: extreme but allowed settings replay a review without dying.
    @Test func theReplayAtItsLimitsSchedulesEveryRating() throws {
        let lines = (1...4).map { #"{"card":"c","time":"2024-01-0\#($0)T00:00:00Z","rating":\#($0 == 1 ? 3 : $0)}"# }
        let input = lines.joined(separator: "\n") + "\n"
        for options in [
            ["--desired-retention", "0.01", "--maximum-interval", "36500", "--learning-steps", "none"],
            ["--desired-retention", "1", "--maximum-interval", "1"],
            ["--learning-steps", "365d", "--relearning-steps", "365d"],
        ] {
            let result = try Sapro.run(["srs", "replay"] + options, input: input)
            #expect(result.status == 0, "\(options): \(result.stderr)")
            #expect(result.stdout.split(separator: "\n").count == 4, "\(options)")
        }
        let hard = try Sapro.run(
            ["srs", "replay", "--learning-steps", "365d"], input: #"{"card":"c","time":"2024-01-01T00:00:00Z","rating":2}"# + "\n"
        )
        #expect(hard.status == 0, "\(hard.stderr)")
    }
}
