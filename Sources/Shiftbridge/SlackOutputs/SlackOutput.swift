import Fluent
import Foundation

/// Where one rotation's duty goes in Slack. Every field is optional: nil is off.
final class SlackOutput: Model, @unchecked Sendable {
    static let schema = "slack_outputs"

    @ID(key: .id) var id: UUID?
    @Parent(key: "rotation_id") var rotation: Rotation
    /// A handle (`platform-oncall`) or a group id (`S…`).
    @OptionalField(key: "on_duty_usergroup") var onDutyUsergroup: String?
    /// Emails, as JSON: always in the on-duty group.
    @Field(key: "permanent_members") var permanentMembersJSON: String
    @OptionalField(key: "roster_usergroup") var rosterUsergroup: String?
    @OptionalField(key: "channel") var channel: String?
    @OptionalField(key: "topic_template") var topicTemplate: String?
    @OptionalField(key: "handoff_message_template") var handoffMessageTemplate: String?
    @OptionalField(key: "dm_before_minutes") var dmBeforeMinutes: Int?
    @Field(key: "updated_at") var updatedAt: Date
    @Field(key: "updated_by") var updatedBy: String

    init() {}

    var permanentMembers: [String] {
        get throws { try StoredJSON.decode([String].self, from: permanentMembersJSON, table: Self.schema, id: id, field: "permanent_members") }
    }

    func store(permanentMembers: [String]) { permanentMembersJSON = StoredJSON.encode(permanentMembers) }

    /// The group and topic targets this output feeds, by key.
    var targetKeys: [SlackTargetKey] {
        [onDutyUsergroup.map(SlackTargetKey.usergroup), rosterUsergroup.map(SlackTargetKey.usergroup), topicTemplate == nil ? nil : channel.map(SlackTargetKey.topic)]
            .compactMap { $0 }
    }
}
