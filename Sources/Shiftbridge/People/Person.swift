import Fluent
import Foundation

/// Someone who can be on duty. Email is the identity (stored lower-case, unique), the key
/// PagerDuty schedule members and HR records are matched by.
final class Person: Model, @unchecked Sendable {
    static let schema = "people"

    enum Source: String, Codable, Sendable {
        case manual
        case hr
        /// Created for a PagerDuty schedule member whose email matched nobody.
        case pagerDuty = "pagerduty"
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "email") var email: String
    @Field(key: "name") var name: String
    @OptionalField(key: "chat_handle") var chatHandle: String?
    @OptionalField(key: "time_zone") var timeZone: String?
    @Enum(key: "source") var source: Source
    @OptionalField(key: "created_at") var createdAt: Date?

    init() {}

    init(email: String, name: String, chatHandle: String? = nil, timeZone: String? = nil, source: Source = .manual, createdAt: Date) {
        self.email = User.normalize(email: email)
        self.createdAt = createdAt
        self.name = name
        self.chatHandle = chatHandle
        self.timeZone = timeZone
        self.source = source
    }

    /// Unlinked people exist only because PagerDuty named them; nobody added them here.
    var isUnlinked: Bool { source == .pagerDuty }
}
