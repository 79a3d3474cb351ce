import ArgumentParser
import Foundation
import SaproCore

struct SettingsCommand: SaproCommand {
    static let configuration = CommandConfiguration(commandName: "settings", abstract: "Show the settings.")
    @OptionGroup var data: DataOptions

    func run(in context: RunContext) throws {
        let app = try context.app(data: data, content: ContentOptions.defaults())
        for (key, value) in app.settings.listing {
            print(TextWidth.pad(key, to: 20) + value)
        }
        print("(change one with: set KEY VALUE)")
    }
}

struct SetCommand: SaproCommand {
    static let configuration = CommandConfiguration(
        commandName: "set", abstract: "Change a setting: set KEY VALUE.",
        discussion: Settings.keys.map { "\($0.key): \($0.allowed)" }.joined(separator: "\n"))
    @Argument(help: "The setting.") var key: String
    @Argument(help: "Its new value.") var value: String
    @OptionGroup var data: DataOptions

    func run(in context: RunContext) throws {
        let app = try context.app(data: data, content: ContentOptions.defaults())
        var settings = app.settings
        if let problem = app.settingsProblem {
            throw fail("\(problem.plainDescription); sapro will not replace it. Fix it or delete it, then set \(key) again.")
        }
        try reporting { try settings.set(key, value) }
        try reporting { try settings.save(to: app.dataDirectory) }
        app.settings = settings
        print("\(key.lowercased()) = \(settings.listing.first { $0.key == key.lowercased() }?.value ?? value)")
    }
}
