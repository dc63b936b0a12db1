import Foundation
import PagerDutyKit
@testable import Shiftbridge
import SQLKit
import Testing

/// Two instances on one database send with one PagerDuty credential: each has its own pacer,
/// and together they take no more than the minute's allowance from the shared ledger.
@Suite struct RequestLedgerTests {
    @Test(arguments: TestDatabase.allCases)
    func instancesShareOneAllowancePerMinute(_ database: TestDatabase) async throws {
        guard database == .sqlite || TestDatabase.postgresURL != nil else { return }
        try await withTestInstances(2, database) { apps in
            let limit = 30
            let key = "key:test-\(UUID().uuidString)"
            // A local burst of 100: only the shared allowance can hold them back.
            let pacers = [RequestPacer(requestsPerMinute: limit, burst: 100), RequestPacer(requestsPerMinute: limit, burst: 100)]
            let ledgers = apps.map { DatabaseRequestLedger(db: $0.db) }
            let minuteBefore = Int64(Date().timeIntervalSince1970 / 60)
            let sent = await withTaskGroup(of: Int.self) { group in
                for instance in 0..<2 {
                    for _ in 0..<25 {
                        group.addTask {
                            // Whoever still waits after ten seconds waits for the next minute (or got a share of it).
                            let attempt = Task { try await pacers[instance].acquire(priority: .sync, ledger: ledgers[instance], key: key) }
                            let timeout = Task { try await Task.sleep(for: .seconds(10)); attempt.cancel() }
                            defer { timeout.cancel() }
                            return (try? await attempt.value) == nil ? 0 : 1
                        }
                    }
                }
                return await group.reduce(0, +)
            }
            let minuteAfter = Int64(Date().timeIntervalSince1970 / 60)
            // Never above the allowance (a busy machine may leave some still waiting at the cut).
            #expect(sent >= 1 && sent <= (minuteBefore == minuteAfter ? limit : 2 * limit), "\(sent) sent")

            // The ledger itself, without the clock: two instances taking shares of one minute
            // at once get exactly its allowance between them.
            let granted = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<40 {
                    group.addTask { try await ledgers[index % 2].take(3, key: key + "-shares", minute: 42, limit: limit) }
                }
                var total = 0
                for try await share in group {
                    #expect(share <= 3)
                    total += share
                }
                return total
            }
            #expect(granted == limit, "40 shares of 3 asked, \(limit) allowed: \(granted) granted")

            // A ledger never grants more than asked, nor past the limit.
            let spare = try await ledgers[0].take(100, key: key + "-other", minute: minuteAfter, limit: 10)
            #expect(spare == 10, "what is left of the minute")
            #expect(try await ledgers[1].take(5, key: key + "-other", minute: minuteAfter, limit: 10) == 0)
        }
    }
}

extension RequestLedgerTests {
    /// Slack counts per workspace and method: every instance's calls take from the same
    /// minute's allowance of that method's tier.
    @Test func slackCallsOfEveryInstanceCountAgainstTheWorkspace() async throws {
        try await SlackFixture.with { slack in
            try await withTestInstances(2) { apps in
                try await apps[0].createAdmin()
                let api = APIClient(app: apps[0], token: try await apps[0].issueToken())
                #expect(try await slack.connect(api).status == .ok)
                for app in apps {
                    let pair = try #require(try await app.services.slackClients(app.db).clients())
                    for _ in 0..<3 { _ = try await pair.bot.usergroups() }
                }
                let connection = try #require(try await SlackConnection.current(on: apps[0].db))
                let rows = try await (apps[0].db as! any SQLDatabase).raw("""
                    SELECT credential, used FROM request_budgets WHERE credential = \(bind: "slack|\(connection.teamID)|usergroups.list")
                    """).all()
                let used = try rows.map { try $0.decode(column: "used", as: Int.self) }.reduce(0, +)
                #expect(used == 6, "six calls from two instances, one count: \(used)")
                #expect(slack.workspace.calls("usergroups.list") == 6)
            }
        }
    }
}
