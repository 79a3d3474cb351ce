import Foundation
import SaproCore

/// Finds the shipped `Content/` and `Quizzes/` folders from any working directory.
enum Resources {
    /// The folder holding `Content/` and `Quizzes/`: `$SAPRO_SHARE`, else `<bin>/../share/sapro`
    /// (installed by `make install`), else the source checkout the binary was built from.
    static func shareDirectory() -> URL? {
        let fm = FileManager.default
        func holdsContent(_ url: URL) -> Bool {
            var isDir: ObjCBool = false
            return fm.fileExists(atPath: url.appendingPathComponent("Content").path, isDirectory: &isDir) && isDir.boolValue
        }
        if let env = ProcessInfo.processInfo.environment["SAPRO_SHARE"], !env.isEmpty {
            let url = URL(fileURLWithPath: env)
            if holdsContent(url) { return url }
        }
        let executable = URL(
            fileURLWithPath: CommandLine.arguments[0].contains("/")
                ? CommandLine.arguments[0] : (Bundle.main.executablePath ?? CommandLine.arguments[0])
        )
        .resolvingSymlinksInPath()
        var dir = executable.deletingLastPathComponent()
        let installed = dir.deletingLastPathComponent().appendingPathComponent("share/sapro")
        if holdsContent(installed) { return installed }
        // A development build lives in <checkout>/.build/<config>/; walk up to the checkout.
        for _ in 0..<6 {
            if holdsContent(dir), fm.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) { return dir }
            dir = dir.deletingLastPathComponent()
        }
        let source = URL(fileURLWithPath: #filePath)  // <checkout>/Sources/sapro/Support/Resources.swift
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return holdsContent(source) ? source : nil
    }

    /// Names this build of the program (its path, size and modification time), so a cache it
    /// wrote is not read by another build.
    static func programIdentity() -> String {
        let path = Bundle.main.executablePath ?? CommandLine.arguments[0]
        let attributes = (try? FileManager.default.attributesOfItem(atPath: path)) ?? [:]
        let size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        return "sapro \(SaproCore.version) \(path) \(size) \(modified)"
    }

    static func contentDirectory() -> URL? { shareDirectory()?.appendingPathComponent("Content") }
    static func quizzesDirectory() -> URL? { shareDirectory()?.appendingPathComponent("Quizzes") }
}
