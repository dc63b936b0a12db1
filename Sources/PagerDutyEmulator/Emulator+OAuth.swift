import Crypto
import EmulatorSupport
import Foundation
import Vapor

/// PagerDuty's identity service: `/oauth/authorize` (consent page) and `/oauth/token`.
struct Identity: Sendable {
    let state: EmulatorState
    let region: String  // "us" or "eu": what the ID token's `aud` names
    static let codeLifetime: TimeInterval = 30
    static let accessTokenLifetime: TimeInterval = 86_400
    static let refreshTokenLifetime: TimeInterval = 30 * 86_400

    /// Scopes PagerDuty knows; anything else in a request is silently dropped from the grant.
    static let knownScopes: Set<String> = [
        "openid", "abilities.read", "addons.read", "addons.write", "analytics.read", "audit_records.read",
        "change_events.read", "change_events.write", "escalation_policies.read", "escalation_policies.write",
        "incidents.read", "incidents.write", "licenses.read", "oncalls.read", "priorities.read",
        "schedules.read", "schedules.write", "services.read", "services.write", "teams.read", "teams.write",
        "users.read", "users.write", "users:contact_methods.read", "users:contact_methods.write", "vendors.read",
    ]

    func register(_ routes: any RoutesBuilder) {
        let oauth = routes.grouped("oauth")
        oauth.get("authorize", use: authorizePage)
        oauth.post("authorize", use: decide)
        oauth.post("token", use: token)
    }

    struct AuthorizeParams: Content {
        var client_id: String?
        var redirect_uri: String?
        var response_type: String?
        var scope: String?
        var state: String?
        var code_challenge: String?
        var code_challenge_method: String?
        var decision: String?
    }

    private func validate(_ params: AuthorizeParams) throws -> OAuthAppRecord {
        let app = state.withStorage { storage in params.client_id.flatMap { storage.oauthApps[$0] } }
        guard let app else { throw Abort(.badRequest, reason: "Unknown client_id: register the app first.") }
        guard params.redirect_uri == app.redirectURI else { throw Abort(.badRequest, reason: "redirect_uri does not match the app's registered redirect URL.") }
        guard params.response_type == "code" else { throw Abort(.badRequest, reason: "response_type must be code.") }
        guard let challenge = params.code_challenge, !challenge.isEmpty, params.code_challenge_method == "S256" else {
            throw Abort(.badRequest, reason: "PKCE is required: send code_challenge with code_challenge_method=S256.")
        }
        return app
    }

    func authorizePage(req: Request) async throws -> Response {
        let params = try req.query.decode(AuthorizeParams.self)
        let app = try validate(params)
        let requested = (params.scope ?? "").split(separator: " ").map(String.init)
        let owner = state.withStorage { storage in storage.account.users.values.first { $0.role == "owner" }?.email ?? "owner" }
        func hidden(_ name: String, _ value: String?) -> String {
            "<input type=\"hidden\" name=\"\(name)\" value=\"\(escape(value ?? ""))\">"
        }
        let fields = [
            hidden("client_id", params.client_id), hidden("redirect_uri", params.redirect_uri), hidden("response_type", params.response_type),
            hidden("scope", params.scope), hidden("state", params.state), hidden("code_challenge", params.code_challenge),
            hidden("code_challenge_method", params.code_challenge_method),
        ].joined()
        let scopes = requested.map { "<li><code>\(escape($0))</code></li>" }.joined()
        let html = """
        <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Authorize app · PagerDuty (emulator)</title>
        <style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}button{font:inherit;padding:.5rem 1rem;margin-right:.5rem}</style></head>
        <body><h1>Authorize access</h1>
        <p>An app (client <code>\(escape(String(app.clientID.prefix(8))))…</code>) asks to act as <strong>\(escape(owner))</strong> with these scopes:</p>
        <ul>\(scopes)</ul>
        <form method="post" action="/oauth/authorize">\(fields)
        <button type="submit" name="decision" value="approve" id="approve">Approve</button>
        <button type="submit" name="decision" value="deny" id="deny">Deny</button></form></body></html>
        """
        var headers = HTTPHeaders()
        headers.contentType = .html
        return Response(status: .ok, headers: headers, body: .init(string: html))
    }

    func decide(req: Request) async throws -> Response {
        let params = try req.content.decode(AuthorizeParams.self)
        let app = try validate(params)
        var components = URLComponents(string: app.redirectURI)!
        var items = components.queryItems ?? []
        if params.decision != "approve" {
            items.append(URLQueryItem(name: "error", value: "access_denied"))
            items.append(URLQueryItem(name: "error_description", value: "The user denied access."))
        } else {
            let requested = (params.scope ?? "").split(separator: " ").map(String.init)
            let granted = requested.filter { Self.knownScopes.contains($0) && (app.scopes.isEmpty || app.scopes.contains($0) || $0 == "openid") }
            let code = state.withStorage { storage -> String in
                let owner = storage.account.users.values.first { $0.role == "owner" }!
                let code = storage.random.token(length: 32)
                storage.codes[code] = AuthorizationCode(code: code, clientID: app.clientID, redirectURI: app.redirectURI, scopes: granted,
                                                        codeChallenge: params.code_challenge!, userID: owner.id,
                                                        expiresAt: storage.clock.now().addingTimeInterval(Self.codeLifetime))
                return code
            }
            items.append(URLQueryItem(name: "code", value: code))
        }
        if let value = params.state { items.append(URLQueryItem(name: "state", value: value)) }
        components.queryItems = items
        let response = Response(status: .found)
        response.headers.replaceOrAdd(name: .location, value: components.string!)
        return response
    }

    struct TokenParams: Content {
        var grant_type: String?
        var client_id: String?
        var client_secret: String?
        var redirect_uri: String?
        var code: String?
        var code_verifier: String?
        var refresh_token: String?
        var scope: String?
    }

    private func oauthError(_ status: HTTPResponseStatus, _ error: String, _ description: String) -> Response {
        Response.pd(status, ["error": .string(error), "error_description": .string(description)])
    }

    func token(req: Request) async throws -> Response {
        guard let params = try? req.content.decode(TokenParams.self) else {
            return oauthError(.badRequest, "invalid_request", "Send a form-encoded body.")
        }
        let app = state.withStorage { storage in params.client_id.flatMap { storage.oauthApps[$0] } }
        guard let app, params.client_secret == app.clientSecret else {
            return oauthError(.unauthorized, "invalid_client", "Client authentication failed.")
        }
        switch params.grant_type {
        case "authorization_code":
            return state.withStorage { storage in
                guard let codeValue = params.code, let code = storage.codes.removeValue(forKey: codeValue) else {
                    return oauthError(.badRequest, "invalid_grant", "The authorization code is invalid or was already used.")
                }
                guard code.expiresAt > storage.clock.now() else { return oauthError(.badRequest, "invalid_grant", "The authorization code has expired.") }
                guard code.clientID == app.clientID, params.redirect_uri == code.redirectURI else {
                    return oauthError(.badRequest, "invalid_grant", "The redirect_uri does not match the authorization request.")
                }
                guard let verifier = params.code_verifier, Self.challenge(for: verifier) == code.codeChallenge else {
                    return oauthError(.badRequest, "invalid_grant", "PKCE verification failed.")
                }
                return issue(&storage, app: app, scopes: code.scopes, userID: code.userID, withRefresh: true)
            }
        case "refresh_token":
            return state.withStorage { storage in
                guard let value = params.refresh_token, let refresh = storage.refreshTokens[value], refresh.clientID == app.clientID,
                      refresh.expiresAt > storage.clock.now()
                else { return oauthError(.badRequest, "invalid_grant", "The refresh token is invalid, expired or was already used.") }
                // Rotation: the presented refresh token stops working now.
                storage.refreshTokens[value] = nil
                return issue(&storage, app: app, scopes: refresh.scopes, userID: refresh.userID, withRefresh: true)
            }
        case "client_credentials":
            return state.withStorage { storage in
                let requested = (params.scope ?? "").split(separator: " ").map(String.init)
                let accountScope = "as_account-\(region).\(storage.account.subdomain)"
                guard requested.contains(accountScope) else {
                    return oauthError(.badRequest, "invalid_scope", "The scope must include \(accountScope).")
                }
                let granted = requested.filter { Self.knownScopes.contains($0) }
                return issue(&storage, app: app, scopes: granted, userID: nil, withRefresh: false, extraScope: accountScope)
            }
        default:
            return oauthError(.badRequest, "unsupported_grant_type", "grant_type must be authorization_code, refresh_token or client_credentials.")
        }
    }

    private func issue(_ storage: inout EmulatorState.Storage, app: OAuthAppRecord, scopes: [String], userID: String?, withRefresh: Bool, extraScope: String? = nil) -> Response {
        let now = storage.clock.now()
        let access = "pdus+" + storage.random.token(length: 43)
        storage.accessTokens[access] = AccessTokenRecord(token: access, clientID: app.clientID, scopes: scopes, userID: userID,
                                                          expiresAt: now.addingTimeInterval(Self.accessTokenLifetime))
        var body: [String: JSON] = [
            "access_token": .string(access), "token_type": "bearer", "expires_in": .int(Int(Self.accessTokenLifetime)),
            "scope": .string((scopes + (extraScope.map { [$0] } ?? [])).joined(separator: " ")),
        ]
        if withRefresh, let userID {
            let refresh = "pdrt+" + storage.random.token(length: 43)
            storage.refreshTokens[refresh] = RefreshTokenRecord(token: refresh, clientID: app.clientID, scopes: scopes, userID: userID,
                                                                 expiresAt: now.addingTimeInterval(Self.refreshTokenLifetime))
            body["refresh_token"] = .string(refresh)
        }
        if scopes.contains("openid"), let userID {
            body["id_token"] = .string(idToken(app: app, userID: userID, now: now, storage: storage))
        }
        return .pd(.ok, .object(body))
    }

    /// An HS256-signed JWT whose `aud` names the account's regional API host.
    private func idToken(app: OAuthAppRecord, userID: String, now: Date, storage: EmulatorState.Storage) -> String {
        let audience = region == "eu" ? "https://api.eu.pagerduty.com" : "https://api.pagerduty.com"
        let header: JSON = ["alg": "HS256", "typ": "JWT"]
        let claims: JSON = [
            "iss": "https://identity.pagerduty.com", "sub": .string(userID), "aud": .string(audience),
            "azp": .string(app.clientID), "iat": .int(Int(now.timeIntervalSince1970)),
            "exp": .int(Int(now.timeIntervalSince1970) + 3600), "email": .optional(storage.account.users[userID]?.email),
            "subdomain": .string(storage.account.subdomain),
        ]
        let signingInput = Self.base64URL(header.encoded()) + "." + Self.base64URL(claims.encoded())
        let signature = HMAC<SHA256>.authenticationCode(for: Data(signingInput.utf8), using: SymmetricKey(data: Data(app.clientSecret.utf8)))
        return signingInput + "." + Self.base64URL(Data(signature))
    }

    static func challenge(for verifier: String) -> String {
        base64URL(Data(SHA256.hash(data: Data(verifier.utf8))))
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    private func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
