import Foundation

/// Reads the documents, errata and facts from content directories. It sits with the facts, the
/// layer above the content, because it builds the instance catalog too.
public enum ContentLoader {
    /// Everything loaded, with every problem found along the way.
    public struct Loaded: Sendable {
        public var library: ContentLibrary
        public var catalog: InstanceCatalog
        public var problems: [ContentProblem]
    }

    /// Loads every `*.md` (documents) and `*.errata.md` (errata) under `directories`, then under
    /// `notes` (a learner's own documents, whose topic ids are scoped by document), recursively, in
    /// file-name order, and the instance catalog from `facts/*.csv`. `displayName` names files in
    /// messages.
    public static func load(directories: [URL], notes: [URL] = [], displayName: (URL) -> String = { $0.path }) -> Loaded {
        var documents: [ParsedDocument] = []
        var errata: [Erratum] = []
        var problems: [ContentProblem] = []
        var catalogTypes: [InstanceType] = []
        var seenTopics: [String: SourceLocation] = [:]
        let fm = FileManager.default
        for (directoryIndex, directory) in (directories + notes).enumerated() {
            let scoped = directoryIndex >= directories.count
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: directory.path, isDirectory: &isDir), isDir.boolValue else {
                problems.append(
                    ContentProblem(
                        file: displayName(directory), line: 0,
                        message: fm.fileExists(atPath: directory.path) ? "not a directory" : "no such content directory"))
                continue
            }
            let files = (fm.enumerator(at: directory, includingPropertiesForKeys: nil)?.allObjects as? [URL] ?? [])
                .filter { !$0.hasDirectoryPath }
                .sorted { $0.path < $1.path }
            for url in files {
                let name = displayName(url)
                let ext = url.pathExtension.lowercased()
                guard ext == "md" || ext == "csv", !url.lastPathComponent.hasPrefix("."),
                    url.lastPathComponent.lowercased() != "readme.md"
                else { continue }
                guard let data = fm.contents(atPath: url.path) else {
                    problems.append(ContentProblem(file: name, line: 0, message: "cannot be read"))
                    continue
                }
                let text: String
                switch DocumentParser.decode(Array(data), file: name) {
                case .success(let decoded): text = decoded
                case .failure(let problem):
                    problems.append(problem)
                    continue
                }
                if ext == "csv" {
                    do throws(FactsError) {
                        catalogTypes += try InstanceCatalog.parse(csv: text, file: name).types
                    } catch {
                        if case let .badCatalog(file, line, message) = error {
                            problems.append(ContentProblem(file: file, line: line, message: message))
                        }
                    }
                } else if url.lastPathComponent.lowercased().hasSuffix(".errata.md") {
                    let parsed = ErrataParser.parse(text, file: name)
                    errata += parsed.errata
                    problems += parsed.problems
                } else {
                    let stem = String(url.lastPathComponent.dropLast(3))
                    let doc = DocumentParser.parse(text, file: name, stem: stem, scoped: scoped)
                    problems += doc.problems
                    // A note's ids all start with its file name, so only two notes of one name (in
                    // two folders) can clash: the second is left out whole rather than in part.
                    if scoped, let clash = doc.topics.first(where: { seenTopics[$0.id] != nil }) {
                        problems.append(
                            ContentProblem(
                                file: name, line: 0,
                                message:
                                    "a document of the same name is already loaded (\(seenTopics[clash.id]!.file)); rename one of them to load both"
                            ))
                        continue
                    }
                    var kept = doc
                    kept.topics = []
                    for topic in doc.topics {
                        if let first = seenTopics[topic.id] {
                            problems.append(
                                ContentProblem(
                                    file: name, line: topic.location.line,
                                    message: "topic id '\(topic.id)' is already defined at \(first); rename this heading"))
                            continue
                        }
                        seenTopics[topic.id] = topic.location
                        kept.topics.append(topic)
                    }
                    documents.append(kept)
                }
            }
        }
        let library = ContentLibrary(documents: documents, errata: errata)
        let unmatched = Set(library.unmatchedErrata.map(\.id))
        for erratum in library.errata {
            if unmatched.contains(erratum.id) {
                problems.append(
                    ContentProblem(
                        file: erratum.location.file, line: erratum.location.line,
                        message: "erratum '\(erratum.id)' matches no statement in the documents"))
            } else {
                for quote in library.unmatchedQuotes[erratum.id] ?? [] {
                    problems.append(
                        ContentProblem(
                            file: erratum.location.file, line: erratum.location.line,
                            message:
                                "erratum '\(erratum.id)': the quote '\(quote.clipped())' matches no statement in the documents"))
                }
            }
        }
        return Loaded(library: library, catalog: InstanceCatalog(types: catalogTypes), problems: problems)
    }
}
