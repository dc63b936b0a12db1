import Crypto
import Fluent
import Foundation
import Logging
import PagerDutyKit
import SQLKit

/// Sends what the outbox holds: each delivery claimed before it is sent (so two instances
/// never send it twice), signed, retried with backoff, and given up with its reason.
struct WebhookSender {
    let db: any Database
    let clock: any AppClock
    let secrets: SecretBox
    let transport: any HTTPTransport
    let policy: OutboundTargetPolicy
    let logger: Logger

    static let maxAttempts = 8
    static let signatureHeader = "X-Shiftbridge-Signature"
    static let timestampHeader = "X-Shiftbridge-Timestamp"
    static let deliveryHeader = "X-Shiftbridge-Delivery"
    /// How long a claim holds: longer than one attempt's deadline.
    static let claimSeconds: TimeInterval = 60
    /// Deliveries sent at once by one instance (receivers can be slow).
    static let concurrency = 8

    /// `v1=` HMAC-SHA256 over "<timestamp>.<body>": receivers recompute it and refuse stale timestamps.
    static func signature(secret: String, timestamp: Int, body: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(timestamp).\(body)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return "v1=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    /// Backoff before attempt `n + 1`: 10 s, 20 s, 40 s … capped at an hour.
    static func backoff(afterAttempt attempts: Int) -> TimeInterval {
        min(3600, 10 * pow(2, Double(max(0, attempts - 1))))
    }

    /// Sends what is due, up to `limit`. Returns how many deliveries this instance attempted.
    @discardableResult
    func deliverDue(holder: String, limit: Int = 50) async throws -> Int {
        let now = clock.now()
        let candidates = try await WebhookDelivery.query(on: db).filter(\.$status == .pending).filter(\.$nextAttemptAt <= now)
            .group(.or) { $0.filter(\.$claimedUntil == nil).filter(\.$claimedUntil < now) }
            .sort(\.$nextAttemptAt).limit(limit).all(\.$id)
        return try await withThrowingTaskGroup(of: Bool.self) { group in
            var attempted = 0
            var running = 0
            for id in candidates {
                if running == Self.concurrency, let sent = try await group.next() {
                    attempted += sent ? 1 : 0
                    running -= 1
                }
                group.addTask { try await deliver(id, holder: holder) }
                running += 1
            }
            for try await sent in group { attempted += sent ? 1 : 0 }
            return attempted
        }
    }

    /// One delivery, if this instance can claim it. True when it was attempted.
    private func deliver(_ id: UUID, holder: String) async throws -> Bool {
        let now = clock.now()
        guard try await WorkClaims.claim(WebhookDelivery.schema, id: id, holder: holder, until: now.addingTimeInterval(Self.claimSeconds), now: now,
                                         condition: "status = \(bind: WebhookDelivery.Status.pending.rawValue)", on: db),
              let delivery = try await WebhookDelivery.query(on: db).filter(\.$id == id).with(\.$webhook).first()
        else { return false }
        await attempt(delivery, now: now)
        delivery.claimedBy = nil
        delivery.claimedUntil = nil
        try await delivery.save(on: db)
        return true
    }

    private func attempt(_ delivery: WebhookDelivery, now: Date) async {
        let hook = delivery.webhook
        let timestamp = Int(now.timeIntervalSince1970)
        var status: Int?
        var failure: String?
        do {
            let address = try await policy.checkDeliveryTarget(hook.url)
            let secret = try secrets.open(hook.sealedSecret)
            let response = try await transport.send(TransportRequest(
                method: "POST", url: hook.url,
                headers: [("Content-Type", "application/json"), ("User-Agent", "Shiftbridge-Webhooks"),
                          ("X-Shiftbridge-Event", delivery.event), (Self.deliveryHeader, delivery.id?.uuidString ?? ""),
                          (Self.timestampHeader, "\(timestamp)"), (Self.signatureHeader, Self.signature(secret: secret, timestamp: timestamp, body: delivery.payload))],
                body: Data(delivery.payload.utf8), timeout: 10, maxResponseBytes: 64 << 10, connectTo: address))
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
        } else if delivery.attempts >= Self.maxAttempts {
            delivery.status = .failed
            logger.notice("webhook delivery given up", metadata: ["delivery": "\(delivery.id?.uuidString ?? "")", "reason": "\(failure ?? "")"])
        } else {
            delivery.nextAttemptAt = now.addingTimeInterval(Self.backoff(afterAttempt: delivery.attempts))
        }
    }
}
