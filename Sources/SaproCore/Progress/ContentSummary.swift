import Foundation

/// What the REPL needs of the content before its first prompt (the ids of topics and cards, the
/// instance types, the problems to warn of), kept in `cache/content.json` in the data directory.
/// With it, a start with a learner's notes shows the prompt at once and loads the library on
/// another thread while the learner reads it. Only a cache: a missing, damaged or stale file is
/// ignored and written anew.
public struct ContentSummary: Codable, Sendable, Equatable {
    public static let schemaVersion = 1
    public static let fileName = "cache/content.json"

    public var schemaVersion: Int
    /// `ContentLoader.key` of the files this sums up.
    public var key: String
    public var topicIDs: [String]
    public var cardIDs: [String]
    public var instanceTypes: [String]
    /// The problems loading found.
    public var problems: [ContentProblem]

    public init(key: String, loaded: ContentLoader.Loaded, cardIDs: [String]) {
        self.schemaVersion = Self.schemaVersion
        self.key = key
        self.topicIDs = loaded.library.topicIDs
        self.cardIDs = cardIDs
        self.instanceTypes = loaded.catalog.types.map(\.name)
        self.problems = loaded.problems
    }

    /// The summary kept in `directory` when it sums up the files of `key`; nil otherwise (no
    /// file, another key, another schema, or a file that cannot be read as one).
    public static func read(from directory: URL, key: String) -> ContentSummary? {
        let url = directory.appendingPathComponent(fileName)
        guard FileKind.of(url.path) == .file, let data = FileManager.default.contents(atPath: url.path),
            let summary = try? JSONDecoder().decode(ContentSummary.self, from: data),
            summary.schemaVersion == schemaVersion, summary.key == key
        else { return nil }
        return summary
    }

    /// Writes the summary to `directory` atomically, making its `cache` folder when needed. Only
    /// a file is replaced: a named pipe or a device in its place is left alone (writing to one
    /// could block or go nowhere).
    public func save(to directory: URL) throws(ProgressError) {
        let url = directory.appendingPathComponent(Self.fileName)
        let kind = FileKind.of(url.path)
        guard kind == .missing || kind == .file else {
            throw .corrupt(file: url.path, line: nil, reason: "it is \(kind.phrase), not a file")
        }
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw .io(file: url.deletingLastPathComponent().path, operation: "create", errno: errno == 0 ? EIO : errno)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(self)) ?? Data()
        try AtomicFile.write(data + Data("\n".utf8), to: url)
    }
}
