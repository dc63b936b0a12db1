import Fluent

struct CreateWebhooks: AsyncMigration {
    var name: String { "010_CreateWebhooks" }

    func prepare(on database: any Database) async throws {
        try await database.schema(Webhook.schema)
            .id()
            .field("url", .string, .required)
            .field("sealed_secret", .string, .required)
            .field("secret_last4", .string, .required)
            .field("rotation_id", .uuid, .references(Rotation.schema, .id, onDelete: .cascade))
            .field("created_by", .string, .required)
            .field("created_at", .datetime)
            .create()
        try await database.schema(WebhookDelivery.schema)
            .id()
            .field("webhook_id", .uuid, .required, .references(Webhook.schema, .id, onDelete: .cascade))
            .field("event", .string, .required)
            .field("payload", .string, .required)
            .field("status", .string, .required)
            .field("attempts", .int, .required)
            .field("next_attempt_at", .datetime, .required)
            .field("last_status_code", .int)
            .field("last_error", .string)
            .field("created_at", .datetime, .required)
            .field("delivered_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(WebhookDelivery.schema).delete()
        try await database.schema(Webhook.schema).delete()
    }
}
