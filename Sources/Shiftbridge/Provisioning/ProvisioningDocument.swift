import Fluent
import Foundation

/// A JSON document of provisioning configuration: the rules, or the settings.
final class ProvisioningDocument: Model, @unchecked Sendable {
    static let schema = "provisioning_documents"

    enum Key: String, Sendable {
        case rules, settings
    }

    @ID(custom: "key", generatedBy: .user) var id: String?
    @Field(key: "json") var json: String
    @Field(key: "updated_by") var updatedBy: String
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    init(key: Key) {
        id = key.rawValue
    }
}
