import Fluent
import Foundation
import ShiftbridgeCore
import SQLKit

/// A rotation's schedule becomes one value (`schedule`, JSON of `RotationSchedule`) instead of
/// four columns with weekdays as "1,2,3"; each existing rotation's schedule is carried over.
struct RotationScheduleAsOneValue: AsyncMigration {
    var name: String { "014_RotationScheduleAsOneValue" }

    func prepare(on database: any Database) async throws {
        try await database.schema(Rotation.schema).field("schedule", .string).update()
        guard let sql = database as? any SQLDatabase else { return }
        let rows = try await sql.select().columns("id", "schedule_type", "schedule_time", "schedule_weekdays", "time_zone", "pagerduty_schedule_id")
            .from(Rotation.schema).all()
        for row in rows {
            let days = (try row.decode(column: "schedule_weekdays", as: String?.self) ?? "").split(separator: ",").compactMap { Int($0) }
            let schedule = (try? RotationSchedule.parse(
                type: try row.decode(column: "schedule_type", as: String.self), time: try row.decode(column: "schedule_time", as: String?.self),
                weekday: days.first, weekdays: days, timeZone: try row.decode(column: "time_zone", as: String?.self),
                scheduleID: try row.decode(column: "pagerduty_schedule_id", as: String?.self))) ?? .manual
            try await sql.update(Rotation.schema).set("schedule", to: String(decoding: try JSONEncoder().encode(schedule), as: UTF8.self))
                .set("schedule_type", to: schedule.kind.rawValue)
                .where("id", .equal, try row.decode(column: "id", as: UUID.self)).run()
        }
        for column in ["schedule_time", "schedule_weekdays", "pagerduty_schedule_id", "time_zone"] {
            try await database.schema(Rotation.schema).deleteField(.string(column)).update()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Rotation.schema).deleteField("schedule").update()
    }
}
