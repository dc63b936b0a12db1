import Fluent
import Foundation
import NIOConcurrencyHelpers
import PagerDutyEmulator
import PagerDutyKit
@testable import Shiftbridge
import Testing
import Vapor
import VaporTesting

/// Rotations bound to PagerDuty schedules, against the emulator over loopback. The app's
/// clock and the emulator's move together.
@Suite struct PagerDutySyncTests {
    struct Fixture {
        let app: Application
        let emulator: EmulatorServer
        let pd: PagerDutyClient
        let api: RotationsTests.API
        var clock: TestClock { app.testParts.clock }
        let users: [String: String]  // email → PagerDuty id

        func advance(_ seconds: TimeInterval) async throws {
            clock.advance(seconds: seconds)
            _ = try await raw("POST", "/_emulator/clock", ["advance_seconds": Int(seconds)])
        }

        @discardableResult
        func raw(_ method: String, _ path: String, _ json: Any? = nil, key: String? = nil) async throws -> (status: Int, json: [String: Any]) {
            var headers: [(String, String)] = [("Content-Type", "application/json")]
            if let key { headers.append(("Authorization", "Token token=\(key)")) }
            let reply = try await AsyncHTTPClientTransport().send(TransportRequest(method: method, url: emulator.baseURL + path, headers: headers,
                                                                                   body: try json.map { try JSONSerialization.data(withJSONObject: $0) }))
            return (reply.status, (try? JSONSerialization.jsonObject(with: reply.body)) as? [String: Any] ?? [:])
        }

        func members(_ code: String) async throws -> RotationsAPIController.Roster {
            try await api.get("/api/v1/rotations/\(code)/members", as: RotationsAPIController.Roster.self)
        }

        func sync(_ code: String) async throws -> RotationsAPIController.OnDuty {
            try await api.call(.POST, "/api/v1/rotations/\(code)/sync", as: RotationsAPIController.OnDuty.self)
        }

        func onDuty(_ code: String) async throws -> [String] {
            try await api.onDuty(code)
        }
    }

    static let start = ISO8601DateFormatter().date(from: "2026-03-02T08:00:00Z")!  // a Monday

    func withSync(_ database: TestDatabase = .sqlite, _ body: (Fixture, String) async throws -> Void) async throws {
        let emulator = try await EmulatorServer.start(port: 0, seed: .empty)
        do {
            try await withTestApp(database) { app in
                app.testParts.clock.set(Self.start)
                let fixtureKey = emulator.state.createAPIKey(readOnly: false)
                var configuration = PagerDutyClientConfiguration(baseURL: emulator.baseURL, fromEmail: "owner@shiftbridge-demo.example")
                configuration.maxAttempts = 2
                let pd = PagerDutyClient(credential: .apiKey(fixtureKey), configuration: configuration)
                try await app.createAdmin()
                let token = try await app.issueToken(email: "ops@example.com", name: "t")
                let fixture = Fixture(app: app, emulator: emulator, pd: pd, api: .init(app: app, token: token), users: [:])
                _ = try await fixture.raw("POST", "/_emulator/clock", ["now": "2026-03-02T08:00:00Z"])
                var users: [String: String] = [:]
                for (name, email) in [("Ann", "ann@example.com"), ("Ben", "ben@example.com"), ("Cat", "cat@example.com"), ("Dee", "dee@elsewhere.com")] {
                    users[email] = try await pd.createUser(PDUserInput(name: name, email: email)).id
                }
                // Ann and Ben are already in Shiftbridge's directory; Cat and Dee are not.
                for (name, email) in [("Ann Lee", "ann@example.com"), ("Ben Wu", "ben@example.com")] {
                    _ = try await app.services.people(app.db).add(.init(email: email, name: name), actor: "test")
                }
                let created = try await fixture.raw("POST", "/schedules", ["schedule": [
                    "type": "schedule", "name": "Ops primary", "time_zone": "Etc/UTC",
                    "schedule_layers": [["start": "2026-03-01T00:00:00Z", "rotation_virtual_start": "2026-03-02T09:00:00Z", "rotation_turn_length_seconds": 86_400,
                                         "users": [["user": ["id": users["ann@example.com"]!, "type": "user_reference"]],
                                                   ["user": ["id": users["ben@example.com"]!, "type": "user_reference"]],
                                                   ["user": ["id": users["cat@example.com"]!, "type": "user_reference"]]]]],
                ]], key: fixtureKey)
                let scheduleID = (created.json["schedule"] as! [String: Any])["id"] as! String
                _ = try await app.services.pagerDutyConnector(app.db).connect(apiKey: emulator.state.createAPIKey(readOnly: true), region: .us, baseURL: emulator.baseURL, actor: "test")
                try await body(Fixture(app: app, emulator: emulator, pd: pd, api: fixture.api, users: users), scheduleID)
            }
        } catch {
            await emulator.shutdown()
            throw error
        }
        await emulator.shutdown()
    }

    @Test func bindingFollowsMembersOnCallOverridesAndLayerEdits() async throws {
        try await withSync { f, scheduleID in
            _ = try await f.api.call(.POST, "/api/v1/rotations", ["code": "OPS", "name": "Ops", "members": ["ann@example.com"]])
            let bound = try await f.api.call(.PUT, "/api/v1/rotations/OPS/schedule", ["type": "pagerduty", "schedule_id": scheduleID])
            #expect(bound.status == .ok, "\(bound.text)")
            // 08:00: Cat still holds the turn that began yesterday at 09:00.
            let roster = try await f.members("OPS")
            #expect(roster.members.map(\.email) == ["ann@example.com", "ben@example.com", "cat@example.com"])
            #expect(roster.linked == 2 && roster.total == 3 && roster.read_only)
            let duty = try await f.api.get("/api/v1/rotations/OPS/on-duty", as: RotationsAPIController.OnDuty.self)
            #expect(duty.on_duty.first?.email == "cat@example.com")
            #expect(duty.on_duty.first?.linked == false)
            #expect(duty.source == "pagerduty" && !duty.stale)
            #expect(duty.until == ISO8601DateFormatter().date(from: "2026-03-02T09:00:00Z"))
            #expect(try await Person.query(on: f.app.db).filter(\.$email == "cat@example.com").first()?.source == .pagerDuty)
            let editMembers = try await f.api.call(.PATCH, "/api/v1/rotations/OPS", ["members": ["ann@example.com"]])
            #expect(editMembers.status == .conflict)
            #expect(try await f.api.call(.POST, "/api/v1/rotations/OPS/rotate").status == .conflict)

            // The shift boundary passes: the held timeline hands over without asking PagerDuty.
            _ = try await f.raw("POST", "/_emulator/stats/reset")
            try await f.advance(3600)
            #expect(try await f.onDuty("OPS") == ["ann@example.com"])
            #expect((try await f.raw("GET", "/_emulator/stats").json["total"] as? Int) == 0)

            // An override in PagerDuty shows after the next sync, with two people on call at once.
            _ = try await f.raw("POST", "/schedules/\(scheduleID)/overrides", ["override": [
                "start": "2026-03-02T09:30:00Z", "end": "2026-03-02T12:00:00Z", "user": ["id": f.users["dee@elsewhere.com"]!, "type": "user_reference"]]],
                key: f.emulator.state.createAPIKey(readOnly: false))
            _ = try await f.raw("POST", "/schedules/\(scheduleID)/overrides", ["override": [
                "start": "2026-03-02T09:30:00Z", "end": "2026-03-02T11:00:00Z", "user": ["id": f.users["ben@example.com"]!, "type": "user_reference"]]],
                key: f.emulator.state.createAPIKey(readOnly: false))
            try await f.advance(1800)
            let synced = try await f.api.call(.POST, "/api/v1/rotations/OPS/sync")
            #expect(synced.status == .ok)
            #expect(Set(try await f.onDuty("OPS")) == ["dee@elsewhere.com", "ben@example.com"])
            #expect(try await f.members("OPS").members.map(\.email).contains("dee@elsewhere.com"))

            // A layer edit in PagerDuty: Cat leaves the layer.
            _ = try await f.raw("PUT", "/schedules/\(scheduleID)", ["schedule": [
                "type": "schedule", "name": "Ops primary", "time_zone": "Etc/UTC",
                "schedule_layers": [["start": "2026-03-01T00:00:00Z", "rotation_virtual_start": "2026-03-02T09:00:00Z", "rotation_turn_length_seconds": 86_400,
                                     "users": [["user": ["id": f.users["ann@example.com"]!, "type": "user_reference"]], ["user": ["id": f.users["ben@example.com"]!, "type": "user_reference"]]]]],
            ]], key: f.emulator.state.createAPIKey(readOnly: false))
            _ = try await f.api.call(.POST, "/api/v1/rotations/OPS/sync")
            #expect(!(try await f.members("OPS").members.map(\.email).contains("cat@example.com")))
            #expect(!(try await f.api.get("/api/v1/rotations/OPS/shifts?days=3", as: RotationsAPIController.ShiftList.self).shifts.isEmpty))
            #expect(try await AuditEvent.query(on: f.app.db).filter(\.$action == .rotationHandoff).count() >= 2)
        }
    }

    @Test func failuresNeverChangeARotation() async throws {
        try await withSync { f, scheduleID in
            _ = try await f.api.call(.POST, "/api/v1/rotations", ["code": "OPS", "name": "Ops"])
            _ = try await f.api.call(.PUT, "/api/v1/rotations/OPS/schedule", ["type": "pagerduty", "schedule_id": scheduleID])
            let membersBefore = try await f.members("OPS")
            let dutyBefore = try await f.onDuty("OPS")
            _ = try await f.raw("POST", "/_emulator/faults", ["rate": 1.0, "kinds": ["500", "malformed", "429"], "paths": ["/schedules", "/users"]])
            let stale = try await f.sync("OPS")
            #expect(stale.stale)
            #expect(stale.stale_since != nil)
            #expect(try await f.members("OPS") == membersBefore)
            #expect(try await f.onDuty("OPS") == dutyBefore)
            _ = try await f.raw("DELETE", "/_emulator/faults")
            #expect(try await f.sync("OPS").stale == false)

            // The schedule is deleted in PagerDuty: the rotation says so and keeps its members.
            _ = try await f.raw("DELETE", "/schedules/\(scheduleID)", key: f.emulator.state.createAPIKey(readOnly: false))
            #expect(try await f.sync("OPS").source_missing)
            #expect(try await f.members("OPS") == membersBefore)
            let browser = Browser(f.app)
            _ = try await browser.signIn(email: "ops@example.com", password: testPassword)
            #expect(try await browser.request(.GET, "/rotations/OPS").body.string.contains("Source schedule missing"))
        }
    }

    @Test(arguments: [TestDatabase.sqlite] + (TestDatabase.postgresURL == nil ? [] : [TestDatabase.postgres]))
    func theSchedulerFollowsAuditRecordsAndRespectsLeases(_ database: TestDatabase) async throws {
        try await withSync(database) { f, scheduleID in
            _ = try await f.api.call(.POST, "/api/v1/rotations", ["code": "OPS", "name": "Ops"])
            _ = try await f.api.call(.PUT, "/api/v1/rotations/OPS/schedule", ["type": "pagerduty", "schedule_id": scheduleID])
            let writer = f.emulator.state.createAPIKey(readOnly: false)
            _ = try await f.app.followPagerDuty()  // the first look sees the schedule's creation
            try await f.advance(61)

            // Nothing changed in PagerDuty: one audit read, no schedule read.
            _ = try await f.raw("POST", "/_emulator/stats/reset")
            #expect(try await f.app.followPagerDuty() == 0)
            let quiet = try await f.raw("GET", "/_emulator/stats").json
            #expect(quiet["total"] as? Int == 1)
            #expect((quiet["by_path"] as? [String: Int])?["/audit/records"] == 1)

            // An override is added in PagerDuty: the next look re-reads that schedule.
            _ = try await f.raw("POST", "/schedules/\(scheduleID)/overrides", ["override": [
                "start": "2026-03-02T08:02:00Z", "end": "2026-03-02T08:30:00Z", "user": ["id": f.users["ben@example.com"]!, "type": "user_reference"]]], key: writer)
            try await f.advance(61)
            #expect(try await f.app.followPagerDuty() == 1)
            #expect(try await f.onDuty("OPS") == ["ben@example.com"])

            // Another instance holds this rotation's lease: this one leaves the sync to it.
            _ = try await f.raw("POST", "/schedules/\(scheduleID)/overrides", ["override": [
                "start": "2026-03-02T08:40:00Z", "end": "2026-03-02T08:50:00Z", "user": ["id": f.users["ann@example.com"]!, "type": "user_reference"]]], key: writer)
            try await f.advance(61)
            let rotationID = try #require(try await Rotation.query(on: f.app.db).first()?.id)
            #expect(try await Leases.acquire("rotation-sync:\(rotationID)", ttl: 55, on: f.app.db, holder: "other-instance", now: f.clock.now()))
            #expect(try await f.app.followPagerDuty() == 0)

            // The 09:00 handoff comes from the held timeline, without a sync.
            try await f.advance(3600)
            _ = try await f.app.followPagerDuty()
            #expect(try await f.onDuty("OPS") == ["ann@example.com"])
            // Recorded once, even though a second pass runs, and shown in the rotation's history.
            _ = try await f.app.followPagerDuty()
            let handoffs = try await AuditEvent.query(on: f.app.db).filter(\.$action == .rotationHandoff).filter(\.$afterSummary == "ann@example.com").count()
            #expect(handoffs == 1)
            let browser = Browser(f.app)
            _ = try await browser.signIn(email: "ops@example.com", password: testPassword)
            let page = try await browser.request(.GET, "/rotations/OPS").body.string
            #expect(page.contains("id=\"history\"") && page.contains("Handoff") && page.contains("ann@example.com"))
        }
    }

    @Test func withoutAuditRecordsOneBatchedOnCallPollAMinuteFindsChanges() async throws {
        try await withSync { f, scheduleID in
            let writer = f.emulator.state.createAPIKey(readOnly: false)
            // An account whose plan has no audit records; the schedule is on an escalation policy.
            _ = try await f.raw("POST", "/_emulator/abilities", ["abilities": ["teams", "manage_schedules"]])
            let policy = try await f.raw("POST", "/escalation_policies", ["escalation_policy": [
                "type": "escalation_policy", "name": "Ops", "escalation_rules": [["escalation_delay_in_minutes": 30, "targets": [["id": scheduleID, "type": "schedule_reference"]]]]]], key: writer)
            #expect(policy.status == 201)
            _ = try await f.api.call(.POST, "/api/v1/rotations", ["code": "OPS", "name": "Ops"])
            _ = try await f.api.call(.PUT, "/api/v1/rotations/OPS/schedule", ["type": "pagerduty", "schedule_id": scheduleID])
            _ = try await f.app.followPagerDuty()  // learns that audit records are unavailable
            try await f.advance(61)

            // Nothing changed: one /oncalls read (all schedules in one request), no schedule read.
            _ = try await f.raw("POST", "/_emulator/stats/reset")
            #expect(try await f.app.followPagerDuty() == 0)
            let quiet = try await f.raw("GET", "/_emulator/stats").json
            #expect((quiet["by_path"] as? [String: Int])?["/oncalls"] == 1)
            #expect(quiet["total"] as? Int == 1)
            // Within the minute, no further poll.
            try await f.advance(20)
            #expect(try await f.app.followPagerDuty() == 0)
            #expect((try await f.raw("GET", "/_emulator/stats").json["total"] as? Int) == 1)

            // An override later today: the next poll sees the difference and re-reads that schedule.
            _ = try await f.raw("POST", "/schedules/\(scheduleID)/overrides", ["override": [
                "start": "2026-03-02T15:00:00Z", "end": "2026-03-02T16:00:00Z", "user": ["id": f.users["dee@elsewhere.com"]!, "type": "user_reference"]]], key: writer)
            try await f.advance(45)
            #expect(try await f.app.followPagerDuty() == 1)
            let shifts = try await f.api.get("/api/v1/rotations/OPS/shifts?days=1", as: RotationsAPIController.ShiftList.self).shifts
            #expect(shifts.contains { $0.people.first?.email == "dee@elsewhere.com" })

            // A failed poll changes nothing and syncs nothing.
            _ = try await f.raw("POST", "/_emulator/faults", ["rate": 1, "kinds": ["500"], "paths": ["/oncalls"]])
            try await f.advance(61)
            #expect(try await f.app.followPagerDuty() == 0)
            _ = try await f.raw("DELETE", "/_emulator/faults")
            #expect(try await f.api.get("/api/v1/rotations/OPS/on-duty", as: RotationsAPIController.OnDuty.self).stale == false)
        }
    }

    @Test func theDashboardSearchesPreviewsAndBinds() async throws {
        try await withSync { f, scheduleID in
            _ = try await f.api.call(.POST, "/api/v1/rotations", ["code": "OPS", "name": "Ops"])
            let browser = Browser(f.app)
            _ = try await browser.signIn(email: "ops@example.com", password: testPassword)
            let search = try await browser.request(.GET, "/rotations/OPS?pd_query=ops")
            #expect(search.body.string.contains("External: follow a PagerDuty schedule"))
            #expect(search.body.string.contains("Ops primary — Etc/UTC, 3 people"))
            let preview = try await browser.request(.GET, "/rotations/OPS?pd_query=ops&preview=\(scheduleID)")
            #expect(preview.body.string.contains("Preview: Ops primary"))
            #expect(preview.body.string.contains("Ann, Ben, Cat"))
            let bound = try await browser.request(.POST, "/rotations/OPS/schedule", form: ["type": "pagerduty", "schedule_id": scheduleID, "_csrf": try browser.csrfToken(from: preview)])
            #expect(bound.status == .seeOther)
            let page = try await browser.request(.GET, "/rotations/OPS").body.string
            #expect(page.contains("Follows PagerDuty; last synced"))
            #expect(page.contains("2 of 3 linked"))
            #expect(page.contains("Members come from PagerDuty"))
            let none = try await browser.request(.GET, "/rotations/OPS?pd_query=zzz")
            #expect(none.body.string.contains("No PagerDuty schedule matches."))
        }
    }

    @Test func bindingNeedsAConnectionAndARealSchedule() async throws {
        try await withSync { f, scheduleID in
            _ = try await f.api.call(.POST, "/api/v1/rotations", ["code": "OPS", "name": "Ops"])
            let unknown = try await f.api.call(.PUT, "/api/v1/rotations/OPS/schedule", ["type": "pagerduty", "schedule_id": "PNOSUCH"])
            #expect(unknown.status == .unprocessableEntity && unknown.text.contains("schedule_id"))
            _ = try await f.api.call(.PUT, "/api/v1/rotations/OPS/schedule", ["type": "pagerduty", "schedule_id": scheduleID])
            // Disconnecting turns bound rotations back to manual, members kept.
            let members = try await f.api.get("/api/v1/rotations/OPS", as: RotationsAPIController.RotationDTO.self).members
            #expect(try await f.api.call(.DELETE, "/api/v1/integrations/pagerduty").status == .noContent)
            let after = try await f.api.get("/api/v1/rotations/OPS", as: RotationsAPIController.RotationDTO.self)
            #expect(after.schedule?.type == "manual")
            #expect(after.members == members)
            let again = try await f.api.call(.PUT, "/api/v1/rotations/OPS/schedule", ["type": "pagerduty", "schedule_id": scheduleID])
            #expect(again.status == .conflict && again.text.contains("Connect PagerDuty"))
        }
    }
}
