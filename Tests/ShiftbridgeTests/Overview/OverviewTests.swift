import Fluent
import Foundation
@testable import Shiftbridge
import Testing
import Vapor
import VaporTesting

/// The overview and the audit log as people read them: on duty now, until and next, in the
/// viewer's zone; what needs attention; activity in words; the log filtered and diffed.
@Suite struct OverviewTests {
    @Test func theOverviewAnswersWhoIsOnDutyAndWhatIsWrong() async throws {
        try await RotationsTests().withRotations { api, clock in
            _ = try await api.createRotation(RotationInput(code: "OPS", name: "Ops", members: ["ann@example.com", "ben@example.com"]))
            _ = try await api.setSchedule("OPS", ScheduleInput(type: "daily", time: "09:00", time_zone: "Europe/Berlin"))
            #expect(try await api.call(.PATCH, "/api/v1/me", ["time_zone": "America/New_York"]).status == .ok)
            #expect(try await api.call(.PATCH, "/api/v1/me", ["time_zone": "Mars/Olympus"]).status == .unprocessableEntity)
            let browser = Browser(api.app)
            _ = try await browser.signIn(email: "ops@example.com", password: testPassword)
            let page = try await browser.request(.GET, "/").body.string
            // 08:00 UTC on Monday 5 January, Berlin's 09:00: Ann's turn began; Ben is next, tomorrow.
            #expect(page.contains("<span class=\"avatar\" aria-hidden=\"true\">A</span><span class=\"person\">Ann</span>"))
            #expect(page.contains("Next: Ben"))
            // Shown in the viewer's zone, the zone named, with how long from now.
            #expect(page.contains("Mon 5 Jan 2026, 03:00 EST"))
            #expect(page.contains("(now)") || page.contains("(in "))
            #expect(page.contains("id=\"handoffs\""))
            #expect(page.contains("<svg") && page.contains("class=\"timeline\""))
            #expect(page.contains("ops@example.com created OPS"))
            #expect(!page.contains("id=\"needs-attention\""))

            // A failing webhook target shows up, linking to where it is fixed.
            let delivery = WebhookDelivery()
            let hook = Webhook()
            hook.url = "https://hooks.example.com/in"
            hook.sealedSecret = try api.app.services.secrets.seal("0123456789abcdef")
            hook.secretLast4 = "cdef"
            hook.createdAt = clock.now()
            hook.createdBy = "test"
            try await hook.create(on: api.app.db)
            delivery.$webhook.id = try hook.requireID()
            delivery.event = "duty.changed"
            delivery.payload = "{}"
            delivery.status = .failed
            delivery.attempts = 8
            delivery.nextAttemptAt = clock.now()
            delivery.createdAt = clock.now()
            try await delivery.create(on: api.app.db)
            let troubled = try await browser.request(.GET, "/").body.string
            #expect(troubled.contains("id=\"needs-attention\"") && troubled.contains("1 webhook deliveries failed") && troubled.contains("href=\"/settings/webhooks\""))
        }
    }

    @Test func theAuditLogFiltersAndShowsChangesFieldByField() async throws {
        try await RotationsTests().withRotations { api, _ in
            _ = try await api.createRotation(RotationInput(code: "OPS", name: "Ops", members: ["ann@example.com", "ben@example.com"]))
            _ = try await api.call(.PATCH, "/api/v1/rotations/OPS", ["name": "Operations"])
            _ = try await api.call(.POST, "/api/v1/rotations/OPS/rotate")
            let browser = Browser(api.app)
            _ = try await browser.signIn(email: "ops@example.com", password: testPassword)
            let rotated = try await browser.request(.GET, "/audit?action=rotation.rotated").body.string
            #expect(rotated.contains("<del>ann@example.com</del> → <ins>ben@example.com</ins>"))
            #expect(!rotated.contains("<code>rotation.created</code>"))
            let byTarget = try await browser.request(.GET, "/audit?target=rotation%3AOPS&from=2026-01-05&to=2026-01-05").body.string
            #expect(byTarget.contains("<code>rotation.created</code>") && byTarget.contains("value=\"rotation:OPS\""))
            let none = try await browser.request(.GET, "/audit?from=2026-01-06").body.string
            #expect(none.contains("Nothing recorded that matches."))
            let bad = try await browser.request(.GET, "/audit?from=yesterday").body.string
            #expect(bad.contains("from: a date such as 2026-01-05"))
        }
    }

    @Test func diffsComparePairsAndJSON() {
        let summary = AuditDiff(before: "name: Ops; members: 2; duty size: 1", after: "name: Operations; members: 2; duty size: 1")
        #expect(summary.changes == [.init(field: "name", before: "Ops", after: "Operations")])
        let json = AuditDiff(before: #"{"role":"user","teams":["A"]}"#, after: #"{"role":"admin","teams":["A"]}"#)
        #expect(json.changes == [.init(field: "role", before: "user", after: "admin")])
        #expect(AuditDiff(before: "ann", after: "ben").changes == [.init(field: nil, before: "ann", after: "ben")])
    }
}
