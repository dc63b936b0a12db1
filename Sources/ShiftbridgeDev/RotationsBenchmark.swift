import Fluent
import Foundation
import NIOConcurrencyHelpers
import PagerDutyEmulator
import PagerDutyKit
import Shiftbridge
import ShiftbridgeCore
import Vapor

/// `shiftbridge-bench rotations`: many rotations following PagerDuty, measured end to end
/// against the emulator over loopback (release build; see BENCHMARKS.md).
///
/// 1. Set-up: the emulator gets `users` users and one daily schedule per rotation, all
///    handing over at the same instant (the worst case); the app follows every schedule.
/// 2. Steady state with audit records, then without (batched `/oncalls` polling): simulated
///    minutes in 5-second passes on a shared clock, with one edit made in PagerDuty each
///    minute. It counts the app's PagerDuty requests per minute and checks that every edit
///    reached its rotation within 60 s.
/// 3. Handoff lag, in real time: the scheduler runs as in production (a pass, then a 1 s
///    sleep) across the instant every rotation hands over.
/// 4. `GET /api/v1/rotations/{id}/on-duty` over HTTP against trivial routes of the same app.
package enum RotationsBenchmark {
    package struct Options: Sendable {
        package var rotations = 1000
        package var users = 9999  // with the account owner: 10,000, PagerDuty's offset-pagination ceiling
        package var auditMinutes = 90
        package var pollingMinutes = 60
        package var loadSeconds: Double = 10
        /// Unmeasured load before each route's measured seconds (caches warm, as in steady state).
        package var warmUpSeconds: Double = 2
        package var connections = 16
        package init() {}
    }

    package static func run(_ options: Options) async throws {
        let clock = BenchmarkClock()
        var parts = AppParts.live
        parts.clock = clock
        try await BenchmarkHarness.withAppAndEmulator(parts: parts) { app, emulator in try await measure(app, emulator: emulator, clock: clock, options: options) }
    }

    private static func measure(_ app: Application, emulator: EmulatorServer, clock: BenchmarkClock, options: Options) async throws {
        let driver = AppDriver(app)
        let http = AsyncHTTPClientTransport()
        func control(_ method: String, _ path: String, _ json: [String: Any]? = nil) async throws -> [String: Any] {
            let reply = try await http.send(TransportRequest(method: method, url: emulator.baseURL + path, headers: [("Content-Type", "application/json")],
                                                             body: try json.map { try JSONSerialization.data(withJSONObject: $0) }))
            return (try? JSONSerialization.jsonObject(with: reply.body)) as? [String: Any] ?? [:]
        }
        let start = Date()
        clock.freeze(start)
        _ = try await control("POST", "/_emulator/clock", ["now": PagerDutyDate.format(start), "frozen": true])
        // Everyone hands over 12 hours from now, so the simulated phases below see no handoff.
        let handoff = start.addingTimeInterval(12 * 3600)
        let scheduleIDs = emulator.state.addScale(users: options.users, schedules: options.rotations, handoff: handoff)
        let appKey = emulator.state.createAPIKey(readOnly: true)
        let editorKey = emulator.state.createAPIKey(readOnly: false)
        try await driver.connectPagerDuty(apiKey: appKey, baseURL: emulator.baseURL, actor: "benchmark")
        let admin = "bench@example.com"
        try await driver.ensureAdministrator(email: admin, password: "benchmark-password-1", actor: "benchmark")
        // Every duty change is announced to a webhook, as in a real set-up (enqueued here; nothing sends).
        try await driver.addWebhook(url: "https://hooks.example.com/shiftbridge", by: admin)

        // Rotations bound directly: binding through the API reads each schedule once more first.
        for (index, scheduleID) in scheduleIDs.enumerated() {
            try await driver.createRotation(code: "R\(index)", name: "Rotation \(index)", owner: admin)
            try await driver.bindWithoutReading(code: "R\(index)", scheduleID: scheduleID)
        }
        func appRequests() async throws -> Int {
            let stats = try await control("GET", "/_emulator/stats")
            return (stats["by_credential"] as? [String: Int] ?? [:]).filter { $0.key.hasSuffix(String(appKey.suffix(4))) }.values.reduce(0, +)
        }
        _ = try await control("POST", "/_emulator/stats/reset")
        let setupStarted = Date()
        var synced = 0
        while synced < options.rotations {
            synced += try await driver.runSyncPass()
            clock.advance(1)
            _ = try await control("POST", "/_emulator/clock", ["advance_seconds": 1])
        }
        let firstSync = Date().timeIntervalSince(setupStarted)
        let firstSyncRequests = try await appRequests()
        let firstSyncPaths = (try await control("GET", "/_emulator/stats")["by_path"] as? [String: Int] ?? [:]).sorted { $0.value > $1.value }
        let linked = try await driver.syncedRotationCount
        // The floor: those requests at PagerDuty's 960 a minute, the first burst of 100 free.
        let floor = Double(max(firstSyncRequests - 100, 0)) / 960 * 60
        say(String(format: "set-up: %d users, %d schedules on %d escalation policies; first sync of %d rotations took %.0f s (%d in sync), %d requests (%@); rate-limit floor %.0f s; %.2f× the floor",
                     options.users + 1, scheduleIDs.count, (scheduleIDs.count + 9) / 10, options.rotations, firstSync, linked, firstSyncRequests,
                     firstSyncPaths.map { "\($0.key) \($0.value)" }.joined(separator: ", "), floor, firstSync / max(floor, 1)))

        // Steady state: simulated minutes, 5-second passes, one PagerDuty edit a minute.
        func editor(_ path: String, _ json: [String: Any]) async throws {
            _ = try await http.send(TransportRequest(method: "POST", url: emulator.baseURL + path,
                                                     headers: [("Content-Type", "application/json"), ("Authorization", "Token token=\(editorKey)"),
                                                               ("From", "owner@shiftbridge-demo.example")],
                                                     body: try JSONSerialization.data(withJSONObject: json)))
        }
        let editorClient = PagerDutyClient(credential: .apiKey(editorKey), configuration: .init(baseURL: emulator.baseURL))
        var random = SystemRandomNumberGenerator()
        func steadyState(_ label: String, minutes: Int, editAhead: ClosedRange<Double>) async throws {
            guard minutes > 0 else { return }
            var perMinute: [Int] = []
            var seen = 0
            _ = try await control("POST", "/_emulator/stats/reset")
            var passes = 0
            var passSeconds = 0.0
            let started = Date()
            for _ in 0..<minutes {
                // An override somewhere, starting `editAhead` hours from now.
                let index = Int.random(in: 0..<scheduleIDs.count, using: &random)
                let from = clock.now().addingTimeInterval(Double.random(in: editAhead, using: &random) * 3600)
                // Someone from the next schedule covers an hour of this one.
                let other = try await editorClient.schedule(id: scheduleIDs[(index + 1) % scheduleIDs.count])
                let overrideUser = other.layerUserIDs[0]
                try await editor("/schedules/\(scheduleIDs[index])/overrides", ["override": [
                    "start": PagerDutyDate.format(from), "end": PagerDutyDate.format(from.addingTimeInterval(3600)),
                    "user": ["id": overrideUser, "type": "user_reference"]]])
                let before = try await appRequests()
                for _ in 0..<12 {
                    clock.advance(5)
                    _ = try await control("POST", "/_emulator/clock", ["advance_seconds": 5])
                    let passStarted = Date()
                    _ = try await driver.runSyncPass()
                    passSeconds += Date().timeIntervalSince(passStarted)
                    passes += 1
                }
                perMinute.append(try await appRequests() - before)
                let shifts = try await driver.heldShifts(code: "R\(index)")
                if shifts.contains(where: { $0.pagerDutyUserID == overrideUser && abs($0.start.timeIntervalSince(from)) < 1 }) { seen += 1 }
            }
            let steady = perMinute.count > 30 ? Array(perMinute.dropFirst(30)) : perMinute
            // Which reads the minutes were made of (the editor's own requests included).
            let paths = (try await control("GET", "/_emulator/stats")["by_path"] as? [String: Int] ?? [:]).sorted { $0.value > $1.value }
            say("  \(label), requests by path over the phase: " + paths.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            let mean = Double(steady.reduce(0, +)) / Double(max(steady.count, 1))
            say(String(format: "%@: %d simulated minutes; PagerDuty requests a minute, steady state (minutes %d-%d): mean %.1f, max %d; all minutes: max %d; edits seen within 60 s: %d of %d; mean pass %.0f ms (%.0f s real time)",
                         label, minutes, perMinute.count - steady.count + 1, perMinute.count, mean, steady.max() ?? 0, perMinute.max() ?? 0, seen, minutes,
                         passSeconds / Double(max(passes, 1)) * 1000, Date().timeIntervalSince(started)))
        }
        try await steadyState("with audit records", minutes: options.auditMinutes, editAhead: 1...72)
        // Without audit records (a plan without them): one batched /oncalls poll a minute over
        // the next 24 hours; edits further ahead arrive with the hourly refresh.
        _ = try await control("POST", "/_emulator/abilities", ["abilities": ["teams", "manage_schedules"]])
        await driver.resetChangeFeed()
        _ = try await driver.runSyncPass()
        try await steadyState("without audit records (batched /oncalls)", minutes: options.pollingMinutes, editAhead: 0.5...20)

        // Handoff lag in real time: every rotation hands over at `handoff`.
        let lead: TimeInterval = 4
        clock.run(from: handoff.addingTimeInterval(-lead))
        _ = try await control("POST", "/_emulator/clock", ["now": PagerDutyDate.format(handoff.addingTimeInterval(-lead)), "frozen": false])
        let boundary = Date().addingTimeInterval(lead)
        // The server's two jobs, as `serve` starts them: handoffs, and syncs once a second.
        let stopJobs = driver.startJobs(["handoffs", "pagerduty-sync"])
        var done: Date?
        while Date() < boundary.addingTimeInterval(10) {
            if done == nil, Date() > boundary, try await driver.handoffsPending(atOrBefore: handoff) == 0 {
                done = Date()
            }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        await stopJobs()
        // Audit events carry the wall-clock time of the write.
        let handedOver = try await driver.handoffEvents(since: boundary.addingTimeInterval(-1))
        let enqueued = try await driver.webhookDeliveries(since: handoff.addingTimeInterval(-1))
        say(String(format: "handoff lag: %d rotations handed over at the same instant; all applied, recorded and enqueued %.2f s after it (worst lag, seen by a 50 ms poll); %d handoff events, %d webhook deliveries enqueued",
                     options.rotations, (done ?? .distantFuture).timeIntervalSince(boundary), handedOver, enqueued))

        // The on-duty endpoint against trivial routes of the same app, over HTTP.
        let token = try await driver.issueToken(for: admin, name: "benchmark")
        app.http.server.configuration.hostname = "127.0.0.1"
        app.http.server.configuration.port = 0
        try await app.server.start()
        guard let port = app.http.server.shared.localAddress?.port else { throw Abort(.internalServerError, reason: "no server port") }
        let base = "http://127.0.0.1:\(port)"
        let codes = (0..<options.rotations).map { "R\($0)" }
        var results: [(String, Double, Double)] = []
        for (label, path) in [("GET /api/v1/rotations/{id}/on-duty", nil), ("GET /healthz (no database, no auth)", "/healthz"),
                              ("GET /api/v1/me (auth, one query)", "/api/v1/me")] as [(String, String?)] {
            if options.warmUpSeconds > 0 {
                _ = try await load(seconds: options.warmUpSeconds, connections: options.connections, http: http, token: token) {
                    base + (path ?? "/api/v1/rotations/\(codes.randomElement()!)/on-duty")
                }
            }
            let (rate, p50, p99, failures) = try await load(seconds: options.loadSeconds, connections: options.connections, http: http, token: token) {
                base + (path ?? "/api/v1/rotations/\(codes.randomElement()!)/on-duty")
            }
            results.append((label, rate, p99))
            say(String(format: "%@: %.0f req/s, p50 %.2f ms, p99 %.2f ms, %d non-200 (%d connections, %.0f s after %.0f s of warm-up)",
                         label, rate, p50, p99, failures, options.connections, options.loadSeconds, options.warmUpSeconds))
        }
        say(String(format: "on-duty / healthz: %.2f; on-duty / me: %.2f", results[0].1 / results[1].1, results[0].1 / results[2].1))
        await app.server.shutdown()
    }

    private static func load(seconds: Double, connections: Int, http: AsyncHTTPClientTransport, token: String,
                             url: @escaping @Sendable () -> String) async throws -> (Double, Double, Double, Int) {
        let deadline = Date().addingTimeInterval(seconds)
        let (count, failures, latencies) = try await withThrowingTaskGroup(of: (Int, Int, [Double]).self) { group in
            for _ in 0..<connections {
                group.addTask {
                    var ok = 0, failed = 0
                    var latencies: [Double] = []
                    while Date() < deadline {
                        let started = DispatchTime.now().uptimeNanoseconds
                        let reply = try await http.send(TransportRequest(method: "GET", url: url(), headers: [("Authorization", "Bearer \(token)")]))
                        latencies.append(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6)
                        if reply.status == 200 { ok += 1 } else { failed += 1 }
                    }
                    return (ok, failed, latencies)
                }
            }
            var total = (0, 0, [Double]())
            for try await (ok, failed, latencies) in group {
                total.0 += ok
                total.1 += failed
                total.2 += latencies
            }
            return total
        }
        let sorted = latencies.sorted()
        func percentile(_ p: Double) -> Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
        return (Double(count) / seconds, percentile(0.5), percentile(0.99), failures)
    }
}
