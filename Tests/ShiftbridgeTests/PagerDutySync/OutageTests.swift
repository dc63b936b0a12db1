import Fluent
import Foundation
@testable import Shiftbridge
import Testing
import Vapor

/// An outage is not a storm: while PagerDuty fails, a pass retries once and the next passes
/// back off, so an outage costs at most twice a healthy minute's requests; handoffs still
/// come on time from the held timeline; and a rotation says it is stale once PagerDuty has
/// been silent longer than a sync interval.
@Suite struct OutageTests {
    /// Passes every 5 s of simulated time for `seconds`, as the job runs them; the emulator's
    /// count of requests answered (or refused) meanwhile.
    func requests(over seconds: Int, _ f: PagerDutySyncTests.Fixture) async throws -> Int {
        _ = try await f.raw("POST", "/_emulator/stats/reset")
        for _ in 0..<(seconds / 5) {
            try await f.advance(5)
            _ = try await f.app.followPagerDuty()
        }
        return try await f.raw("GET", "/_emulator/stats").json["total"] as? Int ?? -1
    }

    @Test func anOutageCostsFewerRequestsThanItsLengthInHealthyMinutes() async throws {
        try await PagerDutySyncTests().withSync { f, scheduleID in
            _ = try await f.api.call(.POST, "/api/v1/rotations", ["code": "OPS", "name": "Ops"])
            _ = try await f.api.call(.PUT, "/api/v1/rotations/OPS/schedule", ["type": "pagerduty", "schedule_id": scheduleID])
            _ = try await f.app.followPagerDuty()
            let steady = try await requests(over: 180, f)
            #expect(steady >= 3 && steady <= 4, "steady: \(steady) requests in 3 minutes (one audit read a minute)")

            // PagerDuty answers 500 to everything for 80 s, then recovers.
            _ = try await f.raw("POST", "/_emulator/faults", ["rate": 1, "kinds": ["500"]])
            let during = try await requests(over: 80, f)
            #expect(during >= 1 && Double(during) <= 2 * Double(steady) / 180 * 80, "outage: \(during) requests in 80 s against \(steady) in 3 healthy minutes")

            // A longer outage (an hour) thins out further still: under one a minute.
            let later = try await requests(over: 3600, f)
            #expect(Double(later) <= Double(steady) / 3 * 60, "an hour's outage: \(later) requests")
            let onDuty = try await f.api.get("/api/v1/rotations/OPS/on-duty", as: RotationsAPIController.OnDuty.self)
            #expect(onDuty.stale && onDuty.problem?.contains("PagerDuty has not answered") == true, "silent longer than a sync interval: \(onDuty)")

            // The 09:00 handoff happened on time from the held timeline, outage or not.
            #expect(try await f.onDuty("OPS") == ["ann@example.com"])

            // Recovered: within the backoff, passes read again and the rotation is fresh.
            _ = try await f.raw("DELETE", "/_emulator/faults")
            _ = try await requests(over: 320, f)
            let fresh = try await f.api.get("/api/v1/rotations/OPS/on-duty", as: RotationsAPIController.OnDuty.self)
            #expect(!fresh.stale, "\(fresh)")
        }
    }
}
