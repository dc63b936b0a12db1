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
    @OptionalField(key: "created_at") var createdAt: Date?

    init() {}
}
