import Fluent
import Foundation
import NIOConcurrencyHelpers
@testable import Shiftbridge
import Testing
import Vapor
import VaporTesting

@Suite struct RotationPagesTests {
    @Test func createRotateAndScheduleFromTheDashboard() async throws {
        try await withTestApp { app in
            try await app.createAdmin()
            let people = app.services.people(app.db)
            for (name, email) in [("Ann", "ann@example.com"), ("Ben", "ben@example.com")] {
                _ = try await people.add(.init(email: email, name: name), actor: "test")
            }
            let browser = Browser(app)
            _ = try await browser.signIn(email: "ops@example.com", password: testPassword)
            let list = try await browser.request(.GET, "/rotations")
            #expect(list.body.string.contains("No rotations yet"))
            let csrf = try browser.csrfToken(from: list)
            let bad = try await browser.request(.POST, "/rotations", form: ["code": "ops", "name": "Ops", "duty_size": "1", "members_text": "ann@example.com\nzed@example.com", "_csrf": csrf])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("zed@example.com"))
            let created = try await browser.request(.POST, "/rotations", form: ["code": "ops", "name": "Ops", "duty_size": "1", "members_text": "ann@example.com\nben@example.com", "_csrf": csrf])
            #expect(created.headers.first(name: .location) == "/rotations/OPS")
            let page = try await browser.request(.GET, "/rotations/OPS")
            #expect(page.body.string.contains("Ann (ann@example.com)</li>"))
            // Without a PagerDuty connection there is no External group to offer.
            #expect(!page.body.string.contains("External: follow"))
            #expect(page.body.string.contains("2 of 2 linked"))
            _ = try await browser.request(.POST, "/rotations/OPS/rotate", form: ["_csrf": csrf])
            let rotated = try await browser.request(.GET, "/rotations/OPS")
            #expect(rotated.body.string.contains("Rotated: ben@example.com now on duty."))
            let wrong = try await browser.request(.POST, "/rotations/OPS/schedule", form: ["type": "weekly", "time": "09:00", "time_zone": "Etc/UTC", "_csrf": csrf])
            #expect(wrong.status == .unprocessableEntity)
            #expect(wrong.body.string.contains("weekday"))
            let saved = try await browser.request(.POST, "/rotations/OPS/schedule", form: ["type": "weekly", "time": "09:00", "weekdays[]": "1", "time_zone": "Europe/Berlin", "_csrf": csrf])
            #expect(saved.status == .seeOther)
            #expect(try await browser.request(.GET, "/rotations/OPS").body.string.contains("weekly on Mon at 09:00 Europe/Berlin"))
        }
    }
}
