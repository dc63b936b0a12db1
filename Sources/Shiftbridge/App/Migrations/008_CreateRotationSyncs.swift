import Fluent

struct CreateRotationSyncs: AsyncMigration {
    var name: String { "008_CreateRotationSyncs" }

    func prepare(on database: any Database) async throws {
        try await database.schema(RotationSync.schema)
            .id()
            .field("rotation_id", .uuid, .required, .references(Rotation.schema, .id, onDelete: .cascade))
            .field("synced_at", .datetime)
            .field("stale_since", .datetime)
            .field("last_error", .string)
            .field("source_missing", .bool, .required)
            .field("timeline", .string, .required)
            .field("on_duty", .string, .required)
            .field("on_duty_until", .datetime)
            .unique(on: "rotation_id")
            .create()
        try await database.schema(PagerDutyUserRecord.schema)
            .field("pagerduty_id", .string, .identifier(auto: false))
            .field("email", .string)
            .field("name", .string)
            .field("fetched_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PagerDutyUserRecord.schema).delete()
        try await database.schema(RotationSync.schema).delete()
    }
}
