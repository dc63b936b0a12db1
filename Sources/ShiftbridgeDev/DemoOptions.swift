/// The demo's command line: where it listens. Its PagerDuty emulator listens on the next
/// port, its Slack emulator on the one after.
struct DemoOptions: Sendable {
    var hostname = "127.0.0.1"
    var port = 8080
    var emulatorOrigin: String { "http://127.0.0.1:\(port + 1)" }
    var slackEmulatorOrigin: String { "http://127.0.0.1:\(port + 2)" }

    static let usage = "Usage: shiftbridge demo [--hostname 127.0.0.1] [--port 8080]"

    static func parse(_ arguments: [String]) throws -> DemoOptions {
        var options = DemoOptions()
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--hostname", "-H":
                guard let value = iterator.next(), !value.isEmpty else { throw UsageError("--hostname takes a host, e.g. --hostname 127.0.0.1") }
                options.hostname = value
            case "--port", "-p":
                guard let value = iterator.next(), let parsed = Int(value), (1...65_533).contains(parsed) else {
                    throw UsageError("--port takes a number, e.g. --port 8080")
                }
                options.port = parsed
            default:
                throw UsageError("Unknown demo option '\(argument)'. \(usage)")
            }
        }
        return options
    }

    /// The demo's own storage, and the emulators as the only vendor hosts it may use.
    func environment(_ base: [String: String]) -> [String: String] {
        var environment = base
        environment["SHIFTBRIDGE_DATA_DIR"] = Demo.dataDirectory
        environment["DATABASE_URL"] = nil
        environment["SHIFTBRIDGE_SECRET_KEY"] = nil
        environment["SHIFTBRIDGE_ALLOW_CUSTOM_API_HOSTS"] = emulatorOrigin + "," + slackEmulatorOrigin
        // Links (invitations, OAuth redirects, calendar feeds) point where the demo listens.
        environment["SHIFTBRIDGE_PUBLIC_URL"] = "http://\(hostname.contains(":") ? "[\(hostname)]" : hostname):\(port)"
        return environment
    }
}
