import Foundation
import Shiftbridge
import ShiftbridgeCore
import SlackEmulator
import Vapor

/// `shiftbridge-bench slack`: many rotations feeding Slack user groups, handing over at one
/// instant, against the Slack emulator with Slack's documented tiers (release build; see
/// BENCHMARKS.md).
///
/// 1. Set-up: `rotations` manual rotations of two people each, all handing over at the same
///    minute, in `groups` on-duty groups (rotation i feeds group i mod groups). The groups
///    already hold who is on duty, as after a first sync.
/// 2. Handover, in real time, with the jobs running as `serve` runs them: seconds from the
///    boundary until the first group holds exactly its new members, and until every group
///    does, against the floor Tier 2 (20 `usergroups.users.update` a minute) allows.
/// 3. Quiet hour, simulated: the delivery pass every second for an hour of the app's clock
///    with nothing changing; Slack calls by method.
package enum SlackBenchmark {
    package struct Options: Sendable {
        package var rotations = 1000
        package var groups = 200
        package init() {}
    }

    package static func run(_ options: Options) async throws {
        let clock = BenchmarkClock()
        var parts = AppParts.live
        parts.clock = clock
        try await BenchmarkHarness.withAppAndEmulator(parts: parts) { app, _ in
            let slack = try await SlackEmulatorServer.start(port: 0, seed: .empty, logLevel: .error)
            do { try await measure(app, slack: slack, clock: clock, options: options) } catch {
                await slack.shutdown()
                throw error
            }
            await slack.shutdown()
        }
    }

    private static func measure(_ app: Application, slack: SlackEmulatorServer, clock: BenchmarkClock, options: Options) async throws {
        let driver = AppDriver(app)
        let workspace = slack.workspace
        let admin = "bench@example.com"
        try await driver.ensureAdministrator(email: admin, password: "benchmark-password-1", actor: "benchmark")

        // The boundary: the next whole minute at least 90 s away, in UTC.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let soon = Date().addingTimeInterval(90 + Double(options.rotations) / 20)
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: soon)
        let boundary = calendar.date(from: parts)!.addingTimeInterval(60)
        let at = TimeOfDay(hour: calendar.component(.hour, from: boundary), minute: calendar.component(.minute, from: boundary))!

        let setupStarted = Date()
        var slackIDs: [String: String] = [:]
        for index in 0..<(options.rotations * 2) {
            let email = "p\(index)@bench.example"
            slackIDs[email] = workspace.addUser(name: "Person \(index)", email: email)
            try await driver.addPerson(email: email, name: "Person \(index)", timeZone: "Etc/UTC", actor: "benchmark")
        }
        let token = workspace.createToken(kind: "bot", scopes: SlackWorkspace.productScopes)!
        // Groups as a first sync leaves them: each holds its rotations' first members.
        for group in 0..<options.groups {
            let members = stride(from: group, to: options.rotations, by: options.groups).map { slackIDs["p\($0 * 2)@bench.example"]! }
            _ = workspace.addGroup(handle: "bench-g\(group)", users: members)
        }
        try await driver.connectSlack(botToken: token, baseURL: slack.apiBaseURL, signingSecret: nil, actor: "benchmark")
        for index in 0..<options.rotations {
            try await driver.createRotation(code: "S\(index)", name: "Slack \(index)", members: ["p\(index * 2)@bench.example", "p\(index * 2 + 1)@bench.example"],
                                            owner: admin)
            try await driver.setSchedule(code: "S\(index)", .daily(at: at, timeZone: "Etc/UTC"), by: admin)
            try await driver.setSlackOutputs(code: "S\(index)", onDutyUsergroup: "bench-g\(index % options.groups)", channel: nil, topicTemplate: nil,
                                             handoffMessageTemplate: nil, actor: admin)
        }
        // The first delivery pass finds every group already right: one list, no update.
        try await driver.runSlackDeliveryPass()
        let updatesBefore = workspace.calls("usergroups.users.update")
        print("set-up: \(options.rotations) rotations, \(options.rotations * 2) people, \(options.groups) groups in \(String(format: "%.1f", Date().timeIntervalSince(setupStarted))) s; "
            + "first pass made \(updatesBefore) group updates (groups were already right)")

        // The handover, in real time, with the jobs running as `serve` runs them.
        let expected: [String: Set<String>] = Dictionary(uniqueKeysWithValues: (0..<options.groups).map { group in
            ("bench-g\(group)", Set(stride(from: group, to: options.rotations, by: options.groups).map { slackIDs["p\($0 * 2 + 1)@bench.example"]! }))
        })
        let stop = driver.startJobs(["handoffs", "slack-delivery"])
        print("waiting \(Int(boundary.timeIntervalSinceNow)) s for the boundary at \(boundary)")
        try await Task.sleep(for: .seconds(max(0, boundary.timeIntervalSinceNow)))
        var firstRight: Double?
        var right: Set<String> = []
        let floor = Double((options.groups - 1) / 20) * 60  // Tier 2: 20 a minute, the first 20 at once
        let deadline = boundary.addingTimeInterval(max(120, floor * 2))
        while right.count < options.groups, Date() < deadline {
            for (handle, members) in expected where !right.contains(handle) {
                if let group = workspace.group(handle: handle), Set(group.users) == members, group.enabled {
                    right.insert(handle)
                    if firstRight == nil { firstRight = Date().timeIntervalSince(boundary) }
                }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        let allRight = Date().timeIntervalSince(boundary)
        await stop()
        print(String(format: "handover: first group right %.2f s after the boundary (goal ≤ 2 s)", firstRight ?? -1))
        print(String(format: "handover: %d of %d groups right after %.1f s; Tier 2 floor %.0f s; ratio %.2f (goal ≤ 1.2)",
                     right.count, options.groups, allRight, floor, floor > 0 ? allRight / floor : 0))
        print("handover: usergroups.users.update calls \(workspace.calls("usergroups.users.update") - updatesBefore) for \(options.groups) groups; "
            + "429s answered \(workspace.rateLimitedCount)")

        // A quiet hour: nothing changes; the delivery pass every simulated second.
        clock.freeze(Date())
        let callsBefore = workspace.callsByMethod
        for _ in 0..<3600 {
            clock.advance(1)
            try await driver.runSlackDeliveryPass()
        }
        let callsAfter = workspace.callsByMethod
        let quiet = callsAfter.filter { $0.value != callsBefore[$0.key] }.map { "\($0.key) \($0.value - (callsBefore[$0.key] ?? 0))" }.sorted()
        print("quiet hour: Slack calls \(quiet.isEmpty ? "none" : quiet.joined(separator: ", ")) (goal: only the hourly users.list refresh, "
            + "\((options.rotations * 2 + 3 + 199) / 200) pages)")
    }
}
