import Foundation
import Testing
@testable import SaproCore

private let fsrs = try! FSRSScheduler()

private func replay(_ lines: [String], scheduler: FSRSScheduler = fsrs, fuzz: SplitMix64? = nil) -> (
    output: [String], error: ReplayError?
) {
    let result = ReplayEngine.replay(lines.joined(separator: "\n") + "\n", scheduler: scheduler, fuzz: fuzz)
    return (result.output.split(separator: "\n").map(String.init), result.error)
}

extension Scheduling {
    @Suite struct Replay {
        @Test func firstLineOfACardStartsItAsNewAndPrintsItsState() {
            let result = replay([#"{"card": "c1", "time": "2024-03-01T15:46:00Z", "rating": 3}"#])
            #expect(result.error == nil)
            #expect(
                result.output == [
                    #"{"card":"c1","state":"learning","step":1,"stability":2.3065,"difficulty":2.118103970459016,"due":"2024-03-01T15:56:00Z"}"#
                ])
        }

        @Test func cardsInterleaveAndKeepTheirOwnState() {
            let result = replay([
                #"{"card": "a", "time": "2024-03-01T15:46:00Z", "rating": 3}"#,
                #"{"card": "b", "time": "2024-03-01T15:47:00Z", "rating": 1}"#,
                #"{"card": "a", "time": "2024-03-01T15:57:00Z", "rating": 3}"#,
            ])
            #expect(result.error == nil)
            #expect(result.output.count == 3)
            #expect(result.output[1].hasPrefix(#"{"card":"b","state":"learning","step":0,"#))
            #expect(result.output[2].hasPrefix(#"{"card":"a","state":"review","step":null,"#))
        }

        @Test func badLineStopsTheRunNamingItsLineNumberAndKeepsEarlierOutput() {
            let result = replay([
                #"{"card": "a", "time": "2024-03-01T15:46:00Z", "rating": 3}"#,
                "",
                #"{"card": "a", "time": "2024-03-01T15:57:00Z", "rating": 7}"#,
                #"{"card": "a", "time": "2024-03-02T15:57:00Z", "rating": 3}"#,
            ])
            #expect(result.output.count == 1)
            #expect(result.error == .invalidRating(line: 3, value: "7"))
            #expect(result.error?.errorDescription == "line 3: rating must be an integer from 1 to 4, got 7")
        }

        @Test(arguments: [
            (
                #"{"card": "a", "time": "2024-03-01T15:46:00Z", "rating": 3"#,
                "line 1: not a JSON object: unexpected end of line, expected ',' or '}' at column 58"
            ),
            (#"{"card": "a", "rating": 3}"#, #"line 1: missing key "time""#),
            (#"{"time": "2024-03-01T15:46:00Z", "rating": 3}"#, #"line 1: missing key "card""#),
            (#"{"card": "a", "time": "2024-03-01T15:46:00Z"}"#, #"line 1: missing key "rating""#),
            (
                #"{"card": "a", "time": "2024-02-30T15:46:00Z", "rating": 3}"#,
                #"line 1: time must be ISO 8601 like 2024-03-01T15:46:00Z, got "2024-02-30T15:46:00Z""#
            ),
            (#"{"card": "a", "time": 12, "rating": 3}"#, "line 1: time must be ISO 8601 like 2024-03-01T15:46:00Z, got 12"),
            (
                #"{"card": "a", "time": "2024-03-01T15:46:00Z", "rating": "3"}"#,
                #"line 1: rating must be an integer from 1 to 4, got "3""#
            ),
            (
                #"{"card": "a", "time": "2024-03-01T15:46:00Z", "rating": 0}"#,
                "line 1: rating must be an integer from 1 to 4, got 0"
            ),
            (
                #"{"card": null, "time": "2024-03-01T15:46:00Z", "rating": 3}"#,
                "line 1: card must be a string or an integer, got null"
            ),
            ("[1, 2]", "line 1: not a JSON object: expected '{' at column 1"),
        ])
        func eachKindOfBadLineHasAClearMessage(line: String, message: String) {
            #expect(replay([line]).error?.errorDescription == message)
        }

        @Test func aReviewEarlierThanTheCardsLastOneIsRefused() {
            let result = replay([
                #"{"card": "a", "time": "2024-03-01T15:46:00Z", "rating": 3}"#,
                #"{"card": "b", "time": "2024-03-01T10:00:00Z", "rating": 3}"#,
                #"{"card": "a", "time": "2024-03-01T15:45:59Z", "rating": 3}"#,
            ])
            #expect(result.output.count == 2)
            #expect(
                result.error
                    == .timeBeforeLastReview(
                        line: 3, card: "a", time: "2024-03-01T15:45:59Z", lastReview: "2024-03-01T15:46:00Z"))
        }

        @Test func emptyLearningStepsGraduateOnTheFirstAnswer() throws {
            let none = try FSRSScheduler(parameters: FSRSParameters(learningSteps: []))
            let result = replay([#"{"card": "a", "time": "2024-03-01T15:46:00Z", "rating": 3}"#], scheduler: none)
            #expect(
                result.output == [
                    #"{"card":"a","state":"review","step":null,"stability":2.3065,"difficulty":2.118103970459016,"due":"2024-03-03T15:46:00Z"}"#
                ])
        }

        @Test func offsetsFractionsAndExtraKeysAreAccepted() {
            let result = replay([
                #"  { "note" : {"x": [1, "}"]}, "rating" : 4 , "time" : "2024-03-01T17:46:00.750+02:00", "card" : "é\"q" }  "#
            ])
            #expect(result.error == nil)
            #expect(result.output.first?.hasPrefix(#"{"card":"é\"q","state":"review""#) == true)
            #expect(result.output.first?.hasSuffix(#""due":"2024-03-09T15:46:00Z"}"#) == true)
        }

        @Test func inputSplitAcrossChunksAnywhereGivesTheSameOutput() throws {
            let text = (0..<40).map { i in
                #"{"card": "c\#(i % 7)", "time": "2024-03-\#(String(format: "%02d", 1 + i / 2))T08:00:00Z", "rating": \#(1 + i % 4)}"#
            }.joined(separator: "\r\n")
            let whole = ReplayEngine.replay(text, scheduler: fsrs)
            #expect(whole.error == nil)
            let bytes = Array(text.utf8)
            for size in [1, 2, 7, 64, 1000] {
                var engine = ReplayEngine(scheduler: fsrs)
                var output: [UInt8] = []
                var offset = 0
                while offset < bytes.count {
                    let end = min(offset + size, bytes.count)
                    try engine.consume(Array(bytes[offset..<end]), into: &output)
                    offset = end
                }
                try engine.finish(into: &output)
                #expect(String(decoding: output, as: UTF8.self) == whole.output, "chunk size \(size)")
                #expect(engine.reviewCount == 40)
                #expect(engine.cardCount == 7)
            }
        }

        @Test func recordsFormattedLaterMatchTheDirectOutput() throws {
            let text = (0..<30).map { i in
                #"{"card": "c\#(i % 4)", "time": "2024-04-\#(String(format: "%02d", 1 + i))T08:00:00Z", "rating": \#(1 + i % 4)}"#
            }.joined(separator: "\n")
            var engine = ReplayEngine(scheduler: fsrs)
            var records: [ReplayRecord] = []
            var failure: ReplayError?
            Array(text.utf8).withUnsafeBytes { raw in
                do throws(ReplayError) { try engine.consume(raw, records: &records) } catch { failure = error }
            }
            #expect(failure == nil)
            try engine.finish(records: &records)
            #expect(records.count == 30)
            #expect(engine.cardIDs.count == 4)
            var output: [UInt8] = []
            ReplayFormatter.append(records, ids: engine.cardIDs, to: &output)
            #expect(String(decoding: output, as: UTF8.self) == ReplayEngine.replay(text, scheduler: fsrs).output)
            let last = try #require(engine.card("c1"))
            #expect(last.lastReview == Date(timeIntervalSince1970: 1_711_958_400 + 29 * 86_400))
            #expect(engine.card("nope") == nil)
        }

        @Test func cachedDayTextMatchesTheCalendarForAnyDate() {
            var cache = DayTextCache()
            var random = SplitMix64(seed: 5)
            var times: [Double] = [
                0, -1, -0.5, 86_399.999_999, 253_402_300_799, 253_402_300_800, -62_167_219_200, -62_167_219_201,
            ]
            for _ in 0..<20_000 {
                // From about year -1200 to 11500, with fractions; neighbours share days.
                times.append(
                    Double(Int64(random.next() % 400_000_000_000) - 100_000_000_000) + Double(random.next() % 1000) / 1000)
                times.append(times[times.count - 1] + 3600)
            }
            var mismatches: [String] = []
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { scratch in
                for time in times {
                    var sink = PointerSink(position: scratch.baseAddress!)
                    let date = Date(timeIntervalSince1970: time)
                    cache.append(date, to: &sink)
                    let text = String(
                        decoding: UnsafeBufferPointer(
                            start: scratch.baseAddress!, count: scratch.baseAddress!.distance(to: sink.position)), as: UTF8.self)
                    if text != ISOTime.format(date) { mismatches.append("\(time): \(text) vs \(ISOTime.format(date))") }
                }
            }
            #expect(mismatches.isEmpty, "\(mismatches.prefix(3))")
        }

        @Test func fuzzSeedMakesTheReplayReproducible() {
            var lines: [String] = []
            for d in 0..<60 {
                lines.append(
                    #"{"card": "c\#(d % 3)", "time": "2024-0\#(1 + d / 20)-\#(String(format: "%02d", 1 + d % 20))T08:00:00Z", "rating": 3}"#
                )
            }
            let a = replay(lines, fuzz: SplitMix64(seed: 1))
            let b = replay(lines, fuzz: SplitMix64(seed: 1))
            let plain = replay(lines)
            #expect(a.output == b.output)
            #expect(a.output != plain.output)
        }

        @Test(arguments: [
            (2.3065, "2.3065"), (10.0, "10.0"), (0.001, "0.001"), (0.0001, "0.0001"), (0.00001, "1e-05"),
            (1.5e-7, "1.5e-07"), (123456.789, "123456.789"), (1e15, "1000000000000000.0"), (1e16, "1e+16"),
            (2.118103970459016, "2.118103970459016"), (1.2345678901234567e20, "1.2345678901234567e+20"),
        ])
        func numbersPrintLikePythonRepr(value: Double, text: String) {
            #expect(ReplayEngine.shortestText(value) == text)
        }

        @Test func dueTimesPrintAsWholeSecondsInUTC() {
            #expect(ISOTime.format(Date(timeIntervalSince1970: 1_709_307_960.9)) == "2024-03-01T15:46:00Z")
            #expect(ISOTime.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
            #expect(ISOTime.format(Date(timeIntervalSince1970: 4_107_542_399)) == "2100-02-28T23:59:59Z")
        }
    }
}
