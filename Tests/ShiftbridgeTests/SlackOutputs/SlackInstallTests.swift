import Foundation
import HTTPTransport
@testable import Shiftbridge
import SlackEmulator
import Testing
import Vapor
import VaporTesting

/// Installing Slack with OAuth v2 from the dashboard, through the emulator's consent page,
/// and renewing rotating tokens before they expire.
@Suite struct SlackInstallTests {
    @Test func oauthInstallStoresRotatingTokensAndRenewsThem() async throws {
        try await RotationsTests().withRotations { api, clock in try await SlackFixture.with { slack in
            let registered = slack.workspace.createOAuthApp(redirectURI: "http://127.0.0.1:8080" + SlackConnector.callbackPath, tokenRotation: true)
            let browser = Browser(api.app)
            _ = try await browser.signIn(email: "ops@example.com", password: testPassword)
            let page = try await browser.request(.GET, "/settings/integrations")
            #expect(page.body.string.contains("http://127.0.0.1:8080/api/integrations/slack/login/callback"))
            let start = try await browser.request(.POST, "/settings/integrations/slack/oauth", form: [
                "client_id": registered.clientID, "client_secret": registered.clientSecret, "signing_secret": registered.signingSecret,
                "base_url": slack.server.apiBaseURL, "user_token": "1", "_csrf": try browser.csrfToken(from: page),
            ])
            let authorize = try #require(start.headers.first(name: .location))
            #expect(authorize.hasPrefix(slack.server.baseURL + "/oauth/v2/authorize?") && authorize.contains("user_scope=usergroups"))

            // Slack's consent page: Allow.
            let query = String(authorize.split(separator: "?")[1])
            let consent = try await AsyncHTTPClientTransport().send(TransportRequest(
                method: "POST", url: slack.server.baseURL + "/oauth/v2/authorize", headers: [("Content-Type", "application/x-www-form-urlencoded")],
                body: Data((query + "&decision=allow").utf8)))
            let callback = try #require(consent.headers["location"])
            let landed = try await browser.request(.GET, String(callback.dropFirst("http://127.0.0.1:8080".count)))
            #expect(landed.headers.first(name: .location) == "/settings/integrations")
            let summary = try await api.get("/api/v1/integrations/slack", as: SlackConnectionSummary.self)
            #expect(summary.method == "oauth" && summary.status == "active" && summary.user_token_last4 != nil)
            #expect(summary.signing_secret_last4 == String(registered.signingSecret.suffix(4)))
            let stored = try #require(try await SlackConnection.current(on: api.app.db))
            #expect(stored.tokenExpiresAt != nil && stored.sealedRefreshToken != nil && !stored.sealedClientSecret!.contains(registered.clientSecret))

            // Eleven hours and three quarters later the tokens are renewed, and the new ones work.
            let before = summary.token_last4
            clock.advance(hours: 11.75)
            await api.app.runJobPass("slack-delivery")
            let renewed = try await api.get("/api/v1/integrations/slack", as: SlackConnectionSummary.self)
            #expect(renewed.token_last4 != before && renewed.status == "active")
            let refreshed = try await api.call(.POST, "/api/v1/integrations/slack/refresh").decode(SlackConnectionSummary.self)
            #expect(refreshed.problems.isEmpty)
        } }
    }

    @Test func aDirectMessageGoesOutBeforeADutyBegins() async throws {
        try await SlackOutputsTests().withSlack { api, clock, slack in
            _ = try await api.call(.PUT, "/api/v1/rotations/HOOK/outputs/slack", ["dm_before_minutes": 15, "roster_usergroup": "hook-everyone"])
            await api.app.runJobPass("slack-delivery")
            #expect(slack.workspace.directMessages(to: slack.id("ben@example.com")).isEmpty)
            #expect(Set(slack.workspace.group(handle: "hook-everyone")?.users ?? []) == Set(["ann@example.com", "ben@example.com", "cat@example.com"].map(slack.id)))
            clock.advance(hours: 0.8)  // 08:48: Ben's duty begins at 09:00
            await api.app.runJobPass("slack-delivery")
            await api.app.runJobPass("slack-delivery")
            let messages = slack.workspace.directMessages(to: slack.id("ben@example.com"))
            #expect(messages.count == 1 && messages.first?.contains("Hook (HOOK) begins at Mon 5 Jan 09:00") == true)
            #expect(slack.workspace.directMessages(to: slack.id("ann@example.com")).isEmpty)
        }
    }
}
