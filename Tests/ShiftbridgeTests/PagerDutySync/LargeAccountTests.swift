import Foundation
import PagerDutyEmulator
@testable import Shiftbridge
import Testing

/// An account with more than 10,000 users, which PagerDuty cannot list whole by offset: a
/// schedule's people are still found by email, with one read of the schedule's own users
/// rather than one per person, and nobody is taken for deleted because a list was cut short.
@Suite struct LargeAccountTests {
    @Test func peopleBeyondTheListingCeilingAreFoundThroughTheirSchedule() async throws {
        try await PagerDutySyncTests().withSync { f, _ in
            let handoff = try #require(ISO8601DateFormatter().date(from: "2026-03-02T09:00:00Z"))
            _ = f.emulator.state.addScale(users: 10_000, schedules: 0, handoff: handoff)
            // Twelve people created after the first 10,000, in one daily rotation.
            let late = try #require(f.emulator.state.addScale(users: 12, schedules: 1, usersPerSchedule: 12, emailPrefix: "late", handoff: handoff).first)
            _ = try await f.api.call(.POST, "/api/v1/rotations", ["code": "BIG", "name": "Big account"])
            _ = try await f.raw("POST", "/_emulator/stats/reset")
            let bound = try await f.api.call(.PUT, "/api/v1/rotations/BIG/schedule", ["type": "pagerduty", "schedule_id": late])
            #expect(bound.status == .ok, "\(bound.text)")

            let roster = try await f.members("BIG")
            #expect(roster.members.map(\.email) == (0..<12).map { "late\($0)@scale.example" })
            // 08:00, before the 09:00 handoff: the last of the twelve still holds yesterday's turn.
            #expect(try await f.onDuty("BIG") == ["late11@scale.example"])
            let paths = try await f.raw("GET", "/_emulator/stats").json["by_path"] as? [String: Int] ?? [:]
            #expect(paths["/users"] == 100, "the list is read up to PagerDuty's ceiling once: \(paths)")
            #expect(paths["/schedules/{id}/users"] == 1, "\(paths)")
            #expect(paths["/users/{id}"] == nil, "no one-by-one reads: \(paths)")

            // Another schedule of the same people: the emails are remembered, and the list is not read again.
            _ = try await f.raw("POST", "/_emulator/stats/reset")
            #expect(try await f.sync("BIG").stale == false)
            let again = try await f.raw("GET", "/_emulator/stats").json["by_path"] as? [String: Int] ?? [:]
            #expect(again["/users"] == nil && again["/schedules/{id}/users"] == nil, "\(again)")
        }
    }
}
