import Foundation
import Shiftbridge
import Vapor

/// The executable's commands beyond the app's own: `demo` and the emulators (`pagerduty-emulator`, `slack-emulator`, `bamboohr-emulator`).
package struct DevCommands: CommandExtensions {
    package init() {}

    package func runWithoutApp(_ arguments: [String]) async throws -> Bool {
        switch arguments.dropFirst().first {
        case "pagerduty-emulator": try await EmulatorCommand.run(arguments: Array(arguments.dropFirst(2)))
        case "slack-emulator": try await SlackEmulatorCommand.run(arguments: Array(arguments.dropFirst(2)))
        case "bamboohr-emulator": try await BambooHREmulatorCommand.run(arguments: Array(arguments.dropFirst(2)))
        default: return false
        }
        return true
    }

    package func environment(for arguments: [String], base: [String: String]) throws -> [String: String] {
        guard arguments.dropFirst().first == "demo" else { return base }
        // The demo always runs on its own embedded database, whatever the shell has set.
        return try DemoOptions.parse(Array(arguments.dropFirst(2))).environment(base)
    }

    package var summaries: [String: String] {
        ["demo": "Runs the app on ./data/demo with a PagerDuty and a Slack emulator, sample rotations and an HR export",
         "pagerduty-emulator": "An in-memory PagerDuty account on 127.0.0.1, for tests, demos and benchmarks",
         "slack-emulator": "An in-memory Slack workspace on 127.0.0.1, Web API under /api/",
         "bamboohr-emulator": "An in-memory BambooHR company on 127.0.0.1"]
    }

    package func usage(for arguments: [String]) -> String? {
        switch arguments.dropFirst().first {
        case "demo": DemoOptions.usage
        case "pagerduty-emulator": EmulatorCommand.usage
        case "slack-emulator": SlackEmulatorCommand.usage
        case "bamboohr-emulator": BambooHREmulatorCommand.usage
        default: nil
        }
    }

    package func prepare(_ app: Application, arguments: [String]) async throws -> [String] {
        guard arguments.dropFirst().first == "demo" else { return arguments }
        return try await Demo.prepare(app, options: try DemoOptions.parse(Array(arguments.dropFirst(2))), executable: arguments[0])
    }
}
