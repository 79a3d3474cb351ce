import ArgumentParser
import Foundation
import Testing
@testable import SaproCLI

/// Completion comes from the command tree; these tests hold it against what each command's
/// `--help` prints to the user, which is rendered separately by swift-argument-parser.
@Suite struct CompletionFromTheCommandTree {
    init() {
        Completion.load(
            topicIDs: ["amazon-eks-networking/vpc-cni-plugin"], instanceTypes: ["m5.large", "m5.xlarge"],
            generators: ["eks-max-pods"], blueprints: ["container-networking", "container-networking-short"])
    }

    /// Every visible command path with its help text.
    static func paths() -> [([String], String)] {
        var out: [([String], String)] = []
        func visit(_ command: ParsableCommand.Type, _ path: [String]) {
            let config = command.configuration
            guard config.shouldDisplay else { return }
            if !path.isEmpty { out.append((path, command.helpMessage(columns: 400))) }
            for sub in config.subcommands { visit(sub, path + [sub.configuration.commandName ?? ""]) }
        }
        visit(Sapro.self, [])
        return out
    }

    @Test func everyOptionAndSubcommandTheHelpShowsIsOffered() {
        var checked = 0
        for (path, help) in Self.paths() {
            let offered = Set(Completion.offers(after: path))
            let options = Set(
                help.split(whereSeparator: { " ,|[]<>()=\n".contains($0) })
                    .filter { $0.hasPrefix("--") && $0.count > 2 }.map(String.init)
            )
            .subtracting(["--help", "--version", "--data-dir"])
            // Options a help text mentions only in prose (another command's, say) are not its own.
            let own = options.filter { help.contains("  \($0)") || help.contains("[\($0)") || help.contains(" \($0) <") }
            #expect(own.isSubset(of: offered), "\(path.joined(separator: " ")): missing \(own.subtracting(offered).sorted())")
            checked += own.count
        }
        #expect(checked > 30)
        // And every visible subcommand, at every level.
        for (path, _) in Self.paths() where path.count > 1 {
            #expect(Completion.offers(after: Array(path.dropLast())).contains(path.last!), "\(path)")
        }
    }

    @Test func theFindingsOfTheReviewAreCovered() {
        #expect(Completion.candidates(line: "report --", word: "--").contains("--blueprint"))
        #expect(Completion.candidates(line: "report --format ", word: "") == ["csv", "html", "json", "md"])
        #expect(Completion.candidates(line: "quiz generate --format ", word: "") == ["gift", "json", "md"])
        #expect(
            Set(Completion.candidates(line: "srs replay --", word: "--")) == [
                "--desired-retention", "--learning-steps", "--relearning-steps", "--maximum-interval", "--fuzz-seed",
                "--parameters",
            ])
    }

    @Test func valuesComeFromTheContentByArgumentName() {
        #expect(Completion.candidates(line: "calc max-pods m5.", word: "m5.") == ["m5.large", "m5.xlarge"])
        #expect(Completion.candidates(line: "read vpc", word: "vpc") == ["vpc-cni-plugin"])
        #expect(Completion.candidates(line: "quiz generate --generator ", word: "") == ["eks-max-pods"])
        #expect(
            Completion.candidates(line: "exam container", word: "container") == [
                "container-networking", "container-networking-short",
            ])
        #expect(Completion.candidates(line: "set desired", word: "desired") == ["desired-retention"])
        // A value of the user's own: nothing to offer.
        #expect(Completion.candidates(line: "drill --limit ", word: "").isEmpty)
    }

    @Test func theHiddenCommandIsNotOfferedAndTheREPLsOwnAre() {
        let top = Completion.candidates(line: "", word: "")
        #expect(!top.contains("dev"))
        #expect(top.contains("quit") && top.contains("help") && top.contains("drill"))
        #expect(Completion.candidates(line: "help d", word: "d") == ["drill"])
    }
}
