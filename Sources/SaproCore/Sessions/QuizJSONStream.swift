import Foundation

/// Why writing a quiz as JSON stopped.
public enum QuizStreamError: Error, Sendable {
    /// The quiz could not be built (see `QuizError`); batches before it may have been written.
    case quiz(QuizError)
    /// Writing failed.
    case write(FileWriteError)
}

extension QuizBuilder {
    /// Builds a quiz and writes it to `file` as JSON while it is built: the generators encode their
    /// questions on their own threads (`QuizJSONWriter.encode`) and a `PipelineStage` writes the
    /// batches in order, so the quiz is never held whole. A failed write stops the build. The
    /// caller commits or discards `file`.
    public func writeJSON(
        count: Int, seed: UInt64, topics: [String] = [], generatorIDs: [String] = [], to file: OutputFile
    ) throws(QuizStreamError) {
        let output = JSONOutput(file)
        let writer = PipelineStage<[[UInt8]]>(label: "sapro.quiz.writer") { batch in output.write(batch) }
        do throws(QuizError) {
            try stream(
                count: count, seed: seed, topics: topics, generatorIDs: generatorIDs, batchSize: 256,
                prepare: QuizJSONWriter.encode
            ) { batch in
                writer.submit(batch)
                return !writer.stopped
            }
        } catch {
            writer.finish()
            throw .quiz(error)
        }
        writer.finish()
        if let failure = output.finish(seed: seed) { throw .write(failure) }
    }
}

/// The JSON writer and the output file, used only by the writer stage (then by `finish`).
private final class JSONOutput: @unchecked Sendable {
    private let file: OutputFile
    private var json = QuizJSONWriter(capacity: 1 << 20)
    private var failure: FileWriteError?

    init(_ file: OutputFile) {
        self.file = file
        json.begin()
    }

    /// Writes questions already encoded by `QuizJSONWriter.encode`; false once a write failed.
    func write(_ batch: [[UInt8]]) -> Bool {
        for index in batch.indices { json.append(encoded: batch[index]) }
        flush()
        return failure == nil
    }

    /// Ends the quiz; the first write error, if any.
    func finish(seed: UInt64) -> FileWriteError? {
        json.end(seed: seed)
        flush()
        return failure
    }

    private func flush() {
        guard failure == nil else { return json.removeAll() }
        do throws(FileWriteError) {
            try file.write(json.buffer)
        } catch {
            failure = error
        }
        json.removeAll()
    }
}
