import Fluent
import SQLKit

/// Webhook deliveries and provisioning items are claimed before they are worked on, so
/// instances sharing one database never send or apply the same one twice.
struct AddWorkClaims: AsyncMigration {
    var name: String { "015_AddWorkClaims" }

    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds one at a time.
        for table in [WebhookDelivery.schema, ProvisioningItem.schema] {
            try await database.schema(table).field("claimed_by", .string).update()
            try await database.schema(table).field("claimed_until", .datetime).update()
        }
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "webhook_deliveries_due").on(WebhookDelivery.schema).column("status").column("next_attempt_at").run()
    }

    func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase {
            try await sql.drop(index: "webhook_deliveries_due").run()
        }
        for table in [WebhookDelivery.schema, ProvisioningItem.schema] {
            try await database.schema(table).deleteField("claimed_by").update()
            try await database.schema(table).deleteField("claimed_until").update()
        }
    }
}
