import ArgumentParser
import Foundation
import SaproCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

struct Srs: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "srs",
        abstract: "Spaced-repetition tools.",
        subcommands: [Replay.self])

    struct Replay: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "replay",
            abstract: "Replay a JSON Lines review log through FSRS-6 and print each card's state.",
            discussion: """
                Each input line is {"card": "c1", "time": "2024-03-01T15:46:00Z", "rating": 3} with \
                ratings 1 (again) to 4 (easy); a card is new at its first line. Each output line is \
                {"card","state","step","stability","difficulty","due"}. A bad line stops the replay \
                with its line number on stderr and exit status 1; output for earlier lines is kept.
                """)

        @Argument(help: "A JSON Lines file (default: standard input).") var file: String?
        @Option(help: "Target probability of recall when a card comes due, from 0.01 to 1.")
        var desiredRetention = 0.9
        @Option(help: "Learning steps, e.g. 1m,10m (units s, m, h, d; each at most 365d; empty or none for no steps).")
        var learningSteps = "1m,10m"
        @Option(help: "Relearning steps, e.g. 10m (empty or none for no steps).") var relearningSteps = "10m"
        @Option(help: "Longest review interval in days, from 1 to 36500.") var maximumInterval = 36500
        @Option(help: "Fuzz review intervals with this seed (default: no fuzz).") var fuzzSeed: UInt64?

        func validate() throws {
            _ = try parameters()
        }

        func parameters() throws -> FSRSParameters {
            try OptionRange.check(desiredRetention, 0.01...1, "--desired-retention")
            try OptionRange.check(maximumInterval, 1...36500, "--maximum-interval")
            // The same step rule as the settings: whole durations, each at most a year.
            guard let learning = Settings.parseSteps(learningSteps) else {
                throw ValidationError("--learning-steps: '\(learningSteps)' is not a list like 1m,10m of steps up to 365d")
            }
            guard let relearning = Settings.parseSteps(relearningSteps) else {
                throw ValidationError("--relearning-steps: '\(relearningSteps)' is not a list like 10m of steps up to 365d")
            }
            let parameters = FSRSParameters(
                desiredRetention: desiredRetention, learningSteps: learning, relearningSteps: relearning,
                maximumInterval: maximumInterval)
            do {
                try parameters.validate()
            } catch {
                throw ValidationError(error.localizedDescription)
            }
            return parameters
        }

        func run() throws {
            let scheduler = FSRSScheduler(unchecked: try parameters())
            let engine = ReplayEngine(scheduler: scheduler, fuzz: fuzzSeed.map(SplitMix64.init(seed:)))

            let input: Int32
            if let file {
                input = open(file, O_RDONLY)
                guard input >= 0 else { throw fail("cannot open \(file): \(String(cString: strerror(errno)))") }
            } else {
                input = STDIN_FILENO
            }
            defer { if file != nil { close(input) } }

            // Three stages, each on its own thread, in order: this thread reads and scans lines,
            // a serial queue schedules, another formats and writes. Semaphores keep a few batches
            // in flight between stages.
            let stages = ReplayStages(engine: engine)
            let chunkSize = 1 << 20
            var chunk = [UInt8](repeating: 0, count: chunkSize)
            var scanner = ReplayScanner()
            var readError: String?
            while !stages.stopped {
                let count = chunk.withUnsafeMutableBytes { read(input, $0.baseAddress, chunkSize) }
                if count < 0 {
                    if errno == EINTR { continue }
                    readError = "cannot read input: \(String(cString: strerror(errno)))"
                    break
                }
                var batch = ScannedReviews()
                if count == 0 {
                    scanner.finish(into: &batch)
                    stages.schedule(batch)
                    break
                }
                chunk.withUnsafeBytes { raw in scanner.scan(UnsafeRawBufferPointer(rebasing: raw[0..<count]), into: &batch) }
                stages.schedule(batch)
                if batch.error != nil { break }
            }
            let failure = stages.finish()
            if let readError { throw fail(readError) }
            if let failure {
                Terminal.warn(failure.errorDescription ?? "\(failure)")
                throw ExitCode.failure
            }
        }

        /// The scheduling and writing stages of a replay, each a `PipelineStage`: this thread
        /// reads and scans, one stage schedules, the next formats and writes, batches in order.
        private final class ReplayStages: @unchecked Sendable {
            // The engine and the first error are touched only by the scheduling stage's body
            // (and by `finish`, after it).
            private var engine: ReplayEngine
            private var failure: ReplayError?
            private let writer = PipelineStage<([ReplayRecord], ReplayCardIDs)>(label: "sapro.srs.replay.write") { work in
                var output: [UInt8] = []
                ReplayFormatter.append(work.0, ids: work.1, to: &output)
                Replay.writeAll(output)
                return true
            }
            private var scheduler: PipelineStage<ScannedReviews>!

            init(engine: ReplayEngine) {
                self.engine = engine
                scheduler = PipelineStage(label: "sapro.srs.replay.schedule") { [unowned self] batch in
                    var records: [ReplayRecord] = []
                    do throws(ReplayError) {
                        try self.engine.apply(batch, records: &records)
                    } catch {
                        self.failure = error
                    }
                    if !records.isEmpty { self.writer.submit((records, self.engine.cardIDs)) }
                    return self.failure == nil
                }
            }

            /// True once a review failed: reading more is pointless.
            var stopped: Bool { scheduler.stopped }

            /// Schedules `batch` after the batches before it, then formats and writes the result.
            func schedule(_ batch: ScannedReviews) { scheduler.submit(batch) }

            /// Waits for every batch to be scheduled and written; the first bad review, if any.
            func finish() -> ReplayError? {
                scheduler.finish()
                writer.finish()
                return failure
            }
        }

        /// Writes all of `bytes` to standard output; a failed write ends the process.
        fileprivate static func writeAll(_ bytes: [UInt8]) {
            do throws(FileWriteError) {
                try OutputFile.standardOutput().write(bytes)
            } catch {
                Terminal.warn("error: \(error.localizedDescription)")
                Foundation.exit(1)
            }
        }
    }
}
