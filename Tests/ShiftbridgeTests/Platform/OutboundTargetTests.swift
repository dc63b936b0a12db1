import Fluent
import Foundation
import NIOConcurrencyHelpers
import PagerDutyKit
@testable import Shiftbridge
import Testing
import Vapor
import VaporTesting

/// Webhooks reach public https hosts only; credentials reach the vendors' hosts only; and what
/// answered (or did not) on a network is not told back.
@Suite struct OutboundTargetTests {
    /// A name service under the test's control: one answer when the URL is saved, another later.
    final class ScriptedResolver: HostResolver, @unchecked Sendable {
        let answers = NIOLockedValueBox<[String: [String]]>([:])
        func addresses(of host: String) async throws -> [NetworkAddress] {
            if let literal = NetworkAddress(host) { return [literal] }
            guard let found = answers.withLockedValue({ $0[host] }) else { throw SystemHostResolver.Failure() }
            return found.compactMap(NetworkAddress.init)
        }
    }

    static let strict = ["SHIFTBRIDGE_ALLOW_PRIVATE_TARGETS": "0", "SHIFTBRIDGE_ALLOW_HTTP_HOSTS": " ", "SHIFTBRIDGE_ALLOW_CUSTOM_API_HOSTS": "0"]

    func withStrictApp(_ body: (RotationsTests.API, ScriptedResolver) async throws -> Void) async throws {
        try await withTestApp(environment: Self.strict) { app in
            let resolver = ScriptedResolver()
            app.testParts.resolver.use(resolver)
            try await app.createAdmin()
            try await body(RotationsTests.API(app: app, token: try await app.issueToken()), resolver)
        }
    }

    @Test func webhookURLsMustBePublicHTTPSWithoutCredentials() async throws {
        try await withStrictApp { api, resolver in
            resolver.answers.withLockedValue { $0 = ["hooks.example.com": ["93.184.216.34"], "inside.example.com": ["10.1.2.3"]] }
            for refused in ["http://hooks.example.com/x", "https://127.0.0.1/x", "https://10.0.0.8/x", "https://169.254.169.254/latest/meta-data",
                            "https://0x7f000001/x", "https://2130706433/x", "https://127.1/x", "https://[::1]/x", "https://[fd00::1]/x",
                            "https://user:pass@hooks.example.com/x", "https://inside.example.com/x", "https://nowhere.example.com/x",
                            "https://hooks.example.com/a\"b", "ftp://hooks.example.com/"] {
                let answer = try await api.call(.POST, "/api/v1/webhooks", ["url": refused])
                #expect(answer.status == .unprocessableEntity, "\(refused) was accepted")
            }
            #expect(try await api.call(.POST, "/api/v1/webhooks", ["url": "https://hooks.example.com/shiftbridge"]).status == .created)
        }
    }

    @Test func theTargetIsCheckedAgainAtEachSendSoDNSCannotSwapIt() async throws {
        try await withStrictApp { api, resolver in
            let app = api.app
            let receiver = RecordingReceiver()
            app.testParts.webhooks.use(receiver)
            for (name, email) in [("Ann", "ann@example.com"), ("Ben", "ben@example.com")] {
                _ = try await api.call(.POST, "/api/v1/people", ["name": name, "email": email])
            }
            _ = try await api.call(.POST, "/api/v1/rotations", ["code": "SWAP", "name": "Swap", "members": ["ann@example.com", "ben@example.com"]])
            resolver.answers.withLockedValue { $0 = ["rebind.example.com": ["93.184.216.34"]] }
            #expect(try await api.call(.POST, "/api/v1/webhooks", ["url": "https://rebind.example.com/hook"]).status == .created)
            // After saving, the name now points at the cloud metadata address.
            resolver.answers.withLockedValue { $0 = ["rebind.example.com": ["169.254.169.254"]] }
            _ = try await api.call(.POST, "/api/v1/rotations/SWAP/rotate")
            try await app.deliverWebhooks()
            #expect(receiver.received.withLockedValue { $0.isEmpty }, "a request went to a private address")
            let delivery = try #require(try await WebhookDelivery.query(on: app.db).first())
            #expect(delivery.status == .pending && delivery.attempts == 1)
            #expect(delivery.lastError == OutboundTargetPolicy.unreachable)
        }
    }

    /// The send connects to the address that was checked: the name is not resolved a second
    /// time (where a rebinding DNS server could answer differently).
    @Test func aSendConnectsToTheAddressThatWasChecked() async throws {
        try await withStrictApp { api, resolver in
            let app = api.app
            let receiver = RecordingReceiver()
            app.testParts.webhooks.use(receiver)
            for (name, email) in [("Ann", "ann@example.com"), ("Ben", "ben@example.com")] {
                _ = try await api.call(.POST, "/api/v1/people", ["name": name, "email": email])
            }
            _ = try await api.call(.POST, "/api/v1/rotations", ["code": "PIN", "name": "Pin", "members": ["ann@example.com", "ben@example.com"]])
            resolver.answers.withLockedValue { $0 = ["pinned.example.com": ["93.184.216.34", "93.184.216.35"]] }
            #expect(try await api.call(.POST, "/api/v1/webhooks", ["url": "https://pinned.example.com/hook"]).status == .created)
            _ = try await api.call(.POST, "/api/v1/rotations/PIN/rotate")
            try await app.deliverWebhooks()
            let sent = receiver.received.withLockedValue { $0 }
            #expect(!sent.isEmpty && sent.allSatisfy { $0.connectTo == "93.184.216.34" }, "\(sent.map(\.connectTo))")
        }
        // And the live transport honours it: a name that resolves nowhere reaches the address given.
        let local = try await Application.make(.testing)
        local.http.server.configuration.hostname = "127.0.0.1"
        local.http.server.configuration.port = 0
        local.get("hook") { req in "reached \(req.headers.first(name: .host) ?? "")" }
        try await local.server.start()
        let port = try #require(local.http.server.shared.localAddress?.port)
        let answer = try await AsyncHTTPClientTransport().send(TransportRequest(method: "GET", url: "http://pinned.invalid:\(port)/hook", connectTo: "127.0.0.1"))
        #expect(answer.status == 200 && String(decoding: answer.body, as: UTF8.self) == "reached pinned.invalid:\(port)")
        await #expect(throws: TransportError.self) { try await AsyncHTTPClientTransport().send(TransportRequest(method: "GET", url: "http://pinned.invalid:\(port)/hook")) }
        await local.server.shutdown()
        try await local.asyncShutdown()
    }

    @Test func failuresReadTheSameWhateverAnswered() async throws {
        try await withTestApp { app in
            try await app.createAdmin()
            let api = RotationsTests.API(app: app, token: try await app.issueToken())
            _ = try await api.call(.POST, "/api/v1/people", ["name": "Ann", "email": "ann@example.com"])
            _ = try await api.call(.POST, "/api/v1/people", ["name": "Ben", "email": "ben@example.com"])
            _ = try await api.call(.POST, "/api/v1/rotations", ["code": "ERR", "name": "Err", "members": ["ann@example.com", "ben@example.com"]])
            // A closed port, and a name that does not resolve.
            for url in ["http://127.0.0.1:9/hook", "http://no-such-host.invalid/hook"] {
                try await WebhookDelivery.query(on: app.db).delete()
                try await Webhook.query(on: app.db).delete()
                let hook = Webhook()
                hook.url = url
                hook.sealedSecret = try app.services.secrets.seal("secret")
                hook.secretLast4 = "cret"
                hook.createdBy = "ops@example.com"
            hook.createdAt = Date()
                hook.createdAt = Date()
                try await hook.create(on: app.db)
                _ = try await api.call(.POST, "/api/v1/rotations/ERR/rotate")
                try await app.deliverWebhooks()
                let delivery = try #require(try await WebhookDelivery.query(on: app.db).first())
                #expect(delivery.lastError == OutboundTargetPolicy.unreachable, "\(url): \(delivery.lastError ?? "")")
            }
            // PagerDuty at an address that refuses, and at one that does not exist: the same words.
            var messages: [String] = []
            for base in ["http://127.0.0.1:9", "http://no-such-host.invalid"] {
                let answer = try await api.call(.PUT, "/api/v1/integrations/pagerduty/api-key", ["api_key": "u+abcdefghijklmnopqr", "base_url": base])
                #expect(answer.status == .unprocessableEntity)
                messages.append(try answer.error.message.replacingOccurrences(of: base, with: "<base>"))
            }
            #expect(messages[0] == messages[1], "\(messages)")
        }
    }

    @Test func credentialsGoOnlyToTheVendorsHostsUnlessAllowed() async throws {
        try await withStrictApp { api, _ in
            let recorder = RecordingReceiver()
            api.app.testParts.pagerDuty.use(recorder)
            let key = try await api.call(.PUT, "/api/v1/integrations/pagerduty/api-key", ["api_key": "u+abcdefghijklmnopqr", "base_url": "https://pagerduty.evil.example"])
            #expect(key.status == .unprocessableEntity)
            #expect(try key.error.message.contains("https://api.pagerduty.com"))
            let oauth = try await api.call(.POST, "/api/v1/integrations/pagerduty/oauth", ["client_id": "id", "client_secret": "secret", "identity_url": "https://identity.evil.example"])
            #expect(oauth.status == .unprocessableEntity)
            #expect(recorder.received.withLockedValue { $0.isEmpty }, "the key was sent to a host that is not PagerDuty's")
            // The vendors' hosts are fine (the request itself fails here: no network).
            let vendor = try await api.call(.PUT, "/api/v1/integrations/pagerduty/api-key", ["api_key": "u+abcdefghijklmnopqr", "base_url": "https://api.eu.pagerduty.com"])
            #expect(recorder.received.withLockedValue { $0.map(\.url).allSatisfy { $0.hasPrefix("https://api.eu.pagerduty.com/") } })
            #expect(vendor.status != .internalServerError)
        }
    }

    @Test func addressesAndHostsAreClassified() {
        for address in ["127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1",
                        "255.255.255.255", "::1", "::", "fe80::1", "fd12:3456::1", "ff02::1", "::ffff:127.0.0.1", "64:ff9b::a9fe:a9fe"] {
            #expect(NetworkAddress(address)?.isPublic == false, "\(address)")
        }
        for address in ["93.184.216.34", "1.1.1.1", "2606:4700::1111", "::ffff:93.184.216.34"] {
            #expect(NetworkAddress(address)?.isPublic == true, "\(address)")
        }
        for host in ["0x7f000001", "2130706433", "127.1", "0177.0.0.1", "1.2.3", "a..b", "-x.example.com."] {
            #expect(!OutboundTargetPolicy.isCanonicalHost(host), "\(host)")
        }
        for host in ["hooks.example.com", "127.0.0.1", "[::1]", "xn--r8jz45g.jp", "a-b.example"] {
            #expect(OutboundTargetPolicy.isCanonicalHost(host), "\(host)")
        }
    }
}
