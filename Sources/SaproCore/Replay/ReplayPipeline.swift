import Foundation

/// The replay as three stages in order, each on its own thread: the caller's thread reads and
/// scans lines, one `PipelineStage` schedules, the next formats and writes. Reading and writing
/// are passed in (the library opens no files and writes to no terminal).
public enum ReplayPipeline {
    /// How a replay ended.
    public enum Outcome: Sendable, Equatable {
        case finished
        /// A bad line; every review before it was replayed and written.
        case badLine(ReplayError)
        /// `read` failed with this message.
        case readFailed(String)
    }

    /// Replays what `read` gives (it fills the buffer and returns the byte count, 0 at the end,
    /// or throws a message) and hands each formatted batch to `write`, in order.
    public static func run(
        engine: ReplayEngine, chunkSize: Int = 1 << 20,
        read: (UnsafeMutableRawBufferPointer) -> Result<Int, ReplayReadError>,
        write: @escaping @Sendable ([UInt8]) -> Void
    ) -> Outcome {
        let stages = Stages(engine: engine, write: write)
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        var scanner = ReplayScanner()
        var readError: String?
        reading: while !stages.stopped {
            let count: Int
            switch chunk.withUnsafeMutableBytes({ read($0) }) {
            case .failure(let error):
                readError = error.message
                break reading
            case .success(let n):
                count = n
            }
            var batch = ScannedReviews()
            if count == 0 {
                scanner.finish(into: &batch)
                stages.schedule(batch)
                break reading
            }
            chunk.withUnsafeBytes { raw in scanner.scan(UnsafeRawBufferPointer(rebasing: raw[0..<count]), into: &batch) }
            stages.schedule(batch)
            if batch.error != nil { break reading }
        }
        let failure = stages.finish()
        if let readError { return .readFailed(readError) }
        if let failure { return .badLine(failure) }
        return .finished
    }

    /// The scheduling and writing stages.
    private final class Stages: @unchecked Sendable {
        // The engine and the first error are touched only by the scheduling stage's body (and by
        // `finish`, after it).
        private var engine: ReplayEngine
        private var failure: ReplayError?
        private let writer: PipelineStage<([ReplayRecord], ReplayCardIDs)>
        private var scheduler: PipelineStage<ScannedReviews>!

        init(engine: ReplayEngine, write: @escaping @Sendable ([UInt8]) -> Void) {
            self.engine = engine
            writer = PipelineStage(label: "sapro.replay.write") { work in
                var output: [UInt8] = []
                ReplayFormatter.append(work.0, ids: work.1, to: &output)
                write(output)
                return true
            }
            scheduler = PipelineStage(label: "sapro.replay.schedule") { [unowned self] batch in
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

        var stopped: Bool { scheduler.stopped }

        func schedule(_ batch: ScannedReviews) { scheduler.submit(batch) }

        func finish() -> ReplayError? {
            scheduler.finish()
            writer.finish()
            return failure
        }
    }
}

/// Why reading replay input failed, in words.
public struct ReplayReadError: Error, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
}
