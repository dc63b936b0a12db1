import Fluent
import Foundation

/// Deliveries to send, written in the same transaction as the change they announce, so
/// none is lost and none is sent for a change that did not happen.
enum WebhookOutbox {
    /// One delivery per webhook interested in `rotation` (its own, and those for every
    /// rotation). `hooks`: every webhook, read once for a batch of changes.
    static func enqueue(_ payload: WebhookPayload, rotationID: UUID, hooks: [Webhook], at: Date, on db: any Database) async throws {
        let interested = hooks.filter { $0.$rotation.id == nil || $0.$rotation.id == rotationID }
        guard !interested.isEmpty else { return }
        let body = try payload.encoded()
        for hook in interested {
            let delivery = WebhookDelivery()
            delivery.$webhook.id = try hook.requireID()
            delivery.event = payload.event
            delivery.payload = body
            delivery.status = .pending
            delivery.attempts = 0
            delivery.nextAttemptAt = at
            delivery.createdAt = at
            try await delivery.create(on: db)
        }
    }
}
