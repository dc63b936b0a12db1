import Foundation
@testable import PagerDutyKit
import Testing

@Suite struct ClientTests {
    @Test func sendsPagerDutyHeadersAndTheExactTokenFormat() async throws {
        let transport = ScriptedTransport([json(200, #"{"abilities":["teams"]}"#)])
        #expect(try await client(transport).abilities() == ["teams"])
        let request = try #require(transport.all.first)
        let headers = Dictionary(request.headers, uniquingKeysWith: { a, _ in a })
        #expect(headers["Authorization"] == "Token token=u+testkey1234")
        #expect(headers["Accept"] == "application/vnd.pagerduty+json;version=2")
        #expect(request.url == "https://api.example.test/abilities")
        #expect(request.timeout == 30)
        #expect(request.maxResponseBytes == 16 << 20)
    }

    @Test func retriesServerErrorsAndTimeoutsWithBackoff() async throws {
        let sleeps = SleepLog()
        let transport = ScriptedTransport([
            json(502, "<html>bad gateway</html>"),
            { _ in throw TransportError.timedOut },
            json(200, #"{"abilities":[]}"#),
        ])
        #expect(try await client(transport, sleeps: sleeps).abilities() == [])
        #expect(transport.count == 3)
        #expect(sleeps.all.count == 2)
        #expect(sleeps.all[1] >= sleeps.all[0] * 0.5)  // exponential, with jitter
    }

    @Test func doesNotRetryClientErrors() async throws {
        for (status, body) in [(400, #"{"error":{"message":"Invalid Input Provided","code":2001,"errors":["Email is invalid"]}}"#),
                               (401, "Unauthorized"), (403, #"{"error":{"message":"Access Denied","code":2010}}"#), (404, #"{"error":{"message":"Not Found","code":2100}}"#)] {
            let transport = ScriptedTransport([json(status, body), json(200, "{}")])
            await #expect(throws: PagerDutyError.self) { try await client(transport).user(id: "PX") }
            #expect(transport.count == 1, "status \(status) was retried")
        }
    }

    @Test func honoursRateLimitResetBeforeRetrying() async throws {
        let transport = ScriptedTransport([
            json(429, #"{"error":{"message":"Rate Limit Exceeded","code":2020}}"#, headers: ["ratelimit-reset": "1", "ratelimit-remaining": "0"]),
            json(200, #"{"abilities":["x"]}"#),
        ])
        let started = ContinuousClock.now
        #expect(try await client(transport).abilities() == ["x"])
        // The pacer held the retry for the second PagerDuty asked for.
        #expect(ContinuousClock.now - started >= .milliseconds(900))
        #expect(transport.count == 2)
    }

    @Test func givesUpAfterTheRetryBudget() async throws {
        let transport = ScriptedTransport(Array(repeating: json(500, #"{"error":{"message":"boom","code":2000}}"#), count: 10))
        await #expect(throws: PagerDutyError.server(status: 500, message: "boom")) { try await client(transport, attempts: 3).abilities() }
        #expect(transport.count == 3)
    }

    @Test func parsesBothErrorShapesAndNonJSONBodies() {
        let list = ErrorBody.parse(Data(#"{"error":{"message":"Invalid Input Provided","code":2001,"errors":["Email has already been taken"]}}"#.utf8))
        #expect(list.errors == ["Email has already been taken"])
        #expect(list.code == 2001)
        let keyed = ErrorBody.parse(Data(#"{"error":{"message":"Invalid","code":"2001","errors":{"email":["is invalid","is taken"]}}}"#.utf8))
        #expect(keyed.errors == ["email is invalid", "email is taken"])
        #expect(keyed.code == 2001)
        let scopes = PagerDutyError.from(status: 403, body: Data(#"{"error":{"message":"Token missing required scopes","code":2010,"required_scopes":["users.write"]}}"#.utf8), headers: [:])
        #expect(scopes == .forbidden(message: "Token missing required scopes", requiredScopes: ["users.write"]))
        let html = PagerDutyError.from(status: 401, body: Data("<html>401</html>".utf8), headers: [:])
        #expect(html == .unauthorized(message: "Unauthorized"))
        let limited = PagerDutyError.from(status: 429, body: Data(), headers: ["ratelimit-reset": "12"])
        #expect(limited == .rateLimited(retryAfter: 12))
    }

    @Test func decodingToleratesNullsMissingNamesAndUnknownValues() throws {
        let body = #"""
        {"users":[{"id":"P1","name":null,"email":null,"role":"brand_new_role","teams":null,"extra":{"a":1}},
                  {"id":"P2","type":"user_reference","summary":"Deleted User","deleted_at":"2026-01-01T00:00:00Z"}],
         "more":false}
        """#
        let page = try ClassicPage<PDUser>.decode(Data(body.utf8), key: "users")
        #expect(page.items.map(\.id) == ["P1", "P2"])
        #expect(page.items[0].role == "brand_new_role")
        #expect(page.items[0].email == nil && page.items[0].teams.isEmpty)
        #expect(page.items[1].isDeleted && page.items[1].name == "Deleted User")
    }

    @Test func paginationAdvancesByResultsReceivedUntilMoreIsFalse() async throws {
        // A server that returns fewer than asked must not make us skip anyone.
        let transport = ScriptedTransport([
            json(200, #"{"users":[{"id":"A"},{"id":"B"}],"limit":100,"offset":0,"more":true}"#),
            json(200, #"{"users":[{"id":"C"}],"limit":100,"offset":2,"more":false}"#),
        ])
        let users = try await client(transport).users().collect()
        #expect(users.map(\.id) == ["A", "B", "C"])
        #expect(transport.all[1].url.contains("offset=2"))
        #expect(transport.all[1].url.contains("limit=100"))
    }

    @Test func aMalformedPageIsRetriedNotTruncated() async throws {
        let transport = ScriptedTransport([
            json(200, #"{"users":[{"id":"A"}],"more":true}"#),
            json(200, #"{"users":[{"id":"#),
            json(200, #"{"users":[{"id":"B"}],"more":false}"#),
        ])
        #expect(try await client(transport).users().collect().map(\.id) == ["A", "B"])
    }

    @Test func aPageThatKeepsFailingFailsTheWholeList() async throws {
        let transport = ScriptedTransport([json(200, #"{"users":[{"id":"A"}],"more":true}"#)] + Array(repeating: json(503, "down"), count: 5))
        await #expect(throws: PagerDutyError.self) { try await client(transport, attempts: 3).users().collect() }
    }

    @Test func stopsWithAnErrorAtTheOffsetCap() async throws {
        let page = #"{"users":["# + (0..<100).map { #"{"id":"P\#($0)"}"# }.joined(separator: ",") + #"],"more":true}"#
        let transport = ScriptedTransport(Array(repeating: json(200, page), count: 101))
        do {
            _ = try await client(transport).users().collect()
            Issue.record("expected the 10,000 offset cap to stop the listing")
        } catch let PagerDutyError.paginationLimitReached(path, fetched) {
            #expect(path == "/users")
            #expect(fetched == 10_000)
        }
        #expect(transport.count == 100)
    }

    @Test func setFiltersRepeatTheKey() async throws {
        let transport = ScriptedTransport([json(200, #"{"oncalls":[],"more":false}"#)])
        _ = try await client(transport).onCalls(scheduleIDs: ["S1", "S2"]).collect()
        #expect(transport.all[0].url.contains("schedule_ids[]=S1&schedule_ids[]=S2"))
    }
}

@Suite struct OAuthTests {
    static let app = OAuthApp(clientID: "cid", clientSecret: "secret", identityBaseURL: "https://identity.example.test/")

    @Test func authorizeURLCarriesPKCEStateAndScopes() throws {
        let pkce = PKCE(verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
        // RFC 7636's worked example.
        #expect(pkce.challenge == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
        let url = PagerDutyOAuth.authorizeURL(app: Self.app, redirectURI: "https://sb.example.com/api/integrations/pagerduty/login/callback",
                                              scopes: ["openid", "users.read"], state: "xyz", pkce: pkce)
        let components = try #require(URLComponents(string: url))
        let items = Dictionary(uniqueKeysWithValues: (components.queryItems ?? []).map { ($0.name, $0.value ?? "") })
        #expect(components.host == "identity.example.test" && components.path == "/oauth/authorize")
        #expect(items["scope"] == "openid users.read")
        #expect(items["code_challenge_method"] == "S256")
        #expect(items["code_challenge"] == pkce.challenge)
        #expect(items["state"] == "xyz")
        #expect(items["response_type"] == "code")
    }

    @Test func readsTheRegionFromTheIDTokenAudience() {
        func token(_ aud: String) -> String {
            "e30." + Data(#"{"aud":"\#(aud)"}"#.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "") + ".sig"
        }
        #expect(PagerDutyOAuth.region(ofIDToken: token("https://api.eu.pagerduty.com")) == .eu)
        #expect(PagerDutyOAuth.region(ofIDToken: token("https://api.pagerduty.com")) == .us)
        #expect(PagerDutyOAuth.region(ofIDToken: "garbage") == nil)
    }

    @Test func refreshesBeforeExpiryAndPersistsTheRotatedTokenFirst() async throws {
        let transport = ScriptedTransport([json(200, #"{"access_token":"new-access","refresh_token":"new-refresh","expires_in":3600,"scope":"openid users.read","token_type":"bearer"}"#)])
        let persisted = PersistLog()
        let provider = OAuthTokenProvider(
            tokens: OAuthTokens(accessToken: "old-access", refreshToken: "old-refresh", expiresAt: Date().addingTimeInterval(60), scopes: []),
            app: Self.app, transport: transport, refreshMargin: 300, onRotate: { tokens in persisted.record(tokens) })
        let token = try await provider.accessToken()
        #expect(token == "new-access")
        #expect(persisted.all.map(\.refreshToken) == ["new-refresh"])
        let body = String(decoding: transport.all[0].body ?? Data(), as: UTF8.self)
        #expect(body.contains("grant_type=refresh_token") && body.contains("refresh_token=old-refresh"))
        // Fresh now: no second refresh.
        #expect(try await provider.accessToken() == "new-access")
        #expect(transport.count == 1)
    }

    @Test func aFailedPersistMeansTheNewTokenIsNotUsed() async throws {
        struct DiskFull: Error {}
        let transport = ScriptedTransport([json(200, #"{"access_token":"new-access","refresh_token":"new-refresh","expires_in":3600}"#)])
        let provider = OAuthTokenProvider(
            tokens: OAuthTokens(accessToken: "old", refreshToken: "old-refresh", expiresAt: Date(), scopes: []),
            app: Self.app, transport: transport, onRotate: { _ in throw DiskFull() })
        await #expect(throws: DiskFull.self) { try await provider.accessToken() }
        #expect(await provider.current.accessToken == "old")
    }

    @Test func aRejectedRefreshTokenIsInvalidGrant() async throws {
        let transport = ScriptedTransport([json(400, #"{"error":"invalid_grant","error_description":"revoked"}"#)])
        let provider = OAuthTokenProvider(tokens: OAuthTokens(accessToken: "a", refreshToken: "r", expiresAt: Date(), scopes: []),
                                          app: Self.app, transport: transport, onRotate: { _ in })
        await #expect(throws: PagerDutyError.oauth(error: "invalid_grant", description: "revoked")) { try await provider.accessToken() }
    }

    @Test func a401RefreshesOnceThenRetries() async throws {
        let transport = ScriptedTransport([
            json(401, #"{"error":{"message":"Authentication failed","code":2006}}"#),
            json(200, #"{"access_token":"second","refresh_token":"r2","expires_in":86400}"#),
            json(200, #"{"abilities":["ok"]}"#),
        ])
        let provider = OAuthTokenProvider(tokens: OAuthTokens(accessToken: "first", refreshToken: "r1", expiresAt: Date().addingTimeInterval(86_400), scopes: []),
                                          app: Self.app, transport: transport, onRotate: { _ in })
        #expect(try await client(transport, credential: .oauth(provider)).abilities() == ["ok"])
        let auth = transport.all.compactMap { request in request.headers.first { $0.0 == "Authorization" }?.1 }
        #expect(auth == ["Bearer first", "Bearer second"])
    }
}

final class PersistLog: @unchecked Sendable {
    private var values: [OAuthTokens] = []
    private let lock = NSLock()
    func record(_ tokens: OAuthTokens) { lock.lock(); values.append(tokens); lock.unlock() }
    var all: [OAuthTokens] { lock.lock(); defer { lock.unlock() }; return values }
}
