import Foundation
import PagerDutyEmulator
import PagerDutyKit
import Testing

/// The identity service's edges: deny, expiry, single use, PKCE, rotation, app tokens.
@Suite struct OAuthFlowTests {
    struct Registered {
        let app: OAuthApp
        let redirect = "http://127.0.0.1:9/callback"
    }

    func register(_ server: EmulatorServer) async throws -> Registered {
        let reply = try await server.http.call("POST", "/_emulator/oauth-apps", json: ["redirect_uri": "http://127.0.0.1:9/callback", "scopes": []]).json
        return Registered(app: OAuthApp(clientID: reply["client_id"] as! String, clientSecret: reply["client_secret"] as! String, identityBaseURL: server.baseURL))
    }

    /// Walks the consent page; returns the redirect's query items.
    func consent(_ server: EmulatorServer, _ registered: Registered, decision: String, pkce: PKCE, scopes: [String] = PagerDutyOAuth.rotationScopes) async throws -> [String: String] {
        let url = PagerDutyOAuth.authorizeURL(app: registered.app, redirectURI: registered.redirect, scopes: scopes, state: "st4te", pkce: pkce)
        let reply = try await server.http.call("POST", "/oauth/authorize", form: String(url.split(separator: "?")[1]) + "&decision=\(decision)")
        #expect(reply.status == 302)
        let location = try #require(reply.headers["location"])
        #expect(location.hasPrefix(registered.redirect))
        return Dictionary(uniqueKeysWithValues: (URLComponents(string: location)?.queryItems ?? []).map { ($0.name, $0.value ?? "") })
    }

    @Test func denyRedirectsWithAccessDenied() async throws {
        try await withEmulator { server in
            let registered = try await register(server)
            let items = try await consent(server, registered, decision: "deny", pkce: .generate())
            #expect(items["error"] == "access_denied")
            #expect(items["state"] == "st4te")
            #expect(items["code"] == nil)
        }
    }

    @Test func authorizeRequiresPKCEAndTheRegisteredRedirect() async throws {
        try await withEmulator { server in
            let registered = try await register(server)
            let noPKCE = try await server.http.call("GET", "/oauth/authorize?client_id=\(registered.app.clientID)&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcallback&response_type=code&scope=openid&state=x")
            #expect(noPKCE.status == 400)
            let wrongRedirect = try await server.http.call("GET", "/oauth/authorize?client_id=\(registered.app.clientID)&redirect_uri=http%3A%2F%2Fevil.example%2Fcb&response_type=code&scope=openid&state=x&code_challenge=abc&code_challenge_method=S256")
            #expect(wrongRedirect.status == 400)
        }
    }

    @Test func codesExpireAfterThirtySecondsAndNeedTheVerifier() async throws {
        try await withEmulator { server in
            let registered = try await register(server)
            _ = try await server.http.call("POST", "/_emulator/clock", json: ["now": "2026-06-01T12:00:00Z"])
            let pkce = PKCE.generate()
            let code = try #require(try await consent(server, registered, decision: "approve", pkce: pkce)["code"])
            await #expect(throws: PagerDutyError.oauth(error: "invalid_grant", description: "PKCE verification failed.")) {
                _ = try await PagerDutyOAuth.exchange(code: code, verifier: PKCE.generate().verifier, redirectURI: registered.redirect, app: registered.app, transport: AsyncHTTPClientTransport())
            }
            let second = try #require(try await consent(server, registered, decision: "approve", pkce: pkce)["code"])
            _ = try await server.http.call("POST", "/_emulator/clock", json: ["advance_seconds": 31])
            await #expect(throws: PagerDutyError.oauth(error: "invalid_grant", description: "The authorization code has expired.")) {
                _ = try await PagerDutyOAuth.exchange(code: second, verifier: pkce.verifier, redirectURI: registered.redirect, app: registered.app, transport: AsyncHTTPClientTransport())
            }
        }
    }

    @Test func refreshRotatesAndTheOldRefreshTokenStopsWorking() async throws {
        try await withEmulator { server in
            let registered = try await register(server)
            let pkce = PKCE.generate()
            let code = try #require(try await consent(server, registered, decision: "approve", pkce: pkce)["code"])
            let first = try await PagerDutyOAuth.exchange(code: code, verifier: pkce.verifier, redirectURI: registered.redirect, app: registered.app, transport: AsyncHTTPClientTransport())
            let persisted = TokenLog()
            let provider = OAuthTokenProvider(tokens: first, app: registered.app, transport: AsyncHTTPClientTransport(), onRotate: { persisted.add($0) })
            let client = PagerDutyClient(credential: .oauth(provider), configuration: PagerDutyClientConfiguration(baseURL: server.baseURL))
            #expect(try await client.me().email == "owner@shiftbridge-demo.example")

            // A day later the access token has expired: the provider refreshes on its own.
            _ = try await server.http.call("POST", "/_emulator/clock", json: ["advance_seconds": 86_400 + 60])
            let provider2 = OAuthTokenProvider(tokens: first, app: registered.app, transport: AsyncHTTPClientTransport(),
                                               now: { Date().addingTimeInterval(86_400 + 60) }, onRotate: { persisted.add($0) })
            let client2 = PagerDutyClient(credential: .oauth(provider2), configuration: PagerDutyClientConfiguration(baseURL: server.baseURL))
            #expect(try await client2.users().collect().count == 60)
            let rotated = try #require(persisted.all.last)
            #expect(rotated.refreshToken != first.refreshToken)
            #expect(await provider2.current.accessToken == rotated.accessToken)
            // The first refresh token was spent by the rotation.
            await #expect(throws: PagerDutyError.self) {
                _ = try await PagerDutyOAuth.refresh(first.refreshToken!, app: registered.app, transport: AsyncHTTPClientTransport())
            }
        }
    }

    @Test func clientCredentialsGiveAnAppTokenWithoutRefresh() async throws {
        try await withEmulator { server in
            let registered = try await register(server)
            let bad = try await server.http.call("POST", "/oauth/token", form: "grant_type=client_credentials&client_id=\(registered.app.clientID)&client_secret=\(registered.app.clientSecret.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)&scope=users.read")
            #expect(bad.status == 400)
            let good = try await server.http.call("POST", "/oauth/token", form: "grant_type=client_credentials&client_id=\(registered.app.clientID)&client_secret=\(registered.app.clientSecret.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)&scope=as_account-us.shiftbridge-demo%20users.read")
            #expect(good.status == 200)
            #expect(good.json["refresh_token"] == nil)
            let token = try #require(good.json["access_token"] as? String)
            #expect(try await server.http.call("GET", "/users", bearer: token).status == 200)
            // An app token acts as no user: /users/me has nobody to answer for.
            #expect(try await server.http.call("GET", "/users/me", bearer: token).status == 400)
            let wrongSecret = try await server.http.call("POST", "/oauth/token", form: "grant_type=client_credentials&client_id=\(registered.app.clientID)&client_secret=nope&scope=as_account-us.shiftbridge-demo")
            #expect(wrongSecret.status == 401)
        }
    }

    @Test func euEmulatorNamesTheEURegionInTheIDToken() async throws {
        let server = try await EmulatorServer.start(port: 0, seed: .demo, region: "eu")
        do {
            let registered = try await register(server)
            let pkce = PKCE.generate()
            let code = try #require(try await consent(server, registered, decision: "approve", pkce: pkce)["code"])
            let tokens = try await PagerDutyOAuth.exchange(code: code, verifier: pkce.verifier, redirectURI: registered.redirect, app: registered.app, transport: AsyncHTTPClientTransport())
            #expect(PagerDutyOAuth.region(ofIDToken: try #require(tokens.idToken)) == .eu)
            #expect(tokens.scopes.sorted() == PagerDutyOAuth.rotationScopes.sorted())
        } catch {
            await server.shutdown()
            throw error
        }
        await server.shutdown()
    }

    @Test func accountKeysCannotAskWhoTheyAre() async throws {
        try await withEmulator { server in
            let client = server.client(key: try await server.http.createKey())
            await #expect(throws: PagerDutyError.self) { try await client.me() }
            let included = try await server.http.call("GET", "/users?include[]=contact_methods&limit=1", key: try await server.http.createKey()).json
            let method = ((included["users"] as? [[String: Any]])?.first?["contact_methods"] as? [[String: Any]])?.first
            #expect(method?["type"] as? String == "email_contact_method")
            #expect(method?["address"] as? String == "owner@shiftbridge-demo.example")
        }
    }
}

final class TokenLog: @unchecked Sendable {
    private let lock = NSLock()
    private var tokens: [OAuthTokens] = []
    func add(_ value: OAuthTokens) { lock.lock(); tokens.append(value); lock.unlock() }
    var all: [OAuthTokens] { lock.lock(); defer { lock.unlock() }; return tokens }
}
