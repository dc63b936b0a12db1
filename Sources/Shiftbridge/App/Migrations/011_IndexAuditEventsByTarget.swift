import Fluent
import SQLKit

/// A rotation's history reads its own events, newest first.
struct IndexAuditEventsByTarget: AsyncMigration {
    var name: String { "011_IndexAuditEventsByTarget" }

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "audit_events_target_occurred_at").on(AuditEvent.schema).column("target").column("occurred_at").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(index: "audit_events_target_occurred_at").run()
    }
}
