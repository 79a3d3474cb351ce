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
        subcommands: [Replay.self, Optimize.self, Evaluate.self])

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
        @Option(name: .customLong("parameters"), help: "21 comma-separated FSRS-6 weights (default: py-fsrs 6.3.2's).")
        var weights: String?

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
            var chosen = FSRSParameters.defaultWeights
            if let text = weights {
                do {
                    chosen = try FSRSParameters.parseWeights(text)
                } catch {
                    throw ValidationError("--parameters: \(error.localizedDescription)")
                }
            }
            let parameters = FSRSParameters(
                weights: chosen, desiredRetention: desiredRetention, learningSteps: learning, relearningSteps: relearning,
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

            let outcome = ReplayPipeline.run(
                engine: engine,
                read: { buffer in
                    while true {
                        let n = Foundation.read(input, buffer.baseAddress, buffer.count)
                        if n >= 0 { return .success(n) }
                        if errno != EINTR {
                            return .failure(ReplayReadError("cannot read input: \(String(cString: strerror(errno)))"))
                        }
                    }
                },
                write: { Replay.writeAll($0) })
            switch outcome {
            case .finished: break
            case .readFailed(let message): throw fail(message)
            case .badLine(let failure):
                Terminal.warn(failure.errorDescription ?? "\(failure)")
                throw ExitCode.failure
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
