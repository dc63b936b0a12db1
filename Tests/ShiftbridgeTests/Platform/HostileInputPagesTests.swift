import Fluent
import Foundation
import PagerDutyKit
@testable import Shiftbridge
import Testing
import Vapor
import VaporTesting

/// Every page, rendered with markup and quotes in every field a user or PagerDuty controls and
/// in every query parameter: the page's elements and attributes are only the ones it writes.
@Suite struct HostileInputPagesTests {
    /// Breaks out of a double- or single-quoted attribute, or opens elements, if not escaped.
    static let payload = #""'><x-evil data-evil="1"><base href="http://evil.example/"><img src=x onerror=alert(1)>&amp;"#
    /// Short enough for a PagerDuty name (100 characters with the last name).
    static let shortPayload = #""'><x-evil data-evil="1">"#

    static func assertNothingInjected(_ html: String, _ page: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let dom = HTMLElements(html)
        #expect(dom.named("x-evil").isEmpty, "\(page): an injected element", sourceLocation: sourceLocation)
        #expect(dom.named("base").isEmpty, "\(page): an injected <base>", sourceLocation: sourceLocation)
        #expect(dom.named("img").isEmpty, "\(page): an injected <img>", sourceLocation: sourceLocation)
        #expect(!dom.attributeNames.contains("data-evil") && !dom.attributeNames.contains("onerror"), "\(page): an injected attribute",
                sourceLocation: sourceLocation)
        #expect(dom.named("script").allSatisfy { $0.attribute("src") == "/static/app.js" }, "\(page): a script it does not write",
                sourceLocation: sourceLocation)
    }

    @Test func theCheckSeesAnInjectionWhenThereIsOne() {
        let dom = HTMLElements("<p title=\"\(Self.payload)\">x</p><textarea>\(Self.payload)</textarea>")
        #expect(dom.named("x-evil").count == 1)
        #expect(dom.named("base").count == 1)
        #expect(dom.attributeNames.contains("data-evil"))
        // Inside a textarea, markup is text.
        #expect(HTMLElements("<textarea>\(Self.payload)</textarea>").named("x-evil").isEmpty)
    }

    @Test func everyPageShowsHostileInputAsText() async throws {
        try await ProvisioningTests().withProvisioning { f in
            let app = f.app, api = f.api, payload = Self.payload
            // Data in every field a person can type…
            #expect(try await api.call(.POST, "/api/v1/people", ["email": "evil@example.com", "name": payload, "chat_handle": payload]).status == .created)
            let rotation = try await api.call(.POST, "/api/v1/rotations", ["code": "EVIL", "name": payload, "description": payload, "members": ["evil@example.com"]])
            #expect(rotation.status == .created, "\(rotation.text)")
            #expect(try await api.call(.POST, "/api/v1/tokens", ["name": payload]).status == .created)
            var rules = ProvisioningTests.rules
            rules["rules"] = [["name": payload, "role": "user", "when": ["attribute": "department", "operator": "equals", "value": payload]]]
            #expect(try await f.put("/api/v1/provisioning/rules", rules).status == .ok)
            let csv = ProvisioningTests.header + "\nH1,hostile@corp.example,\"\(Self.shortPayload.replacingOccurrences(of: "\"", with: "\"\""))\",Lee,active,2026-01-05,,Platform,Engineer,,Berlin,Europe/Berlin"
            #expect(try await f.importCSV(csv).status == .created)
            let run = try await api.call(.POST, "/api/v1/provisioning/runs", ["dry_run": true])
            #expect(run.status == .created, "\(run.text)")
            let runID = try #require(try run.decode(ProvisioningAPIController.RunDTO.self).id).uuidString
            // …a webhook URL stored before URLs were checked…
            let hook = Webhook()
            hook.url = "https://hooks.example.com/\(payload)"
            hook.sealedSecret = try app.services.secrets.seal("secret")
            hook.secretLast4 = "cret"
            hook.createdBy = "ops@example.com"
            hook.createdAt = Date()
            try await hook.create(on: app.db)
            // …and what PagerDuty names: a schedule.
            let schedule = try #require(try await f.pd.schedules().collect().first)
            let writer = emulatorWriter(f)
            _ = try await writer.send(TransportRequest(method: "PUT", url: f.emulator.baseURL + "/schedules/\(schedule.id)",
                                                       headers: [("Authorization", "Token token=\(f.emulator.state.createAPIKey(readOnly: false))"),
                                                                 ("Content-Type", "application/json"), ("Accept", "application/vnd.pagerduty+json;version=2")],
                                                       body: Data(#"{"schedule":{"name":"\#(payload.replacingOccurrences(of: "\"", with: "\\\""))"}}"#.utf8)))

            let browser = Browser(app)
            _ = try await browser.signIn(email: "ops@example.com", password: testPassword)
            let query = payload.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            var checked = 0
            for route in app.routes.all where route.method == .GET && !route.isPublic {
                let path = "/" + route.path.map(\.description).joined(separator: "/")
                // JSON APIs (SCIM included) are not pages.
                guard !path.hasPrefix("/api/"), !path.hasPrefix("/calendar"), !path.hasPrefix("/scim/") else { continue }
                let concrete = path.replacingOccurrences(of: ":rotation", with: "EVIL").replacingOccurrences(of: ":run", with: runID)
                guard !concrete.contains(":") else { Issue.record("no sample value for \(path)"); continue }
                let url = concrete + "?query=\(query)&pd_query=\(query)&preview=\(schedule.id)&next=\(query)&state=\(query)&page=\(query)"
                let response = try await browser.request(.GET, url)
                let page = response.body.string
                #expect(response.status.code < 500, "\(url) answered \(response.status.code)")
                if response.status == .ok { Self.assertNothingInjected(page, path) }
                checked += 1
            }
            #expect(checked >= 10)
            // The data is there, as text: the pages did not just leave it out.
            let rotationPage = try await browser.request(.GET, "/rotations/EVIL?pd_query=\(query)&preview=\(schedule.id)").body.string
            #expect(rotationPage.contains("&lt;x-evil data-evil=&quot;1&quot;&gt;") || rotationPage.contains("&lt;x-evil data-evil=\"1\"&gt;"))
            #expect(try await browser.request(.GET, "/settings/webhooks").body.string.contains("x-evil"))

            // Signed out: the sign-in page with a hostile next.
            let stranger = Browser(app)
            let signIn = try await stranger.request(.GET, "/sign-in?next=/\(query)")
            #expect(signIn.status == .ok)
            Self.assertNothingInjected(signIn.body.string, "/sign-in")
        }
    }

    @Test func theContentSecurityPolicyPinsTheBaseAndWhereFormsLead() async throws {
        try await withTestApp(environment: ["SHIFTBRIDGE_ALLOW_CUSTOM_API_HOSTS": "0"]) { app in
            let policy = try #require(try await app.testing().sendRequest(.GET, "/sign-in").headers.first(name: "Content-Security-Policy"))
            #expect(policy.contains("base-uri 'none'"))
            #expect(policy.contains("form-action 'self' https://identity.pagerduty.com https://identity.eu.pagerduty.com https://slack.com"))
            #expect(!policy.contains("http:"))
        }
        try await withTestApp(environment: ["SHIFTBRIDGE_ALLOW_CUSTOM_API_HOSTS": "http://127.0.0.1:8081"]) { app in
            let policy = try #require(try await app.testing().sendRequest(.GET, "/sign-in").headers.first(name: "Content-Security-Policy"))
            #expect(policy.contains("form-action 'self' https://identity.pagerduty.com https://identity.eu.pagerduty.com https://slack.com http://127.0.0.1:8081"))
        }
    }

    private func emulatorWriter(_ f: ProvisioningTests.Fixture) -> any HTTPTransport { AsyncHTTPClientTransport() }
}
