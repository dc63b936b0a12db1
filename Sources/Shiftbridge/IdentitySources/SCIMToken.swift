import Fluent
import Foundation

/// A bearer token an identity provider pushes people with. Only its SHA-256 digest is kept;
/// a revoked token stays listed (when, by whom) but opens nothing.
final class SCIMToken: Model, @unchecked Sendable {
    static let schema = "scim_tokens"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "last4") var last4: String
    @Field(key: "created_by") var createdBy: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "last_used_at") var lastUsedAt: Date?
    @OptionalField(key: "revoked_at") var revokedAt: Date?

    init() {}

    init(name: String, token: String, createdBy: String, at now: Date) {
        self.name = name
        self.tokenHash = APIToken.digest(token)
        self.last4 = String(token.suffix(4))
        self.createdBy = createdBy
        self.createdAt = now
    }

    static let prefix = "scim_"
}
