import Crypto
import Fluent
import Foundation

/// A bearer token for `/api/v1`. Only its SHA-256 digest is stored.
final class APIToken: Model, @unchecked Sendable {
    static let schema = "api_tokens"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: User
    @Field(key: "name") var name: String
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "last4") var last4: String
    @OptionalField(key: "created_at") var createdAt: Date?
    @OptionalField(key: "last_used_at") var lastUsedAt: Date?

    init() {}

    init(userID: UUID, name: String, token: String, createdAt: Date) {
        self.$user.id = userID
        self.createdAt = createdAt
        self.name = name
        self.tokenHash = APIToken.digest(token)
        self.last4 = String(token.suffix(4))
    }

    static let prefix = "sbt_"

    /// A new random token: 32 bytes, URL-safe base64, with a recognisable prefix.
    static func generate() -> String {
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        let text = bytes.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return prefix + text
    }

    static func digest(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
