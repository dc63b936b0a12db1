import Fluent
import Foundation

/// A member of the connected workspace, as `users.list` last said. People are linked to
/// one by email; only `eligible` members (full, active, human) are ever put in a group.
final class SlackMember: Model, @unchecked Sendable {
    static let schema = "slack_members"

    @ID(key: .id) var id: UUID?
    @Field(key: "slack_id") var slackID: String
    @OptionalField(key: "email") var email: String?
    @Field(key: "name") var name: String
    @Field(key: "eligible") var eligible: Bool

    init() {}

    init(slackID: String, email: String?, name: String, eligible: Bool) {
        self.slackID = slackID
        self.email = email
        self.name = name
        self.eligible = eligible
    }
}
