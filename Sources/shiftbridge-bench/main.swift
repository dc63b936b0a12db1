import Foundation
import PagerDutyEmulator
import PagerDutyKit
import ShiftbridgeDev

// Benchmarks, run in release mode against the emulator over loopback:
//   swift run -c release shiftbridge-bench emulator [--seconds 10] [--connections 16]
//   swift run -c release shiftbridge-bench rate-limit [--seconds 120]
//   swift run -c release shiftbridge-bench provisioning [--employees 9999] [--hires 1000] [--fault-employees 300] [--fault-rate 0.1]
//   swift run -c release shiftbridge-bench rotations [--rotations 1000] [--audit-minutes 90] [--polling-minutes 60] [--seconds 10]
//   swift run -c release shiftbridge-bench slack [--rotations 1000] [--groups 200]
//   swift run -c release shiftbridge-bench provisioning-large [--users 12000]
//   swift run -c release shiftbridge-bench scim [--users 10000] [--connections 16]
// Figures go to standard output; BENCHMARKS.md records them with the command.

let arguments = Array(CommandLine.arguments.dropFirst())
func option(_ name: String, _ fallback: Double) -> Double {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count, let value = Double(arguments[index + 1]) else { return fallback }
    return value
}

struct Latencies {
    var values: [Double] = []
    func percentile(_ p: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
    }
}

func emulatorThroughput() async throws {
    let seconds = option("--seconds", 10)
    let connections = Int(option("--connections", 16))
    let server = try await EmulatorServer.start(port: 0, seed: .demo, rateLimitPerMinute: Int.max / 2)
    let transport = AsyncHTTPClientTransport()
    let key = try await {
        let reply = try await transport.send(TransportRequest(method: "POST", url: server.baseURL + "/_emulator/api-keys", body: Data(#"{"read_only":true}"#.utf8)))
        return (try JSONSerialization.jsonObject(with: reply.body) as! [String: Any])["key"] as! String
    }()
    for (label, path) in [("GET /users?limit=25", "/users?limit=25"), ("GET /oncalls (8 schedules)", "/oncalls?limit=100"), ("GET /abilities", "/abilities")] {
        let deadline = Date().addingTimeInterval(seconds)
        let results = try await withThrowingTaskGroup(of: (Int, Int, [Double]).self) { group in
            for _ in 0..<connections {
                group.addTask {
                    var ok = 0, failed = 0
                    var latencies: [Double] = []
                    while Date() < deadline {
                        let start = DispatchTime.now().uptimeNanoseconds
                        let reply = try await transport.send(TransportRequest(method: "GET", url: server.baseURL + path, headers: [("Authorization", "Token token=\(key)")]))
                        latencies.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
                        if reply.status == 200 { ok += 1 } else { failed += 1 }
                    }
                    return (ok, failed, latencies)
                }
            }
            var total = (0, 0, Latencies())
            for try await (ok, failed, latencies) in group {
                total.0 += ok
                total.1 += failed
                total.2.values += latencies
            }
            return total
        }
        print(String(format: "emulator %@: %.0f req/s over %.0f s, %d connections, p50 %.2f ms, p99 %.2f ms, %d non-200",
                     label, Double(results.0) / seconds, seconds, connections, results.2.percentile(0.5), results.2.percentile(0.99), results.1))
    }
    await server.shutdown()
}

func clientAtRateLimit() async throws {
    let seconds = option("--seconds", 120)
    let server = try await EmulatorServer.start(port: 0, seed: .demo)  // PagerDuty's 960 a minute
    let transport = AsyncHTTPClientTransport()
    for (label, pacer) in [("paced client (default pacer)", RequestPacer()), ("unpaced client (429s only)", RequestPacer(requestsPerMinute: 600_000, burst: 1000))] {
        let reply = try await transport.send(TransportRequest(method: "POST", url: server.baseURL + "/_emulator/api-keys", body: Data(#"{"read_only":true}"#.utf8)))
        let key = (try JSONSerialization.jsonObject(with: reply.body) as! [String: Any])["key"] as! String
        _ = try await transport.send(TransportRequest(method: "POST", url: server.baseURL + "/_emulator/stats/reset"))
        var configuration = PagerDutyClientConfiguration(baseURL: server.baseURL)
        configuration.maxAttempts = 20
        let client = PagerDutyClient(credential: .apiKey(key), configuration: configuration, pacer: pacer)
        let started = Date()
        var completed = 0
        var failures = 0
        while Date().timeIntervalSince(started) < seconds {
            do { _ = try await client.abilities(); completed += 1 } catch { failures += 1 }
        }
        let elapsed = Date().timeIntervalSince(started)
        let stats = try await transport.send(TransportRequest(method: "GET", url: server.baseURL + "/_emulator/stats"))
        let byStatus = (try JSONSerialization.jsonObject(with: stats.body) as! [String: Any])["by_status"] as? [String: Int] ?? [:]
        let perMinute = Double(completed) / elapsed * 60
        print(String(format: "%@: %d requests succeeded in %.0f s = %.0f/min (%.1f%% of 960/min), %d 429s received, %d calls failed",
                     label, completed, elapsed, perMinute, perMinute / 960 * 100, byStatus["429"] ?? 0, failures))
    }
    await server.shutdown()
}

switch arguments.first {
case "emulator": try await emulatorThroughput()
case "rate-limit": try await clientAtRateLimit()
case "rotations":
    var options = RotationsBenchmark.Options()
    options.rotations = Int(option("--rotations", Double(options.rotations)))
    options.users = Int(option("--users", Double(options.users)))
    options.auditMinutes = Int(option("--audit-minutes", Double(options.auditMinutes)))
    options.pollingMinutes = Int(option("--polling-minutes", Double(options.pollingMinutes)))
    options.loadSeconds = option("--seconds", options.loadSeconds)
    options.warmUpSeconds = option("--warm-up", options.warmUpSeconds)
    options.connections = Int(option("--connections", Double(options.connections)))
    try await RotationsBenchmark.run(options)
case "slack":
    var options = SlackBenchmark.Options()
    options.rotations = Int(option("--rotations", Double(options.rotations)))
    options.groups = Int(option("--groups", Double(options.groups)))
    try await SlackBenchmark.run(options)
case "provisioning":
    var options = ProvisioningBenchmark.Options()
    options.employees = Int(option("--employees", Double(options.employees)))
    options.hires = Int(option("--hires", Double(options.hires)))
    options.faultEmployees = Int(option("--fault-employees", Double(options.faultEmployees)))
    options.faultRate = option("--fault-rate", options.faultRate)
    try await ProvisioningBenchmark.run(options)
case "provisioning-large":
    try await ProvisioningBenchmark.runLargeAccount(users: Int(option("--users", 12_000)))
case "scim":
    var options = SCIMBenchmark.Options()
    options.users = Int(option("--users", Double(options.users)))
    options.connections = Int(option("--connections", Double(options.connections)))
    try await SCIMBenchmark.run(options)
default:
    print("usage: shiftbridge-bench emulator [--seconds 10] [--connections 16] | rate-limit [--seconds 120] | rotations [--rotations 1000] [--users 9999] [--audit-minutes 90] [--polling-minutes 60] [--seconds 10] [--warm-up 2] [--connections 16] | provisioning [--employees 9999] [--hires 1000] [--fault-employees 300] [--fault-rate 0.1] | slack [--rotations 1000] [--groups 200] | provisioning-large [--users 12000] | scim [--users 10000] [--connections 16]")
    exit(2)
}
