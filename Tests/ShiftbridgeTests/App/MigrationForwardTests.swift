import Fluent
import Foundation
@testable import Shiftbridge
import ShiftbridgeCore
import SQLKit
import Testing

/// A database written by the version before schedules were one value opens with every
/// rotation's schedule carried over.
@Suite struct MigrationForwardTests {
    @Test(arguments: [TestDatabase.sqlite] + (TestDatabase.postgresURL == nil ? [] : [TestDatabase.postgres]))
    func schedulesInFourColumnsBecomeOneValue(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await app.createAdmin()
            let api = APIClient(app: app, token: try await app.issueToken())
            for code in ["WEEKDAYS", "WEEKLY", "BOUND", "BROKEN"] { try await api.createRotation(RotationInput(code: code, name: code)) }
            // The rotations table as 013 left it: four columns, weekdays as "1,3,5". One connection
            // throughout: SQLite's other pooled connections may still hold the schema they read.
            try await app.db.withConnection { db in
                let sql = try #require(db as? any SQLDatabase)
                try await sql.raw("ALTER TABLE rotations DROP COLUMN schedule").run()
                for column in ["schedule_time", "schedule_weekdays", "pagerduty_schedule_id", "time_zone"] {
                    try await sql.raw("ALTER TABLE rotations ADD COLUMN \(ident: column) TEXT").run()
                }
                for (code, type, time, days, zone, scheduleID) in [
                    ("WEEKDAYS", "weekdays", "09:00", "1,3,5", "Europe/Berlin", nil), ("WEEKLY", "weekly", "17:30", "7", "Asia/Tokyo", nil),
                    ("BOUND", "pagerduty", nil, nil, nil, "PABC123"), ("BROKEN", "daily", "25:99", nil, "Nowhere/City", nil),
                ] as [(String, String, String?, String?, String?, String?)] {
                    try await sql.update("rotations").set("schedule_type", to: type).set("schedule_time", to: time).set("schedule_weekdays", to: days)
                        .set("time_zone", to: zone).set("pagerduty_schedule_id", to: scheduleID).where("code", .equal, code).run()
                }
                try await RotationScheduleAsOneValue().prepare(on: db)
            }

            func schedule(_ code: String) async throws -> RotationSchedule? {
                try await Rotation.query(on: app.db).filter(\.$code == code).first()?.schedule
            }
            let nine = TimeOfDay(hour: 9, minute: 0)!
            #expect(try await schedule("WEEKDAYS") == .customDays([1, 3, 5], at: nine, timeZone: "Europe/Berlin"))
            #expect(try await schedule("WEEKLY") == .weekly(weekday: 7, at: TimeOfDay(hour: 17, minute: 30)!, timeZone: "Asia/Tokyo"))
            #expect(try await schedule("BOUND") == .pagerDuty(scheduleID: "PABC123"))
            // A value no version could have accepted turns manual rather than failing the upgrade.
            #expect(try await schedule("BROKEN") == .manual)
            #expect(try await api.get("/api/v1/rotations/WEEKDAYS", as: RotationsAPIController.RotationDTO.self).schedule?.weekdays == [1, 3, 5])
        }
    }
}
