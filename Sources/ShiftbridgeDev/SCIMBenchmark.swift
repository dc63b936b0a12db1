import Foundation
import NIOConcurrencyHelpers
import PagerDutyEmulator
import PagerDutyKit
import Shiftbridge
import Vapor

/// `shiftbridge-bench scim`: an identity provider's first push, as Okta or Entra ID make it
/// when the app is assigned to everyone: `users` POST /scim/v2/Users over HTTP on loopback
/// from `connections` connections, then a provisioning run planned from them (against a
/// PagerDuty account already holding those people, so the plan changes nothing, as in the
/// CSV benchmark).
package enum SCIMBenchmark {
    package struct Options: Sendable {
        package var users = 10_000
        package var connections = 16
        package init() {}
    }

    package static func run(_ options: Options) async throws {
        try await BenchmarkHarness.withAppAndEmulator { app, emulator in try await measure(app, emulator: emulator, options: options) }
    }

    private static func measure(_ app: Application, emulator: EmulatorServer, options: Options) async throws {
        let driver = AppDriver(app)
        // PagerDuty holds everyone already (with the owner, `users + 1`; offset paging reads 10,000).
        _ = emulator.state.addScale(users: min(options.users, 9999), schedules: 0, handoff: Date())
        try await driver.connectPagerDuty(apiKey: emulator.state.createAPIKey(readOnly: false), baseURL: emulator.baseURL, actor: "benchmark")
        try await driver.saveProvisioningSettings(#"{"mode":"autopilot","termination_threshold_percent":100,"termination_threshold_count":100000}"#, actor: "benchmark")
        let token = try await driver.createSCIMToken(name: "benchmark", actor: "benchmark")
        app.http.server.configuration.hostname = "127.0.0.1"
        app.http.server.configuration.port = 0
        try await app.server.start()
        guard let port = app.http.server.shared.localAddress?.port else { throw Abort(.internalServerError, reason: "no server port") }
        let url = "http://127.0.0.1:\(port)/scim/v2/Users"
        let http = AsyncHTTPClientTransport()
        let baseline = ProvisioningBenchmark.peakMemoryMB()

        let next = NIOLockedValueBox(0)
        let started = Date()
        let (created, failures, latencies) = try await withThrowingTaskGroup(of: (Int, [String], [Double]).self) { group in
            for _ in 0..<options.connections {
                group.addTask {
                    var ok = 0
                    var failed: [String] = []
                    var latencies: [Double] = []
                    while true {
                        let index = next.withLockedValue { value -> Int in value += 1; return value - 1 }
                        guard index < options.users else { break }
                        let body = """
                            {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
                             "userName": "person\(index)@scale.example", "externalId": "okta-\(index)", "active": true,
                             "name": {"givenName": "Person", "familyName": "\(index)"}, "displayName": "Person \(index)",
                             "emails": [{"primary": true, "type": "work", "value": "person\(index)@scale.example"}],
                             "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"employeeNumber": "E\(index)", "department": "Engineering"}}
                            """
                        let sent = DispatchTime.now().uptimeNanoseconds
                        let reply = try await http.send(TransportRequest(method: "POST", url: url,
                                                                         headers: [("Authorization", "Bearer \(token)"), ("Content-Type", "application/scim+json")],
                                                                         body: Data(body.utf8)))
                        latencies.append(Double(DispatchTime.now().uptimeNanoseconds - sent) / 1e6)
                        if reply.status == 201 { ok += 1 } else if failed.count < 3 { failed.append("\(reply.status) \(String(decoding: reply.body.prefix(200), as: UTF8.self))") }
                    }
                    return (ok, failed, latencies)
                }
            }
            var total = (0, [String](), [Double]())
            for try await (ok, failed, latencies) in group {
                total.0 += ok
                total.1 += failed
                total.2 += latencies
            }
            return total
        }
        let pushSeconds = Date().timeIntervalSince(started)
        let sorted = latencies.sorted()
        func percentile(_ p: Double) -> Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
        let afterPush = ProvisioningBenchmark.peakMemoryMB()
        say(String(format: "SCIM push: %d users POSTed from %d connections in %.1f s = %.0f requests/s; p50 %.1f ms, p99 %.1f ms; %d created, %d refused%@",
                   options.users, options.connections, pushSeconds, Double(options.users) / pushSeconds, percentile(0.5), percentile(0.99),
                   created, options.users - created, failures.isEmpty ? "" : " (" + failures.joined(separator: "; ") + ")"))

        let planStarted = Date()
        let plan = try await driver.startProvisioningRun(dryRun: false, actor: "benchmark")
        let planSeconds = Date().timeIntervalSince(planStarted)
        let report = try await driver.provisioningReport(plan.id)
        say(String(format: "plan from the pushed employees: %.2f s (%d employees, %d no change, status %@)", planSeconds, report.total, report.noChange, plan.status.rawValue))
        say(String(format: "memory: peak resident %.0f MB before the push, %.0f MB after it, %.0f MB after the plan (the process also holds the emulator)",
                   baseline, afterPush, ProvisioningBenchmark.peakMemoryMB()))
        await app.server.shutdown()
    }
}
