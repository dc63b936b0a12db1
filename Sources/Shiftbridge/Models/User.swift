import Fluent
import Vapor

/// A person who signs in to Shiftbridge: an administrator, or a user invited by one.
final class User: Model, @unchecked Sendable {
    static let schema = "users"

    @ID(key: .id) var id: UUID?
    @Field(key: "email") var email: String
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "is_admin") var isAdmin: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(id: UUID? = nil, email: String, passwordHash: String, isAdmin: Bool = true) {
        self.id = id
        self.email = User.normalize(email: email)
        self.passwordHash = passwordHash
        self.isAdmin = isAdmin
    }

    static func normalize(email: String) -> String {
        email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }
}

extension User: Authenticatable {}
