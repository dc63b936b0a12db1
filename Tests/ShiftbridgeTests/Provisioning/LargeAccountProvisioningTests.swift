import Foundation
import PagerDutyEmulator
@testable import Shiftbridge
import Testing

/// An account with more than 10,000 PagerDuty users: the offset-paged list stops at 10,000,
/// so employees beyond it are looked up one by one; none is taken for absent (and created
/// twice), and a terminated one is still found and offboarded.
@Suite struct LargeAccountProvisioningTests {
    @Test func employeesBeyondTheListingCeilingAreLookedUpByEmail() async throws {
        try await ProvisioningTests().withProvisioning(mode: "supervised") { f in
            _ = f.emulator.state.addScale(users: 10_000, schedules: 0, handoff: Date())
            _ = f.emulator.state.addScale(users: 3, schedules: 0, emailPrefix: "late", handoff: Date())
            let csv = [ProvisioningTests.header,
                       "L0,late0@scale.example,Person,0,active,,,Engineering,,,,Etc/UTC",
                       "L1,late1@scale.example,Person,1,active,,,Engineering,,,,Etc/UTC",
                       "L2,late2@scale.example,Person,2,terminated,,2026-01-01,Engineering,,,,Etc/UTC"].joined(separator: "\n")
            #expect(try await f.importCSV(csv).status == .created)
            _ = try await f.emulator("POST", "/_emulator/stats/reset")
            let run = try await f.run()
            let items = Dictionary(uniqueKeysWithValues: (run.items ?? []).map { ($0.employee_id, $0) })
            #expect(items["L0"]?.action != .create && items["L1"]?.action != .create, "found, not created again: \(items.mapValues(\.action))")
            #expect(items["L2"]?.action == .delete && items["L2"]?.pagerduty_user_id != nil)
            let stats = try await f.emulator("GET", "/_emulator/stats")
            let paths = stats["by_path"] as? [String: Int] ?? [:]
            // The list up to its ceiling, then one query per employee beyond it.
            #expect(paths["/users"].map { $0 >= 100 + 3 } == true, "\(paths)")
        }
    }
}
