import Foundation
import Testing
@testable import SaproCore

/// Fixture files written by the reference tool under different settings.
private let fixtureFiles = [
    "sample-vectors.jsonl",  // the 20 shared sample sequences
    "default-300.jsonl",  // --sample 300 --seed 7
    "retention-0.8.jsonl",  // --desired-retention 0.8
    "retention-0.95.jsonl",  // --desired-retention 0.95
    "no-learning-steps.jsonl",  // --learning-steps ""
    "three-learning-steps.jsonl",  // --learning-steps 60,600,3600
    "no-relearning-steps.jsonl",  // --relearning-steps ""
    "maximum-interval-30.jsonl",  // --maximum-interval 30
    "odd-steps.jsonl",  // --learning-steps 600 --relearning-steps 601,1800
]

/// Replays `sequence` through the scheduler, recording every disagreement with py-fsrs.
func mismatches(in sequence: ReferenceSequence) throws -> [String] {
    let scheduler = try FSRSScheduler(parameters: sequence.parameters)
    var card = SchedulingCard.new(due: sequence.reviews[0].time)
    var problems: [String] = []
    for (i, (review, expected)) in zip(sequence.reviews, sequence.expected).enumerated() {
        card = scheduler.review(card, rating: review.rating, at: review.time)
        let memory = try #require(card.memory)
        if card.state != expected.state || card.step != expected.step
            || !close(memory.stability, expected.stability) || !close(memory.difficulty, expected.difficulty)
            || !sameSecond(card.due, expected.due)
        {
            problems.append(
                "sequence \(sequence.id) review \(i): got \(card.state) step \(String(describing: card.step)) "
                    + "S=\(memory.stability) D=\(memory.difficulty) due \(card.due), expected \(expected)")
        }
    }
    return problems
}

extension Scheduling {
    @Suite struct FSRSReferenceVectors {
        @Test(arguments: fixtureFiles)
        func everyReviewMatchesPyFSRSToTheBit(file: String) throws {
            let sequences = try ReferenceSequence.fixture(file)
            #expect(!sequences.isEmpty)
            var problems: [String] = []
            for sequence in sequences { problems += try mismatches(in: sequence) }
            #expect(problems.isEmpty, "\(problems.count) mismatches, first: \(problems.prefix(3))")
        }

        @Test(arguments: fixtureFiles)
        func replayEngineOutputMatchesPyFSRSWithCardsInterleaved(file: String) throws {
            let sequences = try ReferenceSequence.fixture(file)
            let scheduler = try FSRSScheduler(parameters: sequences[0].parameters)
            // Round-robin over the cards, so lines of different cards alternate.
            var lines: [String] = []
            var expected: [(card: String, ReferenceSequence.Expected)] = []
            let longest = sequences.map(\.reviews.count).max() ?? 0
            for k in 0..<longest {
                for sequence in sequences where k < sequence.reviews.count {
                    let review = sequence.reviews[k]
                    lines.append(
                        #"{"card": "s\#(sequence.id)", "time": "\#(ISOTime.format(review.time))", "rating": \#(review.rating.rawValue)}"#
                    )
                    expected.append(("s\(sequence.id)", sequence.expected[k]))
                }
            }
            let result = ReplayEngine.replay(lines.joined(separator: "\n") + "\n", scheduler: scheduler)
            #expect(result.error == nil)
            let rows = result.output.split(separator: "\n")
            #expect(rows.count == expected.count)
            var problems = 0
            for (row, (card, want)) in zip(rows, expected) {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(row.utf8)) as? [String: Any])
                let ok =
                    object["card"] as? String == card && object["state"] as? String == want.state.rawValue
                    && object["step"] as? Int == want.step
                    && (object["stability"] as? Double).map { close($0, want.stability) } == true
                    && (object["difficulty"] as? Double).map { close($0, want.difficulty) } == true
                    && (object["due"] as? String).map { sameSecond(try! ReferenceSequence.parseTime($0), want.due) } == true
                if !ok {
                    problems += 1
                    if problems <= 3 { Issue.record("mismatch: \(row) vs \(want)") }
                }
            }
            #expect(problems == 0)
        }
    }
}

// MARK: - Live comparison with py-fsrs

/// The reference tool, shipped with the fixtures.
private var referenceTool: URL? {
    Bundle.module.resourceURL?.appendingPathComponent("Fixtures/srs/fsrs-reference.py")
}

private func python(_ arguments: [String]) -> Data? { runPython(arguments) }

/// Whether py-fsrs 6.3.2 can be imported here.
private let pyFSRSAvailable: Bool = {
    let version = python(["-c", "import importlib.metadata as m; print(m.version('fsrs'))"])
    return version.map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) } == "6.3.2"
}()

extension Scheduling {
    @Suite struct LivePyFSRS {
        @Test(
            "fresh random histories from py-fsrs agree with the port",
            .enabled(if: pyFSRSAvailable, "python3 with fsrs==6.3.2 is not installed"),
            arguments: [
                [String](),
                ["--desired-retention", "0.85", "--learning-steps", "30,300,1200"],
                ["--relearning-steps", "", "--maximum-interval", "400"],
                ["--learning-steps", "", "--desired-retention", "0.97"],
            ])
        func freshRandomHistoriesAgreeWithLivePyFSRS(options: [String]) throws {
            let seed = UInt64.random(in: 1...UInt64(Int32.max))
            let tool = try #require(referenceTool).path
            let data = try #require(python([tool, "--sample", "80", "--seed", "\(seed)"] + options), "reference tool failed")
            let sequences = try ReferenceSequence.parse(jsonLines: data)
            #expect(sequences.count == 80)
            var problems: [String] = []
            for sequence in sequences { problems += try mismatches(in: sequence) }
            #expect(problems.isEmpty, "seed \(seed) \(options): \(problems.prefix(3))")
        }
    }
}
