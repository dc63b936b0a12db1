import Fluent
import Foundation

/// A signed-in browser. Rows exist only for signed-in users (an anonymous visit writes
/// nothing), are keyed by the SHA-256 of the cookie's value (a copy of the table opens no
/// session), and end at `expires_at`, after which they are pruned.
final class WebSession: Model, @unchecked Sendable {
    static let schema = "web_sessions"
    static let lifetime: TimeInterval = 7 * 86_400

    @ID(custom: "id_hash", generatedBy: .user) var id: String?
    @Parent(key: "user_id") var user: User
    /// JSON object of small strings: the flash message, an OAuth attempt's nonce.
    @Field(key: "data") var data: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "expires_at") var expiresAt: Date

    init() {}

    init(idHash: String, userID: UUID, data: String, createdAt: Date) {
        self.id = idHash
        self.$user.id = userID
        self.data = data
        self.createdAt = createdAt
        self.expiresAt = createdAt.addingTimeInterval(Self.lifetime)
    }
}
