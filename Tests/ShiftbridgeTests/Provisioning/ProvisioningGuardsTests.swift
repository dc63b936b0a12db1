import Fluent
import Foundation
@testable import Shiftbridge
import Testing
import Vapor
import VaporTesting

/// One provisioning run is open at a time, and a create whose answer is lost still ends
/// applied, with the PagerDuty id known.
@Suite struct ProvisioningGuardsTests {
    @Test func aSecondRunWaitsForTheOpenOne() async throws {
        try await ProvisioningTests().withProvisioning(mode: "supervised") { f in
            _ = try await f.importCSV(([ProvisioningTests.header] + ProvisioningTests.staff).joined(separator: "\n"))
            let first = try await f.api.call(.POST, "/api/v1/provisioning/runs", ["dry_run": false])
            #expect(first.status == .created)
            let run = try first.decode(ProvisioningTests.Run.self)
            #expect(run.status == .pendingApproval)
            let second = try await f.api.call(.POST, "/api/v1/provisioning/runs", ["dry_run": false])
            #expect(second.status == .conflict)
            let runID = try #require(run.id).uuidString
            #expect(second.text.contains("run_in_progress") && second.text.contains(runID))
            // A dry run plans nothing to apply: always allowed.
            #expect(try await f.api.call(.POST, "/api/v1/provisioning/runs", ["dry_run": true]).status == .created)
            _ = try await f.decide(run, "reject", ["all": true])
            #expect(try await f.api.call(.POST, "/api/v1/provisioning/runs", ["dry_run": false]).status == .created)
        }
    }

    @Test func twoStartsAtOnceMakeOneRunAndEachUserOnce() async throws {
        try await ProvisioningTests().withProvisioning(mode: "autopilot") { f in
            _ = try await f.importCSV(([ProvisioningTests.header] + ProvisioningTests.staff.prefix(3)).joined(separator: "\n"))
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<2 { group.addTask { Int(try await f.api.call(.POST, "/api/v1/provisioning/runs", ["dry_run": false]).status.code) } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.sorted() == [201, 409], "\(statuses)")
            for run in try await ProvisioningRun.query(on: f.app.db).all() { try await f.app.applyProvisioning(try run.requireID()) }
            let created = try await ProvisioningItem.query(on: f.app.db).filter(\.$state == .done).count()
            #expect(created == 3)
            for email in ["ann@corp.example", "ben@corp.example", "cat@corp.example"] { #expect(try await f.count(email) == 1) }
        }
    }

    @Test func aCreateWhoseAnswerIsLostEndsAppliedWithItsPagerDutyID() async throws {
        try await ProvisioningTests().withProvisioning(mode: "autopilot") { f in
            _ = try await f.importCSV(([ProvisioningTests.header] + ProvisioningTests.staff.prefix(1)).joined(separator: "\n"))
            // Every create takes effect, then its answer arrives unreadable.
            _ = try await f.emulator("POST", "/_emulator/faults", ["rate": 1, "kinds": ["malformed"], "paths": ["/users"], "methods": ["POST"], "when": "after"])
            let run = try await f.run()
            _ = try await f.emulator("DELETE", "/_emulator/faults")
            let ann = try #require(run.items?.first { $0.email == "ann@corp.example" })
            #expect(ann.state == .done, "\(ann)")
            let user = try #require(try await f.pagerDutyUser("ann@corp.example"))
            #expect(ann.pagerduty_user_id == user.id)
            #expect(try await f.count("ann@corp.example") == 1)
            #expect(try await EmployeeRecord.query(on: f.app.db).filter(\.$employeeID == "E1").first()?.pagerDutyUserID == user.id)
        }
    }
}
