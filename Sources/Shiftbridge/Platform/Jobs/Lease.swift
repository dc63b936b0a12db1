import Fluent
import Foundation

/// A named lease: the instance holding it does the job until it expires. Several instances
/// on one PostgreSQL cooperate through these rows, never through each other.
final class Lease: Model, @unchecked Sendable {
    static let schema = "leases"

    @ID(custom: "name", generatedBy: .user) var id: String?
    @Field(key: "holder") var holder: String
    @Field(key: "expires_at") var expiresAt: Date

    init() {}
}
