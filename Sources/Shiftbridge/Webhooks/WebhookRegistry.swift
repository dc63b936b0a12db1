import Fluent
import Foundation

/// Administrators' outbound webhooks: added with a checked URL and a secret shown once,
/// listed with their delivery log, deleted.
struct WebhookRegistry {
    let db: any Database
    let clock: any AppClock
    let secrets: SecretBox
    let policy: OutboundTargetPolicy

    func list() async throws -> [Webhook] {
        try await Webhook.query(on: db).with(\.$rotation).sort(\.$createdAt).all()
    }

    /// Adds a webhook for `rotation` (nil: every rotation); returns it and its secret in clear, once.
    func create(url rawURL: String, rotation: Rotation?, by user: User) async throws -> (Webhook, String) {
        let url = try policy.webhookURL(rawURL).string ?? rawURL
        // The same check as at each send, so a URL that can never be delivered to is refused now.
        do { try await policy.checkDeliveryTarget(url) } catch { throw AppError.invalidField("url", OutboundTargetPolicy.unreachable) }
        let secret = RotationSecret.generate()
        let hook = Webhook()
        hook.url = url
        hook.sealedSecret = try secrets.seal(secret)
        hook.secretLast4 = SecretBox.last4(secret)
        hook.$rotation.id = rotation?.id
        hook.createdBy = user.email
        hook.createdAt = clock.now()
        try await db.transaction { db in
            try await hook.create(on: db)
            try await AuditEvent.record(on: db, at: clock.now(), actor: user.email, .webhookCreated, .webhook(url: url),
                                        after: "\(rotation?.code ?? "all rotations"); secret ending …\(hook.secretLast4)")
        }
        return (hook, secret)
    }

    func delete(_ id: UUID?, by user: User) async throws {
        guard let id, let hook = try await Webhook.find(id, on: db) else { throw AppError.notFound("Webhook") }
        try await db.transaction { db in
            try await hook.delete(on: db)
            try await AuditEvent.record(on: db, at: clock.now(), actor: user.email, .webhookDeleted, .webhook(url: hook.url))
        }
    }

    /// A webhook's latest deliveries, newest first.
    func deliveries(of id: UUID?, limit: Int = 100) async throws -> [WebhookDelivery] {
        guard let id, try await Webhook.find(id, on: db) != nil else { throw AppError.notFound("Webhook") }
        return try await WebhookDelivery.query(on: db).filter(\.$webhook.$id == id).sort(\.$createdAt, .descending).limit(limit).all()
    }
}
