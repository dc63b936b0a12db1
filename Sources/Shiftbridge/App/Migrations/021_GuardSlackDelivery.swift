import Fluent

/// Slack requests replayed inside their signature window are refused (each one's signature
/// is kept until the window ends); a message whose answer was lost says since when; a user
/// group records the rotation Shiftbridge made it for.
struct GuardSlackDelivery: AsyncMigration {
    var name: String { "021_GuardSlackDelivery" }

    func prepare(on database: any Database) async throws {
        try await database.schema(SeenRequest.schema)
            .field("key", .string, .identifier(auto: false))
            .field("expires_at", .datetime, .required)
            .create()
        try await database.schema(SlackMessage.schema).field("uncertain_since", .datetime).update()
        try await database.schema(SlackTarget.schema).field("created_for_rotation_id", .uuid).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SlackTarget.schema).deleteField("created_for_rotation_id").update()
        try await database.schema(SlackMessage.schema).deleteField("uncertain_since").update()
        try await database.schema(SeenRequest.schema).delete()
    }
}
