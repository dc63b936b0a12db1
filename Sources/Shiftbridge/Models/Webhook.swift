import Fluent
import Foundation

/// An admin-managed outbound webhook: every duty change (of one rotation, or of all) is
/// POSTed to `url`, signed with the webhook's secret.
final class Webhook: Model, @unchecked Sendable {
    static let schema = "webhooks"

    @ID(key: .id) var id: UUID?
    @Field(key: "url") var url: String
    @Field(key: "sealed_secret") var sealedSecret: String
    @Field(key: "secret_last4") var secretLast4: String
    /// nil: every rotation.
    @OptionalParent(key: "rotation_id") var rotation: Rotation?
    @Field(key: "created_by") var createdBy: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

/// One event for one webhook, kept until delivered or given up: the delivery log.
final class WebhookDelivery: Model, @unchecked Sendable {
    static let schema = "webhook_deliveries"

    enum Status: String, Codable, Sendable { case pending, delivered, failed }

    @ID(key: .id) var id: UUID?
    @Parent(key: "webhook_id") var webhook: Webhook
    @Field(key: "event") var event: String
    @Field(key: "payload") var payload: String
    @Enum(key: "status") var status: Status
    @Field(key: "attempts") var attempts: Int
    @Field(key: "next_attempt_at") var nextAttemptAt: Date
    @OptionalField(key: "last_status_code") var lastStatusCode: Int?
    @OptionalField(key: "last_error") var lastError: String?
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "delivered_at") var deliveredAt: Date?

    init() {}
}
