import Foundation
import ZIPFoundation

/// Reads the documents, errata and facts from content directories. It sits with the facts, the
/// layer above the content, because it builds the instance catalog too.
public enum ContentLoader {
    /// Everything loaded, with every problem found along the way.
    public struct Loaded: Sendable {
        public var library: ContentLibrary
        public var catalog: InstanceCatalog
        public var problems: [ContentProblem]
        /// What was read: each file's kind, name, path, size and CRC-32, a line each (see `key`).
        public var digest: String = ""
    }

    /// A file `load` reads: its URL, its name in messages, and whether it is a learner's note.
    public struct SourceFile: Sendable {
        public var url: URL
        public var name: String
        public var scoped: Bool
    }

    /// The files `load` reads, in the order it reads them: every `*.md` and `*.csv` under
    /// `directories`, then under `notes`, recursively, in path order (no hidden files, no README).
    /// Directories that cannot be read are problems.
    public static func sourceFiles(
        directories: [URL], notes: [URL] = [], displayName: (URL) -> String = { $0.path }
    ) -> (files: [SourceFile], problems: [ContentProblem]) {
        let listed = listFiles(directories: directories, notes: notes, displayName: displayName)
        return (listed.files, listed.problems.map(\.problem))
    }

    /// `sourceFiles`, each problem with the number of files listed before it.
    static func listFiles(
        directories: [URL], notes: [URL], displayName: (URL) -> String
    ) -> (files: [SourceFile], problems: [(before: Int, problem: ContentProblem)]) {
        var found: [SourceFile] = []
        var problems: [(before: Int, problem: ContentProblem)] = []
        let fm = FileManager.default
        for (directoryIndex, directory) in (directories + notes).enumerated() {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: directory.path, isDirectory: &isDir), isDir.boolValue else {
                problems.append(
                    (
                        found.count,
                        ContentProblem(
                            file: displayName(directory), line: 0,
                            message: fm.fileExists(atPath: directory.path) ? "not a directory" : "no such content directory")
                    ))
                continue
            }
            let files = (fm.enumerator(at: directory, includingPropertiesForKeys: nil)?.allObjects as? [URL] ?? [])
                .filter { !$0.hasDirectoryPath }
                .sorted { $0.path < $1.path }
            for url in files {
                let ext = url.pathExtension.lowercased()
                guard ext == "md" || ext == "csv", !url.lastPathComponent.hasPrefix("."),
                    url.lastPathComponent.lowercased() != "readme.md"
                else { continue }
                found.append(SourceFile(url: url, name: displayName(url), scoped: directoryIndex >= directories.count))
            }
        }
        return (found, problems)
    }

    /// The `digest` line of one file as read (`nil`: it could not be read).
    static func digestLine(_ file: SourceFile, _ data: Data?) -> String {
        let data = data ?? Data()
        return "\(file.scoped ? "note" : "doc") \(file.name) \(file.url.path) \(data.count) \(data.crc32(checksum: 0))\n"
    }

    /// The digest `load` would give for `files` if it read them now.
    public static func digest(of files: [SourceFile]) -> String {
        files.map { digestLine($0, FileManager.default.contents(atPath: $0.url.path)) }.joined()
    }

    /// A short key for a digest, with `salt` (say, the program's own identity) in it: it changes
    /// whenever a file is added, removed, renamed or changed by a byte, or the salt changes.
    public static func key(salt: String, digest: String) -> String {
        let text = salt + "\n" + digest
        return "\(text.utf8.count)-\(Data(text.utf8).crc32(checksum: 0))"
    }

    /// One file on its way through `load`: read in order, parsed on any thread, merged in order.
    private struct Job: Sendable {
        var index: Int
        var file: SourceFile
        var text: String
        var document: ParsedDocument?
    }

    /// Loads every `*.md` (documents) and `*.errata.md` (errata) under `directories`, then under
    /// `notes` (a learner's own documents, whose topic ids are scoped by document), recursively, in
    /// file-name order, and the instance catalog from `facts/*.csv`. `displayName` names files in
    /// messages. Documents are parsed on every core; the result does not depend on how many.
    public static func load(directories: [URL], notes: [URL] = [], displayName: (URL) -> String = { $0.path }) -> Loaded {
        var documents: [ParsedDocument] = []
        var errata: [Erratum] = []
        var catalogTypes: [InstanceType] = []
        var seenTopics: [String: SourceLocation] = [:]
        let (files, directoryProblems) = listFiles(directories: directories, notes: notes, displayName: displayName)
        var problems: [ContentProblem] = []
        var digest = ""
        // Read and decode in order; a file that fails says so and takes no further part.
        var jobs: [Job] = []
        // Problems are told in file order, whichever stage found them.
        var problemsByFile: [Int: [ContentProblem]] = [:]
        for (index, file) in files.enumerated() {
            let data = FileManager.default.contents(atPath: file.url.path)
            digest += digestLine(file, data)
            guard let data else {
                problemsByFile[index] = [ContentProblem(file: file.name, line: 0, message: "cannot be read")]
                continue
            }
            switch DocumentParser.decode(Array(data), file: file.name) {
            case .success(let text): jobs.append(Job(index: index, file: file, text: text))
            case .failure(let problem): problemsByFile[index] = [problem]
            }
        }
        MarkdownParser.prepare()
        let isDocument: @Sendable (SourceFile) -> Bool = {
            $0.url.pathExtension.lowercased() == "md" && !$0.url.lastPathComponent.lowercased().hasSuffix(".errata.md")
        }
        // The largest first, so one long document does not finish alone at the end.
        let order = jobs.indices.sorted { jobs[$0].text.utf8.count > jobs[$1].text.utf8.count }
        Parallel.forEach(inPlace: &jobs, order: order) { job in
            guard isDocument(job.file) else { return }
            let stem = String(job.file.url.lastPathComponent.dropLast(3))
            job.document = DocumentParser.parse(job.text, file: job.file.name, stem: stem, scoped: job.file.scoped)
        }
        for job in jobs {
            let name = job.file.name
            var found: [ContentProblem] = []
            defer { problemsByFile[job.index, default: []] += found }
            if job.file.url.pathExtension.lowercased() == "csv" {
                do throws(FactsError) {
                    catalogTypes += try InstanceCatalog.parse(csv: job.text, file: name).types
                } catch {
                    if case let .badCatalog(file, line, message) = error {
                        found.append(ContentProblem(file: file, line: line, message: message))
                    }
                }
            } else if let doc = job.document {
                found += doc.problems
                // A note's ids all start with its file name, so only two notes of one name (in
                // two folders) can clash: the second is left out whole rather than in part.
                if job.file.scoped, let clash = doc.topics.first(where: { seenTopics[$0.id] != nil }) {
                    found.append(
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
                        found.append(
                            ContentProblem(
                                file: name, line: topic.location.line,
                                message: "topic id '\(topic.id)' is already defined at \(first); rename this heading"))
                        continue
                    }
                    seenTopics[topic.id] = topic.location
                    kept.topics.append(topic)
                }
                documents.append(kept)
            } else {
                let parsed = ErrataParser.parse(job.text, file: name)
                errata += parsed.errata
                found += parsed.problems
            }
        }
        var directoryProblemsLeft = directoryProblems[...]
        for index in 0...files.count {
            while let next = directoryProblemsLeft.first, next.before <= index {
                problems.append(next.problem)
                directoryProblemsLeft.removeFirst()
            }
            problems += problemsByFile[index] ?? []
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
        return Loaded(library: library, catalog: InstanceCatalog(types: catalogTypes), problems: problems, digest: digest)
    }
}
