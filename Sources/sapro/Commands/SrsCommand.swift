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
        @Option(help: "Target probability of recall when a card comes due, above 0 and at most 1.")
        var desiredRetention = 0.9
        @Option(help: "Learning steps, e.g. 1m,10m (units s, m, h, d; empty or none for no steps).")
        var learningSteps = "1m,10m"
        @Option(help: "Relearning steps, e.g. 10m (empty or none for no steps).") var relearningSteps = "10m"
        @Option(help: "Longest review interval in days.") var maximumInterval = 36500
        @Option(help: "Fuzz review intervals with this seed (default: no fuzz).") var fuzzSeed: UInt64?

        func validate() throws {
            _ = try parameters()
        }

        func parameters() throws -> FSRSParameters {
            guard let learning = StepList.parse(learningSteps) else {
                throw ValidationError("--learning-steps: '\(learningSteps)' is not a list like 1m,10m")
            }
            guard let relearning = StepList.parse(relearningSteps) else {
                throw ValidationError("--relearning-steps: '\(relearningSteps)' is not a list like 10m")
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
            var engine = ReplayEngine(scheduler: scheduler, fuzz: fuzzSeed.map(SplitMix64.init(seed:)))

            let input: Int32
            if let file {
                input = open(file, O_RDONLY)
                guard input >= 0 else { throw fail("cannot open \(file): \(String(cString: strerror(errno)))") }
            } else {
                input = STDIN_FILENO
            }
            defer { if file != nil { close(input) } }

            // Two stages: this thread parses and schedules, a serial queue formats and writes, in
            // order. A semaphore keeps at most a few batches in flight.
            let writer = DispatchQueue(label: "sapro.srs.replay.writer")
            let inFlight = DispatchSemaphore(value: 4)
            func emit(_ records: [ReplayRecord], _ ids: ReplayCardIDs) {
                guard !records.isEmpty else { return }
                inFlight.wait()
                writer.async {
                    var output: [UInt8] = []
                    ReplayFormatter.append(records, ids: ids, to: &output)
                    Self.writeAll(output)
                    inFlight.signal()
                }
            }

            let chunkSize = 1 << 20
            var chunk = [UInt8](repeating: 0, count: chunkSize)
            var records: [ReplayRecord] = []
            do {
                while true {
                    let count = chunk.withUnsafeMutableBytes { read(input, $0.baseAddress, chunkSize) }
                    if count < 0 {
                        if errno == EINTR { continue }
                        writer.sync {}
                        throw fail("cannot read input: \(String(cString: strerror(errno)))")
                    }
                    if count == 0 { break }
                    var failure: ReplayError?
                    chunk.withUnsafeBytes { raw in
                        do throws(ReplayError) {
                            try engine.consume(UnsafeRawBufferPointer(rebasing: raw[0..<count]), records: &records)
                        } catch {
                            failure = error
                        }
                    }
                    if let failure { throw failure }
                    emit(records, engine.cardIDs)
                    records = []
                }
                try engine.finish(records: &records)
                emit(records, engine.cardIDs)
                writer.sync {}
            } catch let error as ReplayError {
                emit(records, engine.cardIDs)
                writer.sync {}
                Terminal.warn(error.errorDescription ?? "\(error)")
                throw ExitCode.failure
            }
        }

        /// Writes all of `bytes` to standard output; a failed write ends the process.
        private static func writeAll(_ bytes: [UInt8]) {
            bytes.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let written = write(STDOUT_FILENO, raw.baseAddress! + offset, raw.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        Terminal.warn("error: cannot write output: \(String(cString: strerror(errno)))")
                        Foundation.exit(1)
                    }
                    offset += written
                }
            }
        }
    }
}
