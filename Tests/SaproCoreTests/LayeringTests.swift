import Foundation
import Testing

/// The library's layers point one way. Each folder of `Sources/SaproCore` is a layer; a file may
/// use the types of its own folder and of lower layers, never of a higher one or of a sibling.
/// (SwiftPM targets would make the compiler enforce this, at the price of making every
/// cross-layer symbol public; this test enforces it on the source instead.)
@Suite struct LayersPointOneWay {
    /// Lowest first; folders on one line are siblings that must not use each other.
    static let layers: [[String]] = [
        ["Support"], ["Content"], ["Facts"], ["Questions"], ["Generators", "Banks"], ["Scheduling"],
        ["Replay", "Progress"], ["Optimizer"], ["Planning"], ["Sessions"], ["Reports"], ["Export"],
    ]

    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/SaproCore")

    /// The top-level types each file declares and the capitalised words it uses, comments and
    /// string literals left out.
    struct SourceFile {
        var folder: String
        var name: String
        var declared: Set<String>
        var used: Set<String>

        init(folder: String, name: String, text: String) {
            self.folder = folder
            self.name = name
            let declaration =
                #/(?m)^(?:@\w+\s+)*(?:public |internal |private |fileprivate |package )?(?:final )?(?:struct|enum|class|protocol|actor|typealias)\s+(\w+)/#
            declared = Set(text.matches(of: declaration).map { String($0.output.1) })
            let code =
                text
                .replacing(#/\/\/[^\n]*/#, with: "")
                .replacing(#/"""[\s\S]*?"""/#, with: "\"\"")
                .replacing(#/"(?:\\.|[^"\\\n])*"/#, with: "\"\"")
            used = Set(code.matches(of: #/\b[A-Z]\w*\b/#).map { String($0.output) })
        }
    }

    /// Every use of a type declared in a higher layer or a sibling, as `file uses Type (Folder)`.
    static func violations(_ files: [SourceFile], layers: [[String]]) -> [String] {
        let rank = Dictionary(uniqueKeysWithValues: layers.enumerated().flatMap { i, folders in folders.map { ($0, i) } })
        var home: [String: String] = [:]
        for file in files { for type in file.declared where home[type] == nil { home[type] = file.folder } }
        var found: [String] = []
        for file in files {
            guard let own = rank[file.folder] else {
                found.append("\(file.folder)/\(file.name) is in a folder with no layer")
                continue
            }
            for type in file.used.sorted() {
                guard let folder = home[type], folder != file.folder, let theirs = rank[folder] else { continue }
                if theirs >= own { found.append("\(file.folder)/\(file.name) uses \(type) (\(folder))") }
            }
        }
        return found
    }

    static func load() throws -> [SourceFile] {
        let fm = FileManager.default
        var files: [SourceFile] = []
        for folder in try fm.contentsOfDirectory(atPath: sources.path).sorted() {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: sources.appendingPathComponent(folder).path, isDirectory: &isDirectory),
                isDirectory.boolValue
            else { continue }
            for name in try fm.contentsOfDirectory(atPath: sources.appendingPathComponent(folder).path).sorted()
            where name.hasSuffix(".swift") {
                let text = try String(contentsOf: sources.appendingPathComponent("\(folder)/\(name)"), encoding: .utf8)
                files.append(SourceFile(folder: folder, name: name, text: text))
            }
        }
        return files
    }

    @Test func noFileUsesATypeOfAHigherLayerOrASibling() throws {
        let files = try Self.load()
        #expect(files.count > 50)
        #expect(Set(files.map(\.folder)) == Set(Self.layers.joined()))
        let found = Self.violations(files, layers: Self.layers)
        #expect(found.isEmpty, "\(found.joined(separator: "\n"))")
    }

    @Test func theCheckFindsAnUpwardUseAndASiblingUse() {
        let files = [
            SourceFile(folder: "Facts", name: "A.swift", text: "public struct Catalog { var pools: Pools } // Report"),
            SourceFile(folder: "Generators", name: "B.swift", text: "struct Pools { let s = \"Report\"; var b: Bank }"),
            SourceFile(folder: "Banks", name: "C.swift", text: "enum Bank {}"),
            SourceFile(folder: "Reports", name: "D.swift", text: "final class Report { var c: Catalog }"),
        ]
        #expect(
            Self.violations(files, layers: Self.layers) == [
                "Facts/A.swift uses Pools (Generators)", "Generators/B.swift uses Bank (Banks)",
            ])
    }
}
