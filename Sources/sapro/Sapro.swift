import ArgumentParser
import SaproCore

@main
struct Sapro: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sapro",
        abstract: "Study and drill AWS SA Pro container networking.",
        version: SaproCore.version,
        subcommands: [Quiz.self]
    )
}
