import Fluent
import Foundation
import PagerDutyEmulator
import PagerDutyKit
@testable import Shiftbridge
import Testing
import Vapor
import VaporTesting

/// A rotation following several PagerDuty schedules (primary and secondary): its members and
/// on-duty people are their union; a failed read of any one changes nothing.
@Suite struct ScheduleUnionTests {
    @Test func aRotationFollowsTheUnionOfSeveralSchedules() async throws {
        try await PagerDutySyncTests().withSync { f, primary in
            let writer = f.emulator.state.createAPIKey(readOnly: false)
            // A secondary: Dee all day, every day.
            let created = try await f.raw("POST", "/schedules", ["schedule": [
                "type": "schedule", "name": "Ops secondary", "time_zone": "Etc/UTC",
                "schedule_layers": [["start": "2026-03-01T00:00:00Z", "rotation_virtual_start": "2026-03-02T09:00:00Z", "rotation_turn_length_seconds": 86_400,
                                     "users": [["user": ["id": f.users["dee@elsewhere.com"]!, "type": "user_reference"]]]]],
            ]], key: writer)
            let secondary = try #require((created.json["schedule"] as? [String: Any])?["id"] as? String)
            _ = try await f.api.call(.POST, "/api/v1/rotations", ["code": "OPS", "name": "Ops"])
            let refused = try await f.api.call(.PUT, "/api/v1/rotations/OPS/schedule", ["type": "pagerduty", "schedule_ids": [primary, primary]])
            #expect(refused.status == .unprocessableEntity && refused.text.contains("schedule_ids"))
            let unknown = try await f.api.call(.PUT, "/api/v1/rotations/OPS/schedule", ["type": "pagerduty", "schedule_ids": [primary, "PNOSUCH"]])
            #expect(unknown.status == .unprocessableEntity && unknown.text.contains("PNOSUCH"))

            let bound = try await f.api.call(.PUT, "/api/v1/rotations/OPS/schedule", ["type": "pagerduty", "schedule_ids": [primary, secondary]])
            #expect(bound.status == .ok, "\(bound.text)")
            let dto = try bound.decode(RotationsAPIController.RotationDTO.self)
            #expect(dto.schedule?.schedule_ids == [primary, secondary] && dto.schedule?.schedule_id == primary)
            // 08:00: Cat on the primary, Dee on the secondary.
            #expect(Set(try await f.onDuty("OPS")) == ["cat@example.com", "dee@elsewhere.com"])
            #expect(Set(try await f.members("OPS").members.map(\.email)) == ["ann@example.com", "ben@example.com", "cat@example.com", "dee@elsewhere.com"])
            // The primary hands over at 09:00; the secondary's Dee stays.
            try await f.advance(3600)
            #expect(Set(try await f.onDuty("OPS")) == ["ann@example.com", "dee@elsewhere.com"])

            // The secondary cannot be read: the last good union stays, and the rotation is stale.
            _ = try await f.raw("POST", "/_emulator/faults", ["rate": 1, "kinds": ["500"], "paths": ["/schedules/\(secondary)"]])
            let duty = try await f.sync("OPS")
            #expect(duty.stale && Set(duty.on_duty.compactMap(\.email)) == ["ann@example.com", "dee@elsewhere.com"])
            _ = try await f.raw("DELETE", "/_emulator/faults")
            #expect(try await f.sync("OPS").stale == false)
            let stored = try #require(try await Rotation.query(on: f.app.db).filter(\.$code == "OPS").first())
            #expect(try stored.schedule == .pagerDuty(scheduleIDs: [primary, secondary]))

            // The dashboard says what is followed, and offers a previewed schedule to join or replace them.
            _ = try await f.api.call(.PUT, "/api/v1/rotations/OPS/schedule", ["type": "pagerduty", "schedule_id": primary])
            let browser = Browser(f.app)
            _ = try await browser.signIn(email: "ops@example.com", password: testPassword)
            let page = try await browser.request(.GET, "/rotations/OPS?pd_query=Ops&preview=\(secondary)").body.string
            #expect(page.contains("Following now: \(primary).") && page.contains("id=\"add-schedule\""))
            // Before joining them, the preview shows each source and whom they would have on duty together.
            #expect(page.contains("id=\"pd-combined\"") && page.contains("<dt>Schedule Ops primary</dt>") && page.contains("<dt>Schedule Ops secondary</dt>"))
            #expect(page.contains(": Ann, Dee</li>"), "merged on-duty set")
            // Bound to both again: the page shows each source and whom it has on call.
            _ = try await f.api.call(.PUT, "/api/v1/rotations/OPS/schedule", ["type": "pagerduty", "schedule_ids": [primary, secondary]])
            let sources = try await browser.request(.GET, "/rotations/OPS").body.string
            #expect(sources.contains("<dt>Schedule \(primary)</dt><dd>Ann</dd>") && sources.contains("<dt>Schedule \(secondary)</dt><dd>Dee</dd>"))
            #expect(page.contains("name=\"schedule_ids[]\" value=\"\(primary)\"") && page.contains("name=\"schedule_ids[]\" value=\"\(secondary)\""))
        }
    }

    @Test func aRotationFollowsTheLevelsOfAnEscalationPolicy() async throws {
        try await PagerDutySyncTests().withSync { f, primary in
            let writer = f.emulator.state.createAPIKey(readOnly: false)
            // Level 1: the primary schedule; level 2: Dee, targeted directly.
            let created = try await f.raw("POST", "/escalation_policies", ["escalation_policy": [
                "type": "escalation_policy", "name": "Ops escalation", "escalation_rules": [
                    ["escalation_delay_in_minutes": 30, "targets": [["id": primary, "type": "schedule_reference"]]],
                    ["escalation_delay_in_minutes": 30, "targets": [["id": f.users["dee@elsewhere.com"]!, "type": "user_reference"]]],
                ]]], key: writer)
            let policy = try #require((created.json["escalation_policy"] as? [String: Any])?["id"] as? String)
            _ = try await f.api.call(.POST, "/api/v1/rotations", ["code": "ESC", "name": "Escalation"])
            let unknown = try await f.api.call(.PUT, "/api/v1/rotations/ESC/schedule", ["type": "pagerduty_escalation_policy", "escalation_policy_id": "PNOSUCH"])
            #expect(unknown.status == .unprocessableEntity && unknown.text.contains("escalation_policy_id"))
            let tooDeep = try await f.api.call(.PUT, "/api/v1/rotations/ESC/schedule", ["type": "pagerduty_escalation_policy", "escalation_policy_id": policy, "max_level": 21])
            #expect(tooDeep.status == .unprocessableEntity && tooDeep.text.contains("max_level"))

            // The dashboard previews the policy's levels before following it.
            let browser = Browser(f.app)
            _ = try await browser.signIn(email: "ops@example.com", password: testPassword)
            let preview = try await browser.request(.GET, "/rotations/ESC?preview_policy=\(policy)&max_level=2").body.string
            #expect(preview.contains("Preview: Ops escalation, levels 1–2") && preview.contains("Level 2: Dee, paged directly"))
            #expect(preview.contains(": Cat, Dee</li>") && preview.contains("name=\"escalation_policy_id\" value=\"\(policy)\""), "merged: Cat on the schedule, Dee always")
            let badLevel = try await browser.request(.GET, "/rotations/ESC?preview_policy=\(policy)&max_level=99").body.string
            #expect(badLevel.contains("max_level"))
            let first = try await f.api.call(.PUT, "/api/v1/rotations/ESC/schedule", ["type": "pagerduty_escalation_policy", "escalation_policy_id": policy, "max_level": 1])
            #expect(first.status == .ok, "\(first.text)")
            let dto = try first.decode(RotationsAPIController.RotationDTO.self)
            #expect(dto.schedule?.type == "pagerduty_escalation_policy" && dto.schedule?.escalation_policy_id == policy && dto.schedule?.max_level == 1)
            #expect(try await f.onDuty("ESC") == ["cat@example.com"])  // level 1 only: whoever the primary has on call

            _ = try await f.api.call(.PUT, "/api/v1/rotations/ESC/schedule", ["type": "pagerduty_escalation_policy", "escalation_policy_id": policy, "max_level": 2])
            #expect(Set(try await f.onDuty("ESC")) == ["cat@example.com", "dee@elsewhere.com"])  // and Dee, paged directly at level 2
            try await f.advance(3600)
            #expect(Set(try await f.onDuty("ESC")) == ["ann@example.com", "dee@elsewhere.com"])
            #expect(try await f.members("ESC").members.map(\.email).contains("dee@elsewhere.com"))
            // The card counts the credential's requests of the last minute, by what they were for.
            let card = try await f.api.get("/api/v1/integrations/pagerduty", as: PagerDutyConnectionSummary.self)
            #expect((card.requests_last_minute ?? 0) >= 4 && card.request_limit == 960 && (card.requests_by_purpose?["handoffs"] ?? 0) >= 4)

            // The same from the dashboard's External group.
            let page = try await browser.request(.GET, "/rotations/ESC")
            #expect(page.body.string.contains("PagerDuty escalation policy \(policy), levels 1–2") && page.body.string.contains("id=\"preview-policy\""))
            #expect(page.body.string.contains("<dt>Paged directly (level 2)</dt><dd>Dee</dd>"))
            let bound = try await browser.request(.POST, "/rotations/ESC/schedule", form: [
                "type": "pagerduty_escalation_policy", "escalation_policy_id": policy, "max_level": "1", "_csrf": try browser.csrfToken(from: page)])
            #expect(bound.status == .seeOther)
            #expect(try await f.onDuty("ESC") == ["ann@example.com"])
        }
    }
}
