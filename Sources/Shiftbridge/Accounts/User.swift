import Fluent
import ShiftbridgeCore
import Vapor

/// A person who signs in to Shiftbridge: an administrator, or a user invited by one.
final class User: Model, @unchecked Sendable {
    static let schema = "users"

    @ID(key: .id) var id: UUID?
    @Field(key: "email") var email: String
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "is_admin") var isAdmin: Bool
    @OptionalField(key: "created_at") var createdAt: Date?
    /// The zone the dashboard shows times in; nil: the browser's.
    @OptionalField(key: "time_zone") var timeZone: String?

    init() {}

    init(email: String, passwordHash: String, isAdmin: Bool, createdAt: Date) {
        self.email = User.normalize(email: email)
        self.passwordHash = passwordHash
        self.isAdmin = isAdmin
        self.createdAt = createdAt
    }

    static func normalize(email: String) -> String {
        EmailAddress.normalize(email)
    }
}

extension User: Authenticatable {}
