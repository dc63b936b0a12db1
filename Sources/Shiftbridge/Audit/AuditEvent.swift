import Fluent
import Foundation

/// One recorded change: who did what to which thing, and how it looked before and after.
final class AuditEvent: Model, @unchecked Sendable {
    static let schema = "audit_events"

    @ID(key: .id) var id: UUID?
    @Field(key: "actor") var actor: String
    @Enum(key: "action") var action: AuditAction
    @Field(key: "target") var target: String
    @OptionalField(key: "before_summary") var beforeSummary: String?
    @OptionalField(key: "after_summary") var afterSummary: String?
    @Field(key: "occurred_at") var occurredAt: Date
    /// The rotation the event belongs to: its history, and who may read the event.
    @OptionalField(key: "rotation_id") var rotationID: UUID?

    init() {}

    init(at: Date, actor: String, _ action: AuditAction, _ target: AuditTarget, before: String? = nil, after: String? = nil) {
        self.actor = actor
        self.action = action
        self.target = target.stored
        self.rotationID = target.rotationID
        self.beforeSummary = before
        self.afterSummary = after
        self.occurredAt = at
    }

    /// Records an event on `database`: pass a transaction's database to make the record part
    /// of the change it describes.
    static func record(on database: any Database, at: Date, actor: String, _ action: AuditAction, _ target: AuditTarget,
                       before: String? = nil, after: String? = nil) async throws {
        try await AuditEvent(at: at, actor: actor, action, target, before: before, after: after).create(on: database)
    }
}
