import Fluent
import Foundation

/// Deliveries to send, written in the same transaction as the change they announce, so
/// none is lost and none is sent for a change that did not happen.
enum WebhookOutbox {
    /// One delivery per webhook interested in `rotation` (its own, and those for every
    /// rotation), to be created by the caller with the rest of its batch. `hooks`: every
    /// webhook, read once for a batch of changes.
    static func deliveries(_ payload: WebhookPayload, rotationID: UUID, hooks: [Webhook], at: Date) throws -> [WebhookDelivery] {
        let interested = hooks.filter { $0.$rotation.id == nil || $0.$rotation.id == rotationID }
        guard !interested.isEmpty else { return [] }
        let body = try payload.encoded()
        return try interested.map { try delivery(of: payload.event, body: body, to: $0, at: at) }
    }

    /// A delivery of `body` to `hook`, due now.
    static func delivery(of event: String, body: String, to hook: Webhook, at: Date) throws -> WebhookDelivery {
        let delivery = WebhookDelivery()
        delivery.$webhook.id = try hook.requireID()
        delivery.event = event
        delivery.payload = body
        delivery.status = .pending
        delivery.attempts = 0
        delivery.nextAttemptAt = at
        delivery.createdAt = at
        return delivery
    }
}
