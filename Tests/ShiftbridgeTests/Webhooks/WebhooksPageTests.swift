import Crypto
import Fluent
import Foundation
import NIOConcurrencyHelpers
import PagerDutyKit
@testable import Shiftbridge
import Testing
import Vapor
import VaporTesting

@Suite struct WebhooksPageTests {
    @Test func adminsAddSeeDeliveriesAndDelete() async throws {
        try await RotationsTests().withRotations { api, _ in
            api.app.testParts.webhooks.use(RecordingReceiver())
            _ = try await api.call(.POST, "/api/v1/rotations", ["code": "PAGE", "name": "Page", "members": ["ann@example.com", "ben@example.com"]])
            let browser = Browser(api.app)
            _ = try await browser.signIn(email: "ops@example.com", password: testPassword)
            let page = try await browser.request(.GET, "/settings/webhooks")
            #expect(page.body.string.contains("No webhooks yet."))
            let csrf = try browser.csrfToken(from: page)
            let bad = try await browser.request(.POST, "/settings/webhooks", form: ["url": "ftp://nope", "rotation": "", "_csrf": csrf])
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("absolute URL"))
            let created = try await browser.request(.POST, "/settings/webhooks", form: ["url": "https://hooks.example.com/a", "rotation": "page", "_csrf": csrf])
            #expect(created.status == .created)
            #expect(created.body.string.contains("Its secret is shown only now"))
            let secret = try #require(created.body.string.range(of: "id=\"webhook-secret\">").map { created.body.string[$0.upperBound...].prefix(while: { $0 != "<" }) })
            _ = try await api.call(.POST, "/api/v1/rotations/PAGE/rotate")
            _ = try await api.app.deliverWebhooks()
            let after = try await browser.request(.GET, "/settings/webhooks").body.string
            #expect(after.contains("rotation PAGE") && after.contains(">delivered<"))
            #expect(!after.contains(String(secret)))  // shown once, never again
            let id = try #require(try await Webhook.query(on: api.app.db).first()?.id)
            _ = try await browser.request(.POST, "/settings/webhooks/\(id)/delete", form: ["_csrf": csrf])
            #expect(try await Webhook.query(on: api.app.db).count() == 0)
        }
    }
}
