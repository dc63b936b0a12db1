import Fluent
import Foundation

/// One thing in Slack that Shiftbridge keeps right: a user group's members, or a channel's
/// topic. Changes mark it dirty; the delivery job works out what it should hold from the
/// rotations feeding it at that moment, so bursts of changes coalesce into one call.
final class SlackTarget: Model, @unchecked Sendable {
    static let schema = "slack_targets"

    enum Kind: String, Codable, Sendable { case usergroup, topic }

    @ID(key: .id) var id: UUID?
    @Field(key: "key") var key: String
    @Enum(key: "kind") var kind: Kind
    /// The handle or id as outputs name it; the channel id for a topic.
    @Field(key: "reference") var reference: String
    /// The group's id once known.
    @OptionalField(key: "slack_id") var slackID: String?
    /// What was last applied: member ids (JSON list) or the topic text.
    @OptionalField(key: "applied") var applied: String?
    @OptionalField(key: "applied_at") var appliedAt: Date?
    @OptionalField(key: "last_success_at") var lastSuccessAt: Date?
    /// Newline-separated problems from the last attempt.
    @OptionalField(key: "problems") var problems: String?
    @OptionalField(key: "stale_since") var staleSince: Date?
    @Field(key: "dirty") var dirty: Bool
    @Field(key: "next_attempt_at") var nextAttemptAt: Date
    @Field(key: "attempts") var attempts: Int
    /// The rotation Shiftbridge made this group for (its handle was new when named there):
    /// that rotation's owners may use it without an administrator.
    @OptionalField(key: "created_for_rotation_id") var createdForRotationID: UUID?

    init() {}

    /// What it is, typed (its `key` column is this, stored).
    var typedKey: SlackTargetKey { SlackTargetKey(kind: kind, reference: reference) }

    /// The members last applied to a group (nil before the first time).
    var appliedMembers: Set<String>? {
        get throws {
            guard kind == .usergroup, let applied else { return nil }
            return Set(try StoredJSON.decode([String].self, from: applied, table: Self.schema, id: id, field: "applied"))
        }
    }

    var problemList: [String] { problems.map { $0.split(separator: "\n").map(String.init) } ?? [] }

    /// Marks every target for the next pass, at once: new credentials, or links that changed.
    static func markAllDirty(at: Date, on db: any Database) async throws {
        try await SlackTarget.query(on: db).set(\.$dirty, to: true).set(\.$nextAttemptAt, to: at).set(\.$attempts, to: 0).update()
    }

    /// Marks `keys` for the next delivery pass, creating targets met for the first time. A
    /// target already waiting keeps its time (a backoff or `Retry-After` still holds) unless
    /// `now` says an admin changed something and wants it tried at once.
    static func markDirty(_ keys: [SlackTargetKey], at: Date, now: Bool = false, on db: any Database) async throws {
        let unique = Array(Set(keys))
        guard !unique.isEmpty else { return }
        let existing = try await SlackTarget.query(on: db).filter(\.$key ~~ unique.map(\.stored)).all()
        for target in existing where !target.dirty || now {
            target.dirty = true
            target.nextAttemptAt = at
            target.attempts = 0
            try await target.save(on: db)
        }
        for key in Set(unique).subtracting(existing.map(\.typedKey)) {
            let target = SlackTarget()
            target.key = key.stored
            target.kind = key.kind
            target.reference = key.reference
            target.dirty = true
            target.nextAttemptAt = at
            target.attempts = 0
            try await target.create(on: db)
        }
    }
}
