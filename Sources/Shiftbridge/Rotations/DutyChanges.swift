import Fluent
import Foundation
import ShiftbridgeCore

/// The one place a change of who is on duty is recorded: its audit event, a delivery for
/// every interested webhook, and the Slack work it causes, in the same transaction as the
/// change itself.
struct DutyChanges {
    let slack: SlackOutbox

    struct Change {
        let rotation: Rotation
        let previous: [DutyMember]
        let current: [DutyMember]
        let until: Date?
        let actor: String
        let action: AuditAction
    }

    /// Records `changes` (those that change nothing are skipped), reading the webhooks once.
    func record(_ changes: [Change], at: Date, on db: any Database) async throws {
        let real = changes.filter { $0.previous != $0.current }
        guard !real.isEmpty else { return }
        let hooks = try await Webhook.query(on: db).all()
        var events: [AuditEvent] = []
        var deliveries: [WebhookDelivery] = []
        for change in real {
            let rotation = change.rotation
            events.append(AuditEvent(at: at, actor: change.actor, change.action, .rotation(rotation),
                                     before: change.previous.isEmpty ? nil : change.previous.map(\.label).joined(separator: ", "),
                                     after: change.current.isEmpty ? "nobody" : change.current.map(\.label).joined(separator: ", ")))
            let payload = WebhookPayload(event: WebhookPayload.dutyChanged,
                                         rotation: .init(id: try rotation.requireID().uuidString, code: rotation.code, name: rotation.name),
                                         previous: change.previous.map(\.label), on_duty: change.current.map(\.label), until: change.until, at: at)
            deliveries += try WebhookOutbox.deliveries(payload, rotationID: try rotation.requireID(), hooks: hooks, at: at)
        }
        try await slack.record(real, at: at, on: db)
        for start in stride(from: 0, to: events.count, by: 500) {
            try await Array(events[start..<min(start + 500, events.count)]).create(on: db)
        }
        for start in stride(from: 0, to: deliveries.count, by: 500) {
            try await Array(deliveries[start..<min(start + 500, deliveries.count)]).create(on: db)
        }
    }

    func record(_ change: Change, at: Date, on db: any Database) async throws {
        try await record([change], at: at, on: db)
    }
}
