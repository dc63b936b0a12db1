import Fluent

struct CreateRotations: AsyncMigration {
    var name: String { "007_CreateRotations" }

    func prepare(on database: any Database) async throws {
        try await database.schema(Rotation.schema)
            .id()
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("description", .string)
            .field("is_public", .bool, .required)
            .field("duty_size", .int, .required)
            .field("enabled", .bool, .required)
            .field("schedule_type", .string, .required)
            .field("schedule_time", .string)
            .field("schedule_weekdays", .string)
            .field("time_zone", .string, .required)
            .field("pagerduty_schedule_id", .string)
            .field("position", .int, .required)
            .field("position_at", .datetime, .required)
            .field("created_by", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "code")
            .create()
        try await database.schema(RotationMember.schema)
            .id()
            .field("rotation_id", .uuid, .required, .references(Rotation.schema, .id, onDelete: .cascade))
            .field("person_id", .uuid, .required, .references(Person.schema, .id, onDelete: .cascade))
            .field("position", .int, .required)
            .unique(on: "rotation_id", "person_id")
            .create()
        try await database.schema(RotationOwner.schema)
            .id()
            .field("rotation_id", .uuid, .required, .references(Rotation.schema, .id, onDelete: .cascade))
            .field("user_id", .uuid, .required, .references(User.schema, .id, onDelete: .cascade))
            .unique(on: "rotation_id", "user_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(RotationOwner.schema).delete()
        try await database.schema(RotationMember.schema).delete()
        try await database.schema(Rotation.schema).delete()
    }
}
