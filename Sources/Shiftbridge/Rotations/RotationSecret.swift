import Crypto
import Fluent
import Foundation

/// A rotation's secret URL token (calendar feed) or webhook secret. Only a digest is stored:
/// the value is shown once, and issuing a new one revokes the old.
final class RotationSecret: Model, @unchecked Sendable {
    static let schema = "rotation_secrets"

    enum Kind: String, Codable, Sendable {
        case calendar
        case incomingWebhook = "incoming_webhook"
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "rotation_id") var rotation: Rotation
    @Enum(key: "kind") var kind: Kind
    @Field(key: "digest") var digest: String
    @Field(key: "last4") var last4: String
    @OptionalField(key: "created_at") var createdAt: Date?

    init() {}

    static func digest(_ value: String) -> String {
        SHA256.hash(data: Data(value.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static func generate() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
