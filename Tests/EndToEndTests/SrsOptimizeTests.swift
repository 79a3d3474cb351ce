import Foundation
import Testing

/// `srs optimize` and `srs evaluate` as a learner uses them.
@Suite struct SrsOptimize {
    static let fixtureLog = Sapro.repoRoot.appendingPathComponent("Tests/SaproCoreTests/Fixtures/srs/optimizer/small.jsonl")
    static let utc = ["TZ": "UTC"]

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// A data directory with a simulated history of drill reviews.
    func history(reviews: Int = 4000, cards: Int = 400, days: Int = 90) throws -> URL {
        let dir = Sapro.temporaryDirectory()
        let made = try Sapro.run(
            ["dev", "simulate-history", "--cards", "\(cards)", "--reviews", "\(reviews)", "--days", "\(days)"], dataDir: dir)
        #expect(made.status == 0, "\(made.stderr)")
        return dir
    }

    @Test func aLogFileIsFittedAndReportedAsJSONWithTheReferencesDefaultScore() throws {
        let run = try Sapro.run(["srs", "optimize", "--log", Self.fixtureLog.path, "--json"], environment: Self.utc)
        #expect(run.status == 0, "\(run.stderr)")
        let out = try json(run.stdout)
        let parameters = try #require(out["parameters"] as? [Double])
        #expect(parameters.count == 21)
        #expect(out["reviews"] as? Int == 419)
        #expect(out["items"] as? Int == 304)
        let logLoss = try #require(out["logLoss"] as? [String: Double])
        let rmse = try #require(out["rmseBins"] as? [String: Double])
        // fsrs-rs's evaluate of the default parameters on this log (small.fsrs-rs.json).
        #expect(abs(logLoss["before"]! - 0.3039282560348511) < 1e-5)
        #expect(abs(rmse["before"]! - 0.07766925543546677) < 1e-5)
        #expect(logLoss["after"]! < logLoss["before"]!)
        #expect(out["adopted"] as? Bool == false, "--log never changes the settings")
    }

    @Test func aFitIsAdoptedShownInSettingsUsedByEvaluateAndUndoneWithSetParametersDefault() throws {
        let dir = try history()
        let dry = try Sapro.run(["srs", "optimize", "--dry-run"], dataDir: dir)
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("before (defaults)") && dry.stdout.contains("Dry run: nothing changed."))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("settings.json").path))

        let real = try json(try Sapro.run(["srs", "optimize", "--json"], dataDir: dir).stdout)
        #expect(real["adopted"] as? Bool == true)
        let fitted = try #require(real["parameters"] as? [Double])
        let settings = try Sapro.run(["settings"], dataDir: dir).stdout
        let line = try #require(settings.split(separator: "\n").first { $0.hasPrefix("parameters") })
        #expect(line.contains("fitted") && line.contains(String(format: "%.4f", fitted[0])), "\(line)")

        // Evaluate scores the parameters in use now: the fitted ones.
        let evaluated = try json(try Sapro.run(["srs", "evaluate", "--json"], dataDir: dir).stdout)
        let after = try #require(real["logLoss"] as? [String: Double])["after"]!
        #expect(abs(try #require(evaluated["logLoss"] as? Double) - after) < 1e-12)
        #expect((evaluated["intervals"] as? [Any])?.isEmpty == false)

        // The report's retention table now predicts with them.
        let report = try Sapro.run(["report"], dataDir: dir).stdout
        #expect(report.contains("| since previous review | reviews | recalled | observed | predicted |"))
        #expect(report.contains("with the fitted ("), "\(report)")

        let reset = try Sapro.run(["set", "parameters", "default"], dataDir: dir)
        #expect(reset.stdout == "parameters = default (FSRS-6)\n")
        let again = try json(try Sapro.run(["srs", "evaluate", "--json"], dataDir: dir).stdout)
        let before = try #require(real["logLoss"] as? [String: Double])["before"]!
        #expect(abs(try #require(again["logLoss"] as? Double) - before) < 1e-12)
    }

    @Test func tooLittleDataKeepsTheDefaultsAndSaysWhy() throws {
        let dir = Sapro.temporaryDirectory()
        let run = try Sapro.run(["srs", "optimize"], dataDir: dir)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("Too little data to fit anything (0 usable training items, fewer than 8)"), "\(run.stdout)")
        #expect(run.stdout.contains("Nothing changed."))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("settings.json").path))
    }

    @Test func parametersOutsideThePublishedBoundsAreRefusedWhereverTheyComeFrom() throws {
        var weights = [0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796]
        weights += [1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542]
        weights[7] = 0.9  // w7 is at most 0.75
        let text = weights.map { String($0) }.joined(separator: ",")
        let dir = Sapro.temporaryDirectory()
        for arguments in [["set", "parameters", text], ["srs", "evaluate", "--parameters", text]] {
            let run = try Sapro.run(arguments, dataDir: dir)
            #expect(run.status != 0)
            #expect(run.stderr.contains("w[7] = 0.9 is outside [0.001, 0.75]"), "\(arguments[0]): \(run.stderr)")
        }
        let replay = try Sapro.run(["srs", "replay", "--parameters", text], input: "")
        #expect(replay.status != 0 && replay.stderr.contains("w[7] = 0.9"))

        // A hand-edited settings file: named with the problem, the defaults used, the file kept.
        let file = dir.appendingPathComponent("settings.json")
        let edited = #"{"schemaVersion": 1, "fittedParameters": {"weights": [\#(text)]}}"#
        try Data(edited.utf8).write(to: file)
        let settings = try Sapro.run(["settings"], dataDir: dir)
        #expect(settings.stderr.contains("settings.json") && settings.stderr.contains("w[7] = 0.9"), "\(settings.stderr)")
        #expect(settings.stdout.contains("default (FSRS-6)"))
        #expect(try String(contentsOf: file, encoding: .utf8) == edited)
    }

    @Test func ctrlCDuringTheFitCancelsItAndChangesNothing() throws {
        let dir = try history(reviews: 60_000, cards: 5000, days: 900)
        let settings = dir.appendingPathComponent("settings.json")
        let before = #"{"desiredRetention": 0.9, "schemaVersion": 1}"#
        try Data(before.utf8).write(to: settings)

        let process = Process()
        process.executableURL = Sapro.binary
        process.arguments = ["srs", "optimize", "--data-dir", dir.path]
        var env = ProcessInfo.processInfo.environment
        env["SAPRO_SHARE"] = Sapro.repoRoot.path
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Wait for the line printed just before the fit starts, then press Ctrl-C.
        var seen = Data()
        while !String(decoding: seen, as: UTF8.self).contains("Fitting FSRS-6") {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen += chunk
        }
        kill(process.processIdentifier, SIGINT)
        let rest = out.fileHandleForReading.readDataToEndOfFile()
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1, "\(String(decoding: seen + rest, as: UTF8.self)) \(errors)")
        #expect(errors.contains("the fit was cancelled; nothing was changed"), "\(errors)")
        #expect(!String(decoding: rest, as: UTF8.self).contains("Adopted"))
        #expect(try String(contentsOf: settings, encoding: .utf8) == before)
    }
}
