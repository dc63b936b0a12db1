import Crypto
import Foundation

public enum PagerDutyRegion: String, Sendable, CaseIterable, Codable {
    case us, eu

    public var apiBaseURL: String { self == .us ? "https://api.pagerduty.com" : "https://api.eu.pagerduty.com" }
    public var identityBaseURL: String { self == .us ? "https://identity.pagerduty.com" : "https://identity.eu.pagerduty.com" }
}

/// Tokens from PagerDuty's identity service.
public struct OAuthTokens: Sendable, Equatable, Codable {
    public var accessToken: String
    public var refreshToken: String?
    public var expiresAt: Date
    public var scopes: [String]
    public var idToken: String?

    public init(accessToken: String, refreshToken: String?, expiresAt: Date, scopes: [String], idToken: String? = nil) {
        self.accessToken = accessToken
        self.refreshToken = refreshToken
        self.expiresAt = expiresAt
        self.scopes = scopes
        self.idToken = idToken
    }
}

/// A Scoped OAuth app's registration, and where its identity service lives.
public struct OAuthApp: Sendable, Equatable {
    public var clientID: String
    public var clientSecret: String
    public var identityBaseURL: String

    public init(clientID: String, clientSecret: String, identityBaseURL: String) {
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.identityBaseURL = identityBaseURL.hasSuffix("/") ? String(identityBaseURL.dropLast()) : identityBaseURL
    }
}

/// PKCE (S256): a random verifier kept by us, its hash sent in the authorize URL.
public struct PKCE: Sendable, Equatable {
    public let verifier: String
    public var challenge: String { Self.challenge(for: verifier) }

    public init(verifier: String) { self.verifier = verifier }

    public static func generate() -> PKCE {
        PKCE(verifier: base64URL(Data(SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) } + SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) })))
    }

    public static func challenge(for verifier: String) -> String {
        base64URL(Data(SHA256.hash(data: Data(verifier.utf8))))
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

/// The OAuth 2.0 steps: authorize URL, code exchange, refresh, ID token, scope comparison.
public enum PagerDutyOAuth {
    public static let rotationScopes = ["openid", "schedules.read", "teams.read", "users.read", "oncalls.read"]

    public static func authorizeURL(app: OAuthApp, redirectURI: String, scopes: [String], state: String, pkce: PKCE) -> String {
        var components = URLComponents(string: app.identityBaseURL + "/oauth/authorize")!
        components.queryItems = [
            URLQueryItem(name: "client_id", value: app.clientID),
            URLQueryItem(name: "redirect_uri", value: redirectURI),
            URLQueryItem(name: "response_type", value: "code"),
            URLQueryItem(name: "scope", value: scopes.joined(separator: " ")),
            URLQueryItem(name: "state", value: state),
            URLQueryItem(name: "code_challenge", value: pkce.challenge),
            URLQueryItem(name: "code_challenge_method", value: "S256"),
        ]
        // `+` in a query means space to some servers; PagerDuty wants %20 between scopes.
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        return components.string!
    }

    public static func exchange(code: String, verifier: String, redirectURI: String, app: OAuthApp,
                                transport: any HTTPTransport, now: Date = Date()) async throws -> OAuthTokens {
        try await tokenRequest(app: app, transport: transport, now: now, fields: [
            ("grant_type", "authorization_code"), ("client_id", app.clientID), ("client_secret", app.clientSecret),
            ("redirect_uri", redirectURI), ("code", code), ("code_verifier", verifier),
        ])
    }

    public static func refresh(_ refreshToken: String, app: OAuthApp, transport: any HTTPTransport, now: Date = Date()) async throws -> OAuthTokens {
        try await tokenRequest(app: app, transport: transport, now: now, fields: [
            ("grant_type", "refresh_token"), ("client_id", app.clientID), ("client_secret", app.clientSecret), ("refresh_token", refreshToken),
        ])
    }

    static func tokenRequest(app: OAuthApp, transport: any HTTPTransport, now: Date, fields: [(String, String)]) async throws -> OAuthTokens {
        let body = fields.map { "\($0.0)=\(formEncode($0.1))" }.joined(separator: "&")
        let request = TransportRequest(method: "POST", url: app.identityBaseURL + "/oauth/token",
                                       headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")],
                                       body: Data(body.utf8), timeout: 30, maxResponseBytes: 1 << 20)
        let response: TransportResponse
        do {
            response = try await transport.send(request)
        } catch {
            throw PagerDutyError.transport(String(describing: error))
        }
        let object = (try? JSONSerialization.jsonObject(with: response.body)) as? [String: Any] ?? [:]
        guard (200..<300).contains(response.status) else {
            if let error = object["error"] as? String {
                throw PagerDutyError.oauth(error: error, description: object["error_description"] as? String ?? "")
            }
            throw PagerDutyError.from(status: response.status, body: response.body, headers: response.headers)
        }
        guard let access = object["access_token"] as? String else {
            throw PagerDutyError.malformedResponse("the token response has no access_token")
        }
        let expiresIn = (object["expires_in"] as? Int) ?? (object["expires_in"] as? Double).map(Int.init) ?? 3600
        let scopes = (object["scope"] as? String ?? "").split(separator: " ").map(String.init)
        return OAuthTokens(accessToken: access, refreshToken: object["refresh_token"] as? String,
                           expiresAt: now.addingTimeInterval(TimeInterval(expiresIn)), scopes: scopes, idToken: object["id_token"] as? String)
    }

    static func formEncode(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }

    /// The `aud` claim of an ID token (the account's regional API host). The token comes
    /// straight from the identity service over TLS, so its claims are read, not verified.
    public static func audience(ofIDToken token: String) -> String? {
        let parts = token.split(separator: ".")
        guard parts.count >= 2 else { return nil }
        var payload = String(parts[1]).replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while payload.count % 4 != 0 { payload += "=" }
        guard let data = Data(base64Encoded: payload),
              let claims = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return nil }
        if let audience = claims["aud"] as? String { return audience }
        return (claims["aud"] as? [String])?.first
    }

    /// The region an ID token names, if it names one we know.
    public static func region(ofIDToken token: String) -> PagerDutyRegion? {
        guard let audience = audience(ofIDToken: token), let host = URL(string: audience)?.host ?? Optional(audience) else { return nil }
        if host.contains(".eu.") || host.hasPrefix("eu.") { return .eu }
        if host.hasSuffix("pagerduty.com") { return .us }
        return nil
    }

    /// Scopes asked for but not granted (PagerDuty drops unknown ones silently).
    public static func missingScopes(requested: [String], granted: [String]) -> [String] {
        let have = Set(granted)
        return requested.filter { !have.contains($0) }
    }
}

/// Hands out a valid access token: refreshes shortly before expiry and once after a 401,
/// and persists every rotated refresh token (through `onRotate`) before the new access token
/// is used, so a crash can never leave us holding only a revoked refresh token.
public actor OAuthTokenProvider {
    private var tokens: OAuthTokens
    let app: OAuthApp
    private let transport: any HTTPTransport
    private let refreshMargin: TimeInterval
    private let onRotate: @Sendable (OAuthTokens) async throws -> Void
    private let now: @Sendable () -> Date
    private var refreshing: Task<OAuthTokens, any Error>?

    public init(tokens: OAuthTokens, app: OAuthApp, transport: any HTTPTransport, refreshMargin: TimeInterval = 300,
                now: @escaping @Sendable () -> Date = { Date() }, onRotate: @escaping @Sendable (OAuthTokens) async throws -> Void) {
        self.tokens = tokens
        self.app = app
        self.transport = transport
        self.refreshMargin = refreshMargin
        self.now = now
        self.onRotate = onRotate
    }

    public var current: OAuthTokens { tokens }

    public func accessToken() async throws -> String {
        if tokens.expiresAt.timeIntervalSince(now()) > refreshMargin { return tokens.accessToken }
        return try await refresh().accessToken
    }

    /// After a 401 with `rejected`: refresh once (unless another caller already did).
    public func accessToken(afterRejecting rejected: String) async throws -> String {
        if tokens.accessToken != rejected { return tokens.accessToken }
        return try await refresh().accessToken
    }

    /// One refresh at a time; concurrent callers share its result.
    public func refresh() async throws -> OAuthTokens {
        if let refreshing { return try await refreshing.value }
        guard let refreshToken = tokens.refreshToken else {
            throw PagerDutyError.oauth(error: "invalid_grant", description: "no refresh token; authorize again")
        }
        let app = self.app, transport = self.transport, onRotate = self.onRotate, now = self.now()
        let task = Task { () throws -> OAuthTokens in
            var fresh = try await PagerDutyOAuth.refresh(refreshToken, app: app, transport: transport, now: now)
            if fresh.scopes.isEmpty { fresh.scopes = [] }
            try await onRotate(fresh)
            return fresh
        }
        refreshing = task
        defer { refreshing = nil }
        let fresh = try await task.value
        tokens = fresh
        return fresh
    }
}

public enum PagerDutyCredential: Sendable {
    case apiKey(String)
    case oauth(OAuthTokenProvider)
}
