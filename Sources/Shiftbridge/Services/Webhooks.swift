import Crypto
import Fluent
import Foundation
import PagerDutyKit
import Vapor

/// Outbound webhooks. A duty change writes one delivery per interested webhook in the same
/// transaction as the change (an outbox), so none is lost; a worker sends them, signed, and
/// retries failures with backoff.
enum Webhooks {
    static let event = "rotation.duty_changed"
    static let maxAttempts = 8
    static let signatureHeader = "X-Shiftbridge-Signature"
    static let timestampHeader = "X-Shiftbridge-Timestamp"

    struct Payload: Codable, Equatable {
        struct Rotation: Codable, Equatable { let id: String; let code: String; let name: String }
        let event: String
        let rotation: Rotation
        let previous: [String]
        let on_duty: [String]
        let until: Date?
        let at: Date
    }

    /// Records a duty change for every webhook that wants it. Call inside the change's transaction.
    /// `allHooks`: every webhook, already read (a batch of handoffs reads them once).
    static func dutyChanged(_ rotation: Shiftbridge.Rotation, previous: [String], now onDuty: [String], until: Date?, at: Date, on db: any Database,
                            allHooks: [Webhook]? = nil) async throws {
        guard previous != onDuty, let rotationID = rotation.id else { return }
        let hooks = if let allHooks {
            allHooks.filter { $0.$rotation.id == nil || $0.$rotation.id == rotationID }
        } else {
            try await Webhook.query(on: db).group(.or) { $0.filter(\.$rotation.$id == nil).filter(\.$rotation.$id == rotationID) }.all()
        }
        guard !hooks.isEmpty else { return }
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        let payload = String(decoding: try encoder.encode(Payload(event: event, rotation: .init(id: rotationID.uuidString, code: rotation.code, name: rotation.name),
                                                                  previous: previous, on_duty: onDuty, until: until, at: at)), as: UTF8.self)
        for hook in hooks {
            let delivery = WebhookDelivery()
            delivery.$webhook.id = try hook.requireID()
            delivery.event = event
            delivery.payload = payload
            delivery.status = .pending
            delivery.attempts = 0
            delivery.nextAttemptAt = at
            delivery.createdAt = at
            try await delivery.create(on: db)
        }
    }

    /// `v1=` HMAC-SHA256 over "<timestamp>.<body>": receivers recompute it and reject stale timestamps.
    static func signature(secret: String, timestamp: Int, body: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(timestamp).\(body)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return "v1=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    /// Backoff before attempt `n + 1`: 10 s, 20 s, 40 s … capped at an hour.
    static func backoff(afterAttempt attempts: Int) -> TimeInterval {
        min(3600, 10 * pow(2, Double(max(0, attempts - 1))))
    }

    /// Sends what is due. Returns how many deliveries were attempted.
    @discardableResult
    static func deliverDue(_ app: Application, limit: Int = 50) async -> Int {
        do {
            let now = app.now()
            guard try await Leases.acquire("webhook-delivery", ttl: 30, on: app.db, now: now) else { return 0 }
            let due = try await WebhookDelivery.query(on: app.db).filter(\.$status == .pending).filter(\.$nextAttemptAt <= now)
                .sort(\.$nextAttemptAt).limit(limit).with(\.$webhook).all()
            for delivery in due { await attempt(delivery, app: app, now: now) }
            return due.count
        } catch {
            app.logger.warning("webhook delivery pass failed", metadata: ["error": "\(String(describing: error).prefix(200))"])
            return 0
        }
    }

    private static func attempt(_ delivery: WebhookDelivery, app: Application, now: Date) async {
        let hook = delivery.webhook
        let timestamp = Int(now.timeIntervalSince1970)
        var status: Int?
        var failure: String?
        do {
            try await app.outboundPolicy.checkDeliveryTarget(hook.url)
            let secret = try app.secretBox.open(hook.sealedSecret)
            let response = try await app.webhookTransport.send(TransportRequest(
                method: "POST", url: hook.url,
                headers: [("Content-Type", "application/json"), ("User-Agent", "Shiftbridge-Webhooks"),
                          ("X-Shiftbridge-Event", delivery.event), ("X-Shiftbridge-Delivery", delivery.id?.uuidString ?? ""),
                          (timestampHeader, "\(timestamp)"), (signatureHeader, signature(secret: secret, timestamp: timestamp, body: delivery.payload))],
                body: Data(delivery.payload.utf8), timeout: 10, maxResponseBytes: 64 << 10))
            status = response.status
            if !(200..<300).contains(response.status) { failure = "answered \(response.status)" }
        } catch {
            // One wording for every refusal and every failure to connect: what answered (or
            // did not) on a network is not for the log a user reads.
            failure = OutboundTargetPolicy.unreachable
        }
        delivery.attempts += 1
        delivery.lastStatusCode = status
        delivery.lastError = failure
        if failure == nil {
            delivery.status = .delivered
            delivery.deliveredAt = now
        } else if delivery.attempts >= maxAttempts {
            delivery.status = .failed
        } else {
            delivery.nextAttemptAt = now.addingTimeInterval(backoff(afterAttempt: delivery.attempts))
        }
        try? await delivery.save(on: app.db)
    }
}

extension Application {
    private struct WebhookTransportKey: StorageKey { typealias Value = any HTTPTransport }

    /// How webhooks are sent: live HTTP unless a test substitutes a transport.
    var webhookTransport: any HTTPTransport {
        get { storage[WebhookTransportKey.self] ?? AsyncHTTPClientTransport() }
        set { storage[WebhookTransportKey.self] = newValue }
    }
}
