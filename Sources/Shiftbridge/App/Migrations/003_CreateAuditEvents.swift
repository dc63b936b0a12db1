import Fluent
import SQLKit

struct CreateAuditEvents: AsyncMigration {
    var name: String { "003_CreateAuditEvents" }

    func prepare(on database: any Database) async throws {
        try await database.schema(AuditEvent.schema)
            .id()
            .field("actor", .string, .required)
            .field("action", .string, .required)
            .field("target", .string, .required)
            .field("before_summary", .string)
            .field("after_summary", .string)
            .field("occurred_at", .datetime, .required)
            .create()
        // The audit page reads newest first.
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "audit_events_occurred_at").on(AuditEvent.schema).column("occurred_at").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AuditEvent.schema).delete()
    }
}
