import Crypto
import Fluent
import Foundation
import NIOConcurrencyHelpers
import PagerDutyKit
@testable import Shiftbridge
import Testing
import Vapor
import VaporTesting

@Suite struct WebhooksTests {
    @Test func dutyChangesAreSignedDeliveredAndRetried() async throws {
        try await RotationsTests().withRotations { api, clock in
            let receiver = RecordingReceiver()
            receiver.statuses.withLockedValue { $0 = [500, 200] }
            api.app.testParts.webhooks.use(receiver)
            _ = try await api.call(.POST, "/api/v1/rotations", ["code": "HOOK", "name": "Hook", "members": ["ann@example.com", "ben@example.com"]])
            let bad = try await api.call(.POST, "/api/v1/webhooks", ["url": "not a url"])
            #expect(bad.status == .unprocessableEntity && bad.text.contains("url"))
            let created = try await api.call(.POST, "/api/v1/webhooks", ["url": "https://hooks.example.com/in", "rotation": "HOOK"])
            #expect(created.status == .created)
            let hook = try created.decode(WebhooksAPIController.WebhookDTO.self)
            let secret = try #require(hook.secret)
            let id = try #require(hook.id).uuidString
            // Listed without the secret; sealed at rest.
            let listed = try await api.call(.GET, "/api/v1/webhooks")
            #expect(!listed.text.contains(secret) && listed.text.contains(String(secret.suffix(4))))
            #expect(try await Webhook.query(on: api.app.db).first()?.sealedSecret.contains(secret) == false)

            _ = try await api.call(.POST, "/api/v1/rotations/HOOK/rotate")
            #expect(try await api.app.deliverWebhooks() == 1)  // answered 500: will retry
            var log = try await api.get("/api/v1/webhooks/\(id)/deliveries", as: WebhooksAPIController.DeliveryList.self).deliveries
            #expect(log.first?.status == "pending" && log.first?.last_status_code == 500)
            #expect(try await api.app.deliverWebhooks() == 0)  // not due yet
            clock.advance(hours: 0.01)
            #expect(try await api.app.deliverWebhooks() == 1)
            log = try await api.get("/api/v1/webhooks/\(id)/deliveries", as: WebhooksAPIController.DeliveryList.self).deliveries
            #expect(log.first?.status == "delivered" && log.first?.attempts == 2)

            let request = try #require(receiver.received.withLockedValue { $0.last })
            let headers = Dictionary(request.headers, uniquingKeysWith: { first, _ in first })
            let body = String(decoding: request.body ?? Data(), as: UTF8.self)
            let timestamp = try #require(headers["X-Shiftbridge-Timestamp"].flatMap(Int.init))
            let expected = HMAC<SHA256>.authenticationCode(for: Data("\(timestamp).\(body)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
            #expect(headers["X-Shiftbridge-Signature"] == "v1=" + expected.map { String(format: "%02x", $0) }.joined())
            let payload = try JSONSerialization.jsonObject(with: Data(body.utf8)) as! [String: Any]
            #expect(payload["previous"] as? [String] == ["ann@example.com"])
            #expect(payload["on_duty"] as? [String] == ["ben@example.com"])
            #expect((payload["rotation"] as? [String: Any])?["code"] as? String == "HOOK")
        }
    }

    @Test func aReceiverThatNeverAnswersWellIsGivenUpOn() async throws {
        try await RotationsTests().withRotations { api, clock in
            let receiver = RecordingReceiver()
            receiver.statuses.withLockedValue { $0 = Array(repeating: 503, count: 20) }
            api.app.testParts.webhooks.use(receiver)
            _ = try await api.call(.POST, "/api/v1/rotations", ["code": "DOWN", "name": "Down", "members": ["ann@example.com", "ben@example.com"]])
            let created = try await api.call(.POST, "/api/v1/webhooks", ["url": "https://down.example.com/in"])
            _ = try await api.call(.POST, "/api/v1/rotations/DOWN/rotate")
            for _ in 0..<WebhookSender.maxAttempts {
                _ = try await api.app.deliverWebhooks()
                clock.advance(hours: 1.01)
            }
            let hookID = try #require(try created.decode(WebhooksAPIController.WebhookDTO.self).id)
            let log = try await api.get("/api/v1/webhooks/\(hookID)/deliveries", as: WebhooksAPIController.DeliveryList.self).deliveries
            #expect(log.first?.status == "failed")
            #expect(log.first?.attempts == WebhookSender.maxAttempts)
            #expect(receiver.received.withLockedValue { $0.count } == WebhookSender.maxAttempts)
        }
    }
}
