import Fluent

struct CreateOAuthAttempts: AsyncMigration {
    var name: String { "005_CreateOAuthAttempts" }

    func prepare(on database: any Database) async throws {
        try await database.schema(OAuthAttempt.schema)
            .field("state_hash", .string, .identifier(auto: false))
            .field("user_id", .uuid, .required, .references(User.schema, .id, onDelete: .cascade))
            .field("session_nonce", .string)
            .field("sealed_payload", .string, .required)
            .field("expires_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OAuthAttempt.schema).delete()
    }
}
