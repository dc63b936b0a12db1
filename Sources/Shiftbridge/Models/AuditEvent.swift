import Fluent
import Foundation

/// One recorded change: who did what to which thing, and how it looked before and after.
final class AuditEvent: Model, @unchecked Sendable {
    static let schema = "audit_events"

    @ID(key: .id) var id: UUID?
    @Field(key: "actor") var actor: String
    @Field(key: "action") var action: String
    @Field(key: "target") var target: String
    @OptionalField(key: "before_summary") var beforeSummary: String?
    @OptionalField(key: "after_summary") var afterSummary: String?
    @Field(key: "occurred_at") var occurredAt: Date
    /// The rotation the event belongs to: its history, and who may read the event.
    @OptionalField(key: "rotation_id") var rotationID: UUID?

    init() {}

    init(actor: String, action: String, target: String, before: String? = nil, after: String? = nil, at: Date = Date(), rotationID: UUID? = nil) {
        self.actor = actor
        self.action = action
        self.target = target
        self.beforeSummary = before
        self.afterSummary = after
        self.occurredAt = at
        self.rotationID = rotationID
    }

    /// An event about a rotation: kept with the rotation's id, so its history follows it
    /// through a change of code.
    convenience init(actor: String, action: String, rotation: Rotation, before: String? = nil, after: String? = nil, at: Date = Date()) {
        self.init(actor: actor, action: action, target: "rotation:\(rotation.code)", before: before, after: after, at: at, rotationID: rotation.id)
    }
}

extension AuditEvent {
    /// Records an event on `database`; pass a transaction's database to make the record part
    /// of the change it describes.
    static func record(
        on database: any Database, actor: String, action: String, target: String,
        before: String? = nil, after: String? = nil
    ) async throws {
        try await AuditEvent(actor: actor, action: action, target: target, before: before, after: after)
            .create(on: database)
    }

    static func record(
        on database: any Database, actor: String, action: String, rotation: Rotation,
        before: String? = nil, after: String? = nil
    ) async throws {
        try await AuditEvent(actor: actor, action: action, rotation: rotation, before: before, after: after).create(on: database)
    }
}
