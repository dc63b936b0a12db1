import Fluent

struct CreateRotationSecrets: AsyncMigration {
    var name: String { "009_CreateRotationSecrets" }

    func prepare(on database: any Database) async throws {
        try await database.schema(RotationSecret.schema)
            .id()
            .field("rotation_id", .uuid, .required, .references(Rotation.schema, .id, onDelete: .cascade))
            .field("kind", .string, .required)
            .field("digest", .string, .required)
            .field("last4", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "rotation_id", "kind")
            .unique(on: "digest")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(RotationSecret.schema).delete()
    }
}
