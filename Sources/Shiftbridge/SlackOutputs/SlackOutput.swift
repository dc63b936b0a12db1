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
        get { (try? JSONDecoder().decode([String].self, from: Data(permanentMembersJSON.utf8))) ?? [] }
        set { permanentMembersJSON = String(decoding: (try? JSONEncoder().encode(newValue)) ?? Data("[]".utf8), as: UTF8.self) }
    }

    /// The group and topic targets this output feeds, by key.
    var targetKeys: [String] {
        [onDutyUsergroup.map(SlackTarget.usergroupKey), rosterUsergroup.map(SlackTarget.usergroupKey), topicTemplate == nil ? nil : channel.map(SlackTarget.topicKey)]
            .compactMap { $0 }
    }
}
