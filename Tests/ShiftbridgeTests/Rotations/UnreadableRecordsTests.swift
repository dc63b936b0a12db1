import Fluent
import Foundation
@testable import Shiftbridge
import SQLKit
import Testing
import Vapor
import VaporTesting

/// A stored row the code cannot read is never reinterpreted: not as a manual rotation, not
/// as nobody on duty. Its API answers 500 `unreadable_record` naming the table and id, lists
/// mark it, the Overview lists it, jobs skip it and go on with the rest.
@Suite struct UnreadableRecordsTests {
    @Test(arguments: [TestDatabase.sqlite] + (TestDatabase.postgresURL == nil ? [] : [TestDatabase.postgres]))
    func aBrokenScheduleIsReportedNeverAssumed(_ database: TestDatabase) async throws {
        try await RotationsTests().withRotations(database) { api, clock in
            let app = api.app
            for code in ["GOOD", "BAD"] {
                _ = try await api.createRotation(RotationInput(code: code, name: code, members: ["ann@example.com", "ben@example.com"]))
                _ = try await api.setSchedule(code, ScheduleInput(type: "daily", time: "09:00", time_zone: "Europe/London"))
            }
            let bad = try #require(try await Rotation.query(on: app.db).filter(\.$code == "BAD").first())
            let badID = try bad.requireID()
            // Written by something that is not this version of the app (a downgrade, a hand edit).
            try await (app.db as! any SQLDatabase).raw("UPDATE rotations SET schedule = \(bind: #"{"type":"fortnightly"}"#) WHERE id = \(bind: badID)").run()

            for path in ["/api/v1/rotations/BAD", "/api/v1/rotations/BAD/on-duty", "/api/v1/rotations/BAD/shifts?days=1"] {
                let answer = try await api.call(.GET, path)
                #expect(answer.status == .internalServerError, "\(path): \(answer.text)")
                #expect(try answer.error.code == "unreadable_record" && answer.error.message.contains("rotations record \(badID.uuidString)"), "\(path)")
            }
            let list = try await api.get("/api/v1/rotations", as: RotationsAPIController.RotationList.self).rotations
            let marked = try #require(list.first { $0.code == "BAD" })
            #expect(marked.schedule == nil && marked.unreadable?.code == "unreadable_record")
            #expect(list.first { $0.code == "GOOD" }?.schedule?.type == "daily")
            let browser = Browser(app)
            _ = try await browser.signIn(email: "ops@example.com", password: testPassword)
            #expect(try await browser.request(.GET, "/").body.string.contains("BAD: its stored schedule cannot be read"))
            #expect(try await browser.request(.GET, "/rotations").body.string.contains("unreadable"))
            #expect(try await api.call(.POST, "/api/v1/rotations/BAD/rotate").status == .internalServerError)

            // The handoff job hands GOOD over at 09:00 and leaves BAD as it is.
            clock.advance(hours: 1.01)
            try await app.applyDueHandoffs()
            #expect(try await api.onDuty("GOOD") == ["ben@example.com"])
            let stored = try #require(try await Rotation.find(badID, on: app.db))
            #expect(stored.position == 0 && stored.positionAt == bad.positionAt)

            // Setting the schedule again is the fix.
            _ = try await api.setSchedule("BAD", ScheduleInput(type: "weekdays", time: "09:00", weekdays: [1, 3], time_zone: "Europe/London"))
            #expect(try await api.call(.GET, "/api/v1/rotations/BAD").status == .ok)
        }
    }

    @Test func aBrokenHeldTimelineIsNotNobodyOnDuty() async throws {
        try await RotationsTests().withRotations { api, _ in
            let app = api.app
            _ = try await api.createRotation(RotationInput(code: "HELD", name: "Held", members: ["ann@example.com"]))
            let rotation = try #require(try await Rotation.query(on: app.db).filter(\.$code == "HELD").first())
            rotation.store(schedule: .pagerDuty(scheduleID: "PABC"))
            try await rotation.save(on: app.db)
            let sync = RotationSync(rotationID: try rotation.requireID())
            try await sync.create(on: app.db)
            try await (app.db as! any SQLDatabase).raw("UPDATE rotation_syncs SET timeline = 'not json' WHERE id = \(bind: try sync.requireID())").run()
            let answer = try await api.call(.GET, "/api/v1/rotations/HELD/on-duty")
            #expect(answer.status == .internalServerError, "\(answer.text)")
            #expect(try answer.error.message.contains("rotation_syncs record"), "\(answer.text)")
            try await app.applyDueHandoffs()  // skipped, not failed
        }
    }
}
