import Fluent
import SQLKit

/// Sessions of our own (rows only for signed-in users, expiring), invitations, and audit
/// events that name the rotation they belong to by id, so history survives a new code and
/// each user reads only the events of rotations they may see.
struct AccountsAndAuditScopes: AsyncMigration {
    var name: String { "013_AccountsAndAuditScopes" }

    func prepare(on database: any Database) async throws {
        try await database.schema(WebSession.schema)
            .field("id_hash", .string, .identifier(auto: false))
            .field("user_id", .uuid, .required, .references(User.schema, .id, onDelete: .cascade))
            .field("data", .string, .required)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .create()
        try await database.schema(Invitation.schema)
            .id()
            .field("email", .string, .required)
            .field("is_admin", .bool, .required)
            .field("token_hash", .string, .required)
            .field("invited_by", .string, .required)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .unique(on: "email")
            .unique(on: "token_hash")
            .create()
        try await database.schema(AuditEvent.schema).field("rotation_id", .uuid).update()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "web_sessions_expires_at").on(WebSession.schema).column("expires_at").run()
        try await sql.create(index: "audit_events_rotation_occurred_at").on(AuditEvent.schema).column("rotation_id").column("occurred_at").run()
        try await Self.carryOverRotationHistory(on: sql)
        // Vapor's session table: every anonymous visit wrote a row there, and none expired.
        try await database.schema("_fluent_sessions").delete()
    }

    /// Events of rotations that exist now carry their id; a deleted rotation's keep their code.
    static func carryOverRotationHistory(on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            UPDATE audit_events SET rotation_id = (SELECT rotations.id FROM rotations WHERE 'rotation:' || rotations.code = audit_events.target)
            WHERE target LIKE 'rotation:%' AND rotation_id IS NULL
            """).run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AuditEvent.schema).deleteField("rotation_id").update()
        try await database.schema(Invitation.schema).delete()
        try await database.schema(WebSession.schema).delete()
    }
}
