import Fluent

/// Each account's time zone for the dashboard (nil: the browser's).
struct AddUserTimeZone: AsyncMigration {
    var name: String { "017_AddUserTimeZone" }

    func prepare(on database: any Database) async throws {
        try await database.schema(User.schema).field("time_zone", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(User.schema).deleteField("time_zone").update()
    }
}
