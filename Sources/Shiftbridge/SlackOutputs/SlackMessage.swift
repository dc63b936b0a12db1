import Fluent
import Foundation

/// A message to post, written in the same transaction as the change it announces: a
/// handoff in a channel, or a direct message before a duty begins.
final class SlackMessage: Model, @unchecked Sendable {
    static let schema = "slack_messages"

    enum Status: String, Codable, Sendable { case pending, sent, failed }

    @ID(key: .id) var id: UUID?
    @OptionalField(key: "rotation_id") var rotationID: UUID?
    /// A channel id; nil for a direct message.
    @OptionalField(key: "channel") var channel: String?
    /// For a direct message: who it is for.
    @OptionalField(key: "recipient_email") var recipientEmail: String?
    @Field(key: "text") var text: String
    /// The same message is never queued twice (a DM per person per duty start).
    @Field(key: "dedupe_key") var dedupeKey: String
    @Enum(key: "status") var status: Status
    @Field(key: "attempts") var attempts: Int
    @Field(key: "next_attempt_at") var nextAttemptAt: Date
    @OptionalField(key: "last_error") var lastError: String?
    /// When an attempt whose answer was lost began: Slack may hold the message already, so
    /// the channel is read before it is posted again (at most once).
    @OptionalField(key: "uncertain_since") var uncertainSince: Date?
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "sent_at") var sentAt: Date?

    init() {}

    /// A direct message to whoever Slack knows by `email`, due now.
    init(directTo email: String, text: String, dedupeKey: String, at now: Date) {
        self.recipientEmail = email
        self.text = text
        self.dedupeKey = dedupeKey
        self.status = .pending
        self.attempts = 0
        self.nextAttemptAt = now
        self.createdAt = now
    }
}
