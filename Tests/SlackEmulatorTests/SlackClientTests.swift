import Foundation
import HTTPTransport
import SlackEmulator
import SlackKit
import Testing

/// SlackKit against the emulator: paging read whole, scopes, errors, 429 honoured, and a
/// message never sent twice when Slack may have taken it.
@Suite struct SlackClientTests {
    func withEmulator(_ body: (SlackEmulatorServer, String) async throws -> Void) async throws {
        let server = try await SlackEmulatorServer.start(port: 0, seed: .demo)
        let token = try #require(server.workspace.createToken(kind: "bot", scopes: SlackWorkspace.productScopes))
        do { try await body(server, token) } catch {
            await server.shutdown()
            throw error
        }
        await server.shutdown()
    }

    func client(_ server: SlackEmulatorServer, _ token: String?) -> SlackClient {
        var configuration = SlackClientConfiguration(baseURL: server.apiBaseURL)
        configuration.baseBackoff = 0.01
        return SlackClient(token: token, configuration: configuration, pacer: SlackPacer())
    }

    @Test func everyMemberIsReadAcrossPagesWithWhatMayJoinGroups() async throws {
        try await withEmulator { server, token in
            let users = try await client(server, token).allUsers(pageSize: 7)
            #expect(users.count == Set(users.map(\.id)).count && users.count > 60)
            let byEmail = Dictionary(users.compactMap { user in user.email.map { ($0, user) } }, uniquingKeysWith: { a, _ in a })
            #expect(byEmail["alex.nguyen@shiftbridge-demo.example"]?.canJoinGroups == true)
            #expect(byEmail["contractor@partner.example"]?.canJoinGroups == false)  // a guest
            #expect(byEmail["former.employee@shiftbridge-demo.example"]?.canJoinGroups == false)  // deactivated
            #expect(users.first { $0.id == "USLACKBOT" }?.canJoinGroups == false)
            #expect(users.filter(\.is_bot).allSatisfy { !$0.canJoinGroups })
        }
    }

    /// A channel's members and its messages since a moment, each read across pages whole.
    @Test func channelMembersAndHistoryAreReadAcrossPages() async throws {
        try await withEmulator { server, token in
            let channel = server.workspace.addChannel(name: "paged")
            let people = (0..<12).map { server.workspace.addUser(name: "P\($0)", email: "p\($0)@example.com") }
            for person in people { server.workspace.join(channel: channel, user: person) }
            let slack = client(server, token)
            let members = try await slack.channelMembers(channel, pageSize: 5)
            #expect(Set(members).isSuperset(of: people) && members.count == Set(members).count)
            let before = server.workspace.now
            for index in 0..<7 { try await slack.postMessage(channel, text: "message \(index)") }
            let seen = try await slack.messages(in: channel, since: before.addingTimeInterval(-1))
            #expect(seen.map(\.text) == (0..<7).reversed().map { "message \($0)" })
            #expect(seen.allSatisfy { $0.user != nil && $0.user == seen.first?.user })
            let stranger = server.workspace.addChannel(name: "elsewhere", botMember: false)
            await #expect(throws: SlackAPIError.api(method: "conversations.history", code: "not_in_channel", needed: nil, provided: nil)) {
                try await slack.messages(in: stranger, since: before)
            }
        }
    }

    @Test func scopesAndErrorsComeBackTyped() async throws {
        try await withEmulator { server, token in
            let identity = try await client(server, token).authTest()
            #expect(identity.scopes == Set(SlackWorkspace.productScopes) && identity.botID != nil)
            let narrow = try #require(server.workspace.createToken(kind: "bot", scopes: ["users:read"]))
            await #expect(throws: SlackAPIError.api(method: "usergroups.list", code: "missing_scope", needed: "usergroups:read", provided: "users:read")) {
                _ = try await client(server, narrow).usergroups()
            }
            let failure = await #expect(throws: SlackAPIError.self) { _ = try await client(server, "xoxb-nope").authTest() }
            #expect(failure?.isAuthenticationFailure == true)
        }
    }

    @Test func aRateLimitIsWaitedOutAndAMessageIsNeverSentTwice() async throws {
        try await withEmulator { server, token in
            server.workspace.setSettings(rateWindowSeconds: 2)  // Tier 2 scaled: 1 call per 2 s
            let slack = client(server, token)
            let started = Date()
            for _ in 0..<3 { _ = try await slack.usergroups() }
            #expect(Date().timeIntervalSince(started) >= 2)  // the 429s' Retry-After was honoured
            #expect(server.workspace.calls("usergroups.list") >= 3)

            let channel = server.workspace.addChannel(name: "once")
            server.workspace.setFaults(rate: 1, kinds: ["500"])
            await #expect(throws: SlackAPIError.server(method: "chat.postMessage", status: 500)) { try await slack.postMessage(channel, text: "hi") }
            #expect(server.workspace.calls("chat.postMessage") == 1)
            server.workspace.setFaults(rate: nil)
            try await slack.postMessage(channel, text: "a &lt;b&gt;")
            #expect(server.workspace.messages(channel: channel) == ["a &lt;b&gt;"])
        }
    }

    @Test func oauthInstallExchangesACodeOnceAndRotatesTokens() async throws {
        try await withEmulator { server, _ in
            let app = server.workspace.createOAuthApp(redirectURI: "http://127.0.0.1:9/callback", tokenRotation: true)
            // The consent page's Allow, as a browser would post it; the redirect is read, not followed.
            let consent = try await AsyncHTTPClientTransport().send(TransportRequest(
                method: "POST", url: server.baseURL + "/oauth/v2/authorize", headers: [("Content-Type", "application/x-www-form-urlencoded")],
                body: Data("client_id=\(app.clientID)&scope=usergroups%3Aread%2Cusers%3Aread&user_scope=usergroups%3Awrite&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcallback&state=s&decision=allow".utf8)))
            let location = consent.headers["location"] ?? ""
            let code = try #require(URLComponents(string: location)?.queryItems?.first { $0.name == "code" }?.value)
            let anonymous = client(server, nil)
            let grant = try await anonymous.exchangeCode(clientID: app.clientID, clientSecret: app.clientSecret, code: code, redirectURI: "http://127.0.0.1:9/callback")
            #expect(grant.access_token.hasPrefix("xoxb-") && grant.expires_in == 43_200 && grant.authed_user?.access_token?.hasPrefix("xoxp-") == true)
            await #expect(throws: SlackAPIError.self) {
                _ = try await anonymous.exchangeCode(clientID: app.clientID, clientSecret: app.clientSecret, code: code, redirectURI: "http://127.0.0.1:9/callback")
            }
            let renewed = try await anonymous.refresh(clientID: app.clientID, clientSecret: app.clientSecret, refreshToken: try #require(grant.refresh_token))
            #expect(renewed.refresh_token != grant.refresh_token)
            #expect(try await client(server, renewed.access_token).authTest().teamID == "T0SHIFTBRG")
        }
    }
}
