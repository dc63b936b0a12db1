import EmulatorSupport
import Foundation
import SlackEmulator

/// `shiftbridge slack-emulator [--port 8082] [--seed demo|empty]`: an in-memory Slack
/// workspace on 127.0.0.1. It needs no database, so it runs before `configure`.
enum SlackEmulatorCommand {
    static let usage = "Usage: shiftbridge slack-emulator [--port 8082] [--seed demo|empty]"

    static func run(arguments: [String]) async throws {
        var port = 8082
        var seed = SlackWorkspace.Seed.demo
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--port", "-p":
                guard let value = iterator.next().flatMap(Int.init), (0...65_535).contains(value) else {
                    throw UsageError("--port takes a port number. \(usage)")
                }
                port = value
            case "--seed":
                guard let value = iterator.next().flatMap(SlackWorkspace.Seed.init(rawValue:)) else {
                    throw UsageError("--seed takes demo or empty. \(usage)")
                }
                seed = value
            case "--help", "-h":
                print(usage)
                return
            default:
                throw UsageError("Unknown option '\(argument)'. \(usage)")
            }
        }
        let server = try await SlackEmulatorServer.start(port: port, seed: seed, logLevel: .notice)
        print("Slack emulator (\(seed.rawValue) seed) listening on \(server.baseURL); Web API at \(server.apiBaseURL)")
        print("Make a bot token: curl -s -X POST \(server.baseURL)/_emulator/tokens -d '{\"type\":\"bot\",\"scopes\":[\"usergroups:read\",\"usergroups:write\",\"users:read\",\"users:read.email\",\"channels:read\",\"chat:write\"]}'")
        await EmulatorProcess.waitUntilInterrupted()
    }
}
