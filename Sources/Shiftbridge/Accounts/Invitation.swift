import Fluent
import Foundation

/// An administrator's invitation to sign in: a one-time link, shown once, valid for a week.
/// Only the link's digest is stored.
final class Invitation: Model, @unchecked Sendable {
    static let schema = "invitations"
    static let lifetime: TimeInterval = 7 * 86_400

    @ID(key: .id) var id: UUID?
    @Field(key: "email") var email: String
    @Field(key: "is_admin") var isAdmin: Bool
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "invited_by") var invitedBy: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "expires_at") var expiresAt: Date

    init() {}
}
