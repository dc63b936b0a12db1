import Fluent
import Foundation

/// PagerDuty users seen in schedules: schedule layers name users without their email.
final class PagerDutyUserRecord: Model, @unchecked Sendable {
    static let schema = "pagerduty_users"

    @ID(custom: "pagerduty_id", generatedBy: .user) var id: String?
    @OptionalField(key: "email") var email: String?
    @OptionalField(key: "name") var name: String?
    @Field(key: "fetched_at") var fetchedAt: Date

    init() {}

    init(id: String, email: String?, name: String?, fetchedAt: Date) {
        self.id = id
        self.email = email
        self.name = name
        self.fetchedAt = fetchedAt
    }
}
