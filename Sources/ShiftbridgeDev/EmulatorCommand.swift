import EmulatorSupport
import Foundation
import PagerDutyEmulator

/// `shiftbridge pagerduty-emulator [--port 8081] [--seed demo|empty] [--region us|eu]`:
/// an in-memory PagerDuty on 127.0.0.1. It needs no database, so it runs before `configure`.
enum EmulatorCommand {
    static let usage = "Usage: shiftbridge pagerduty-emulator [--port 8081] [--seed demo|empty] [--region us|eu] [--rate-limit 960] [--rate-window 60]"

    static func run(arguments: [String]) async throws {
        var port = 8081
        var seed = EmulatorState.Seed.demo
        var region = "us"
        var rateLimit = 960
        var rateWindow: Double = 60
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--port", "-p":
                guard let value = iterator.next().flatMap(Int.init), (0...65_535).contains(value) else {
                    throw UsageError("--port takes a port number. \(usage)")
                }
                port = value
            case "--seed":
                guard let value = iterator.next().flatMap(EmulatorState.Seed.init(rawValue:)) else {
                    throw UsageError("--seed takes demo or empty. \(usage)")
                }
                seed = value
            case "--region":
                guard let value = iterator.next(), ["us", "eu"].contains(value) else {
                    throw UsageError("--region takes us or eu. \(usage)")
                }
                region = value
            case "--rate-limit":
                guard let value = iterator.next().flatMap(Int.init), value > 0 else {
                    throw UsageError("--rate-limit takes requests per window. \(usage)")
                }
                rateLimit = value
            case "--rate-window":
                guard let value = iterator.next().flatMap(Double.init), value > 0 else {
                    throw UsageError("--rate-window takes seconds. \(usage)")
                }
                rateWindow = value
            case "--help", "-h":
                print(usage)
                return
            default:
                throw UsageError("Unknown option '\(argument)'. \(usage)")
            }
        }
        let server = try await EmulatorServer.start(port: port, seed: seed, region: region, rateLimitPerMinute: rateLimit,
                                                    rateLimitWindow: rateWindow, logLevel: .notice)
        print("PagerDuty emulator (\(seed.rawValue) seed, \(region.uppercased()) region) listening on \(server.baseURL)")
        print("Create a key: curl -s -X POST \(server.baseURL)/_emulator/api-keys -d '{\"read_only\":false}'")
        await EmulatorProcess.waitUntilInterrupted()
    }
}
