import Foundation
import Testing

/// The first sequences of the shared reference vectors, replayed through the built binary.
@Test func srsReplayReproducesTheReferenceVectorsThroughTheBinary() throws {
    let url = Sapro.repoRoot.appendingPathComponent("Tests/SaproCoreTests/Fixtures/srs/sample-vectors.jsonl")
    let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").prefix(5)
    var input = ""
    var expected: [[String: Any]] = []
    for (n, line) in lines.enumerated() {
        let record = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
        for review in record["reviews"] as! [[Any]] {
            input += "{\"card\": \"v\(n)\", \"time\": \"\(review[0])\", \"rating\": \(review[1])}\n"
        }
        expected += record["expected"] as! [[String: Any]]
    }
    // Cards replayed one after another here; interleaving is covered by the unit tests.
    let result = try Sapro.run(["srs", "replay"], input: input)
    #expect(result.status == 0, "\(result.stderr)")
    let outputs = result.stdout.split(separator: "\n").map {
        try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
    }
    #expect(outputs.count == expected.count)
    for (out, want) in zip(outputs, expected) {
        #expect(out["state"] as? String == (want["state_name"] as! String).lowercased())
        #expect(out["due"] as? String == want["due"] as? String)
        let s = out["stability"] as! Double, ws = want["stability"] as! Double
        let d = out["difficulty"] as! Double, wd = want["difficulty"] as! Double
        #expect(abs(s - ws) <= 1e-9 * abs(ws) && abs(d - wd) <= 1e-9 * abs(wd))
    }
}

@Test func srsReplayStopsAtABadLineAndNamesIt() throws {
    let input = """
        {"card": "c1", "time": "2024-03-01T15:46:00Z", "rating": 3}
        {"card": "c1", "time": "yesterday", "rating": 3}
        {"card": "c1", "time": "2024-03-05T15:46:00Z", "rating": 3}

        """
    let result = try Sapro.run(["srs", "replay"], input: input)
    #expect(result.status == 1)
    #expect(result.stdout.split(separator: "\n").count == 1, "nothing after the bad line is guessed")
    #expect(result.stderr.hasPrefix("line 2: time must be ISO 8601"))
    let rating = try Sapro.run(
        ["srs", "replay"], input: "{\"card\": \"c\", \"time\": \"2024-03-01T15:46:00Z\", \"rating\": 5}\n")
    #expect(rating.status == 1 && rating.stderr.hasPrefix("line 1:"))
}

@Test func srsReplayKeepsOrderAcrossChunksAndStopsAtTheFirstBadReview() throws {
    // About 2 MB, so the input crosses read chunks and pipeline batches.
    var lines: [String] = []
    for i in 0..<30_000 {
        // Every 30 seconds from 2024-03-01, so each card's reviews move forward in time.
        let seconds = i * 30
        let time = String(
            format: "2024-03-%02dT%02d:%02d:%02dZ", 1 + seconds / 86_400, seconds % 86_400 / 3600, seconds % 3600 / 60,
            seconds % 60)
        lines.append(#"{"card": "c\#(i % 700)", "time": "\#(time)", "rating": \#(1 + i % 4)}"#)
    }
    let whole = try Sapro.run(["srs", "replay"], input: lines.joined(separator: "\n") + "\n")
    #expect(whole.status == 0)
    let outputs = whole.stdout.split(separator: "\n")
    #expect(outputs.count == 30_000)
    #expect(outputs[29_999].hasPrefix(#"{"card":"c599","#))

    // A review earlier than the card's last one, deep in the file: everything before it is
    // printed, in order, and nothing after.
    var broken = lines
    broken[20_000] = #"{"card": "c100", "time": "2024-03-01T00:00:00Z", "rating": 3}"#
    let stopped = try Sapro.run(["srs", "replay"], input: broken.joined(separator: "\n") + "\n")
    #expect(stopped.status == 1)
    #expect(stopped.stdout.split(separator: "\n") == Array(outputs[..<20_000]))
    #expect(stopped.stderr.hasPrefix("line 20001: review of card c100 at 2024-03-01T00:00:00Z is earlier"))

    // A malformed line in a later chunk: the same.
    broken = lines
    broken[25_000] = "{not json"
    let malformed = try Sapro.run(["srs", "replay"], input: broken.joined(separator: "\n") + "\n")
    #expect(malformed.status == 1)
    #expect(malformed.stdout.split(separator: "\n") == Array(outputs[..<25_000]))
    #expect(malformed.stderr.hasPrefix("line 25001: not a JSON object"))
}
