import EmulatorSupport
import BambooHREmulator
import Foundation

/// `shiftbridge bamboohr-emulator [--port 8083] [--seed demo|empty]`: an in-memory BambooHR
/// company on 127.0.0.1, for trying a BambooHR source without BambooHR.
enum BambooHREmulatorCommand {
    static let usage = "Usage: shiftbridge bamboohr-emulator [--port 8083] [--seed demo|empty]"

    static func run(arguments: [String]) async throws {
        var port = 8083
        var seed = BambooCompany.Seed.demo
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--port", "-p":
                guard let value = iterator.next().flatMap(Int.init), (0...65_535).contains(value) else { throw UsageError("--port takes a port number. \(usage)") }
                port = value
            case "--seed":
                guard let value = iterator.next().flatMap(BambooCompany.Seed.init(rawValue:)) else { throw UsageError("--seed takes demo or empty. \(usage)") }
                seed = value
            case "--help", "-h":
                print(usage)
                return
            default:
                throw UsageError("Unknown option '\(argument)'. \(usage)")
            }
        }
        let server = try await BambooHREmulator.BambooHREmulatorServer.start(port: port, seed: seed, logLevel: .notice)
        print("BambooHR emulator (\(seed.rawValue) seed, company \(server.company.subdomain)) listening on \(server.baseURL)")
        print("Make an API key: curl -s -X POST \(server.baseURL)/_emulator/api-keys")
        await EmulatorProcess.waitUntilInterrupted()
    }
}
