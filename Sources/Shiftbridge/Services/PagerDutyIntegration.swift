import Crypto
import Fluent
import Foundation
import PagerDutyKit
import Vapor

/// Connecting, checking and disconnecting PagerDuty: the one place the dashboard, the JSON
/// API and background jobs go through. Secrets are sealed before they touch the database.
struct PagerDutyIntegration {
    let app: Application
    var db: any Database { app.db }

    static let rotationScopes = PagerDutyOAuth.rotationScopes
    static let provisioningScopes = ["users.write", "teams.write"]
    static let callbackPath = "/api/integrations/pagerduty/login/callback"

    /// A problem a person can act on; the message says what to do.
    struct Failure: Error, CustomStringConvertible {
        let message: String
        var status: HTTPResponseStatus = .unprocessableEntity
        var code = "pagerduty_rejected"
        var description: String { message }

        var apiError: APIError { APIError(status: status, code: code, message: message) }
    }

    // MARK: Reading

    struct Summary: Content, Equatable {
        var status: String
        var method: String?
        var key_last4: String?
        var region: String?
        var base_url: String?
        var read_only: Bool?
        var scopes: [String]?
        var connected_at: Date?
        var connected_by: String?
        var account: String?
        var last_success_at: Date?
        var status_detail: String?
    }

    func summary() async throws -> Summary {
        guard let connection = try await PagerDutyConnection.current(on: db) else { return Summary(status: "disconnected") }
        let status: String = switch connection.status {
        case .active: "active"
        case .needsReconnection: "needs_reconnection"
        case .keyRejected: "key_rejected"
        case .missingScopes: "missing_scopes"
        }
        return Summary(status: status, method: connection.method.rawValue, key_last4: connection.secretLast4, region: connection.region,
                       base_url: connection.baseURL, read_only: connection.readOnly,
                       scopes: connection.method == .oauth ? connection.grantedScopes : nil, connected_at: connection.connectedAt,
                       connected_by: connection.connectedBy, account: connection.account, last_success_at: connection.lastSuccessAt,
                       status_detail: connection.statusDetail)
    }

    // MARK: API key

    /// Validates the key against PagerDuty (it must read users and schedules) and only then
    /// stores it. Whether it may write is probed without changing anything.
    @discardableResult
    func connect(apiKey rawKey: String, region: PagerDutyRegion, baseURL rawBaseURL: String?, actor: String) async throws -> PagerDutyConnection {
        let key = rawKey.trimmingCharacters(in: .whitespacesAndNewlines)
        guard key.count >= 8, !key.contains(" ") else {
            throw Failure(message: "Paste the whole API key from PagerDuty (Integrations → API Access Keys).", code: "invalid_field")
        }
        let baseURL = try checkedHost(rawBaseURL, field: "base_url", vendor: .pagerDutyAPI) ?? region.apiBaseURL
        let client = makeClient(credential: .apiKey(key), baseURL: baseURL, quick: true)
        let account: String?
        let readOnly: Bool
        do {
            var users = client.users(pageSize: 1).makeAsyncIterator()
            account = try await users.next()?.accountSubdomain
            var schedules = client.schedules(pageSize: 1).makeAsyncIterator()
            _ = try await schedules.next()
            readOnly = !(try await client.canWrite())
        } catch let error as PagerDutyError {
            // Nothing was stored: the key (or the address given with it) is what could not be checked.
            var failure = Self.explain(error, baseURL: baseURL, method: .apiKey)
            if failure.status.code >= 500 { failure.status = .unprocessableEntity }
            throw failure
        }
        return try await store(
            Credentials(method: .apiKey, region: region, baseURL: baseURL, identityURL: nil, sealedAPIKey: try app.secretBox.seal(key),
                        clientID: nil, sealedClientSecret: nil, tokens: nil, secretLast4: SecretBox.last4(key), requestedScopes: [],
                        readOnly: readOnly, account: account, status: .active, statusDetail: nil),
            actor: actor, action: { existing in existing?.method == .apiKey ? "pagerduty.api_key_changed" : "pagerduty.connected" })
    }

    // MARK: OAuth

    /// Starts the authorization: returns PagerDuty's authorize URL. The attempt is stored
    /// (sealed) for ten minutes and can be completed once, by the same admin.
    func beginOAuth(clientID rawClientID: String, clientSecret rawSecret: String, region: PagerDutyRegion, baseURL rawBaseURL: String?,
                    identityURL rawIdentityURL: String?, redirectURI: String, user: User, sessionNonce: String?,
                    provisioning: Bool = false, purpose: String = "connect") async throws -> String {
        let clientID = rawClientID.trimmingCharacters(in: .whitespacesAndNewlines)
        let secret = rawSecret.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !clientID.isEmpty else { throw Failure(message: "client_id: paste the Client ID PagerDuty showed when you registered the app.", code: "invalid_field") }
        guard !secret.isEmpty else { throw Failure(message: "client_secret: paste the Client Secret PagerDuty showed when you registered the app.", code: "invalid_field") }
        let baseURL = try checkedHost(rawBaseURL, field: "base_url", vendor: .pagerDutyAPI)
        let identityURL = try checkedHost(rawIdentityURL, field: "identity_url", vendor: .pagerDutyIdentity) ?? region.identityBaseURL
        let oauthApp = OAuthApp(clientID: clientID, clientSecret: secret, identityBaseURL: identityURL)
        let pkce = PKCE.generate()
        let state = [UInt8].random(count: 24).base64String().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        // Least privilege: write scopes only when provisioning is wanted; audit records let
        // the sync follow changes instead of polling every schedule.
        let scopes = Self.rotationScopes + ["audit_records.read"] + (provisioning ? Self.provisioningScopes : [])
        let payload = OAuthAttempt.Payload(verifier: pkce.verifier, clientID: clientID, clientSecret: secret, region: region.rawValue, baseURL: baseURL,
                                           identityURL: identityURL, redirectURI: redirectURI, requestedScopes: scopes, purpose: purpose)
        let attempt = OAuthAttempt()
        attempt.id = Self.hash(state)
        attempt.$user.id = try user.requireID()
        attempt.sessionNonce = sessionNonce
        attempt.sealedPayload = try app.secretBox.seal(String(decoding: try JSONEncoder().encode(payload), as: UTF8.self))
        attempt.expiresAt = Date().addingTimeInterval(OAuthAttempt.lifetime)
        try await OAuthAttempt.query(on: db).filter(\.$expiresAt < Date()).delete()
        try await attempt.create(on: db)
        return PagerDutyOAuth.authorizeURL(app: oauthApp, redirectURI: redirectURI, scopes: scopes, state: state, pkce: pkce)
    }

    /// Runs the login flow again with the stored app credentials (Refresh Connection).
    func beginRefresh(redirectURI: String, user: User, sessionNonce: String?) async throws -> String {
        guard let connection = try await PagerDutyConnection.current(on: db), connection.method == .oauth,
              let clientID = connection.clientID, let sealed = connection.sealedClientSecret
        else { throw Failure(message: "PagerDuty is not connected with OAuth; connect it first.", status: .conflict, code: "not_connected") }
        return try await beginOAuth(clientID: clientID, clientSecret: try app.secretBox.open(sealed),
                                    region: PagerDutyRegion(rawValue: connection.region) ?? .us, baseURL: connection.baseURL,
                                    identityURL: connection.identityURL, redirectURI: redirectURI, user: user, sessionNonce: sessionNonce,
                                    provisioning: connection.requestedScopes.contains("users.write"), purpose: "refresh")
    }

    /// Completes the flow from the callback's query. Every failure leaves nothing stored.
    @discardableResult
    func completeOAuth(state: String?, code: String?, error: String?, user: User, sessionNonce: String?) async throws -> PagerDutyConnection {
        guard let state, !state.isEmpty, let attempt = try await OAuthAttempt.find(Self.hash(state), on: db) else {
            throw Failure(message: "This PagerDuty sign-in could not be matched to one you started (unknown or reused state). Start the connection again.", code: "invalid_state")
        }
        // Single use, whatever happens next.
        try await attempt.delete(on: db)
        guard attempt.$user.id == user.id, attempt.sessionNonce == nil || attempt.sessionNonce == sessionNonce else {
            throw Failure(message: "This PagerDuty sign-in was started in another session. Start the connection again from this browser.", code: "invalid_state")
        }
        guard attempt.expiresAt > Date() else {
            throw Failure(message: "The PagerDuty sign-in took longer than 10 minutes and expired. Start the connection again.", code: "expired")
        }
        if let error {
            throw Failure(message: error == "access_denied"
                ? "PagerDuty access was denied, so nothing was connected. Approve the request to connect."
                : "PagerDuty did not authorize the connection (\(error)). Nothing was changed.", code: "access_denied")
        }
        guard let code, !code.isEmpty else { throw Failure(message: "PagerDuty's answer had no authorization code. Start the connection again.", code: "invalid_request") }
        let payload = try JSONDecoder().decode(OAuthAttempt.Payload.self, from: Data(try app.secretBox.open(attempt.sealedPayload).utf8))
        let oauthApp = OAuthApp(clientID: payload.clientID, clientSecret: payload.clientSecret, identityBaseURL: payload.identityURL)
        let tokens: OAuthTokens
        do {
            tokens = try await PagerDutyOAuth.exchange(code: code, verifier: payload.verifier, redirectURI: payload.redirectURI, app: oauthApp, transport: app.pagerDutyTransport)
        } catch PagerDutyError.oauth(let error, let description) where error == "invalid_grant" {
            throw Failure(message: "PagerDuty refused the authorization code: it expired or was already used (\(description)). Start the connection again.", code: "invalid_grant")
        } catch PagerDutyError.oauth(let error, _) where error == "invalid_client" {
            throw Failure(message: "PagerDuty did not accept the client ID and secret. Check both in PagerDuty's App Registration.", code: "invalid_client")
        } catch let error as PagerDutyError {
            throw Self.explain(error, baseURL: payload.identityURL, method: .oauth)
        }
        let region = tokens.idToken.flatMap(PagerDutyOAuth.region(ofIDToken:)) ?? PagerDutyRegion(rawValue: payload.region) ?? .us
        let baseURL = payload.baseURL ?? region.apiBaseURL
        let missing = PagerDutyOAuth.missingScopes(requested: payload.requestedScopes, granted: tokens.scopes)
        let needed = PagerDutyOAuth.missingScopes(requested: Self.rotationScopes, granted: tokens.scopes)
        // The account's subdomain, when a user's page URL shows it; not worth failing over.
        let lookup = OAuthTokenProvider(tokens: tokens, app: oauthApp, transport: app.pagerDutyTransport, onRotate: { _ in })
        var users = makeClient(credential: .oauth(lookup), baseURL: baseURL, quick: true).users(pageSize: 1).makeAsyncIterator()
        let account = (try? await users.next())??.accountSubdomain
        return try await store(
            Credentials(method: .oauth, region: region, baseURL: baseURL, identityURL: payload.identityURL, sealedAPIKey: nil,
                        clientID: payload.clientID, sealedClientSecret: try app.secretBox.seal(payload.clientSecret),
                        tokens: (try app.secretBox.seal(tokens.accessToken), try tokens.refreshToken.map { try app.secretBox.seal($0) }, tokens.expiresAt, tokens.scopes),
                        secretLast4: SecretBox.last4(payload.clientID), requestedScopes: payload.requestedScopes,
                        readOnly: !tokens.scopes.contains("users.write"), account: account,
                        status: needed.isEmpty ? .active : .missingScopes,
                        statusDetail: missing.isEmpty ? nil : "Missing scopes: \(missing.joined(separator: ", "))"),
            actor: user.email, action: { _ in payload.purpose == "refresh" ? "pagerduty.reconnected" : "pagerduty.connected" })
    }

    /// What a connect stores: everything sealed already.
    struct Credentials {
        var method: PagerDutyConnection.Method
        var region: PagerDutyRegion
        var baseURL: String
        var identityURL: String?
        var sealedAPIKey: String?
        var clientID: String?
        var sealedClientSecret: String?
        /// Sealed access token, sealed refresh token, expiry, granted scopes.
        var tokens: (access: String, refresh: String?, expiresAt: Date, scopes: [String])?
        var secretLast4: String
        var requestedScopes: [String]
        var readOnly: Bool
        var account: String?
        var status: PagerDutyConnection.Status
        var statusDetail: String?
    }

    /// Replaces the stored connection in one transaction, with its audit event.
    private func store(_ credentials: Credentials, actor: String, action: @escaping @Sendable (PagerDutyConnection?) -> String) async throws -> PagerDutyConnection {
        try await db.transaction { db in
            let existing = try await PagerDutyConnection.current(on: db)
            let before = existing.map(Self.describe)
            let connection = existing ?? PagerDutyConnection()
            connection.provider = PagerDutyConnection.pagerDuty
            connection.method = credentials.method
            connection.region = credentials.region.rawValue
            connection.baseURL = credentials.baseURL
            connection.identityURL = credentials.identityURL
            connection.sealedAPIKey = credentials.sealedAPIKey
            connection.clientID = credentials.clientID
            connection.sealedClientSecret = credentials.sealedClientSecret
            connection.sealedAccessToken = credentials.tokens?.access
            connection.sealedRefreshToken = credentials.tokens?.refresh
            connection.tokenExpiresAt = credentials.tokens?.expiresAt
            connection.secretLast4 = credentials.secretLast4
            connection.scopes = (credentials.tokens?.scopes ?? []).joined(separator: " ")
            connection.requestedScopes = credentials.requestedScopes.joined(separator: " ")
            connection.readOnly = credentials.readOnly
            connection.account = credentials.account ?? existing?.account
            connection.status = credentials.status
            connection.statusDetail = credentials.statusDetail
            connection.connectedAt = Date()
            connection.connectedBy = actor
            connection.lastSuccessAt = Date()
            connection.tokenVersion = (existing?.tokenVersion ?? 0) + 1
            try await connection.save(on: db)
            try await AuditEvent.record(on: db, actor: actor, action: action(existing), target: "integration:pagerduty",
                                        before: before, after: Self.describe(connection))
            return connection
        }
    }

    // MARK: Disconnect

    /// Removes the stored credentials. Returns false when nothing was connected.
    @discardableResult
    func disconnect(actor: String) async throws -> Bool {
        try await db.transaction { db in
            guard let connection = try await PagerDutyConnection.current(on: db) else { return false }
            let before = Self.describe(connection)
            try await connection.delete(on: db)
            try await PagerDutyRotationSync.revertAll(on: db, actor: actor)
            try await AuditEvent.record(on: db, actor: actor, action: "pagerduty.disconnected", target: "integration:pagerduty", before: before, after: "disconnected")
            return true
        }
    }

    // MARK: Using the connection

    /// A client on the stored connection, or nil when disconnected. OAuth tokens refresh
    /// themselves; every rotated token is sealed and saved before it is used.
    func client() async throws -> PagerDutyClient? {
        guard let connection = try await PagerDutyConnection.current(on: db) else { return nil }
        // A connection stored before the policy allowed less: its credential stays here.
        let policy = app.outboundPolicy
        guard policy.allowsStoredAPIBase(connection.baseURL, vendor: .pagerDutyAPI),
              connection.method == .apiKey || policy.allowsStoredAPIBase(connection.identityURL ?? PagerDutyRegion.us.identityBaseURL, vendor: .pagerDutyIdentity)
        else {
            throw Failure(message: "The stored PagerDuty address \(connection.baseURL) is not one of PagerDuty's; connect again with PagerDuty's own host.",
                          status: .conflict, code: "host_not_allowed")
        }
        switch connection.method {
        case .apiKey:
            guard let sealed = connection.sealedAPIKey else { return nil }
            return makeClient(credential: .apiKey(try app.secretBox.open(sealed)), baseURL: connection.baseURL, quick: false)
        case .oauth:
            return makeClient(credential: .oauth(try tokenProvider(for: connection)), baseURL: connection.baseURL, quick: false)
        }
    }

    func tokenProvider(for connection: PagerDutyConnection) throws -> OAuthTokenProvider {
        guard let clientID = connection.clientID, let sealedSecret = connection.sealedClientSecret, let sealedAccess = connection.sealedAccessToken else {
            throw Failure(message: "The stored OAuth connection is incomplete; use Refresh Connection.", status: .conflict, code: "needs_reconnection")
        }
        let box = app.secretBox
        let tokens = OAuthTokens(accessToken: try box.open(sealedAccess), refreshToken: try connection.sealedRefreshToken.map { try box.open($0) },
                                 expiresAt: connection.tokenExpiresAt ?? Date(), scopes: connection.grantedScopes)
        let oauthApp = OAuthApp(clientID: clientID, clientSecret: try box.open(sealedSecret), identityBaseURL: connection.identityURL ?? PagerDutyRegion.us.identityBaseURL)
        let db = self.db
        let connectionID = try connection.requireID()
        return OAuthTokenProvider(tokens: tokens, app: oauthApp, transport: app.pagerDutyTransport, refreshMargin: 300) { fresh in
            // Persist the rotated pair atomically before the new access token is used.
            try await db.transaction { db in
                guard let row = try await PagerDutyConnection.find(connectionID, on: db) else { return }
                row.sealedAccessToken = try box.seal(fresh.accessToken)
                if let refresh = fresh.refreshToken { row.sealedRefreshToken = try box.seal(refresh) }
                row.tokenExpiresAt = fresh.expiresAt
                if !fresh.scopes.isEmpty { row.scopes = fresh.scopes.joined(separator: " ") }
                row.tokenVersion += 1
                try await row.save(on: db)
            }
        }
    }

    /// Records how a call on the stored connection went, so the card can say so.
    func record(_ outcome: Result<Void, any Error>) async {
        guard let connection = try? await PagerDutyConnection.current(on: db) else { return }
        switch outcome {
        case .success:
            connection.lastSuccessAt = Date()
            if connection.status == .keyRejected || connection.status == .needsReconnection { connection.status = .active; connection.statusDetail = nil }
        case .failure(PagerDutyError.unauthorized):
            connection.status = connection.method == .apiKey ? .keyRejected : .needsReconnection
            connection.statusDetail = connection.method == .apiKey ? "Key rejected by PagerDuty" : "Needs reconnection"
        case .failure(PagerDutyError.oauth(let error, _)) where error == "invalid_grant" || error == "invalid_client":
            // The refresh token (or the app itself) is no longer accepted: only a new login helps.
            connection.status = .needsReconnection
            connection.statusDetail = error == "invalid_grant"
                ? "Needs reconnection: PagerDuty rejected the refresh token"
                : "Needs reconnection: PagerDuty no longer accepts the OAuth app's credentials"
        case .failure:
            return
        }
        try? await connection.save(on: db)
    }

    /// Schedules in PagerDuty whose name matches, for binding rotations.
    func schedules(matching query: String?) async throws -> [PDSchedule] {
        guard let client = try await client() else {
            throw Failure(message: "PagerDuty is not connected. Connect it under Settings → Integrations.", status: .conflict, code: "not_connected")
        }
        do {
            let found = try await client.schedules(query: query).collect()
            await record(.success(()))
            return found
        } catch {
            await record(.failure(error))
            if let error = error as? PagerDutyError { throw Self.explain(error, baseURL: client.configuration.baseURL, method: nil) }
            throw error
        }
    }

    // MARK: Helpers

    func makeClient(credential: PagerDutyCredential, baseURL: String, quick: Bool) -> PagerDutyClient {
        var configuration = PagerDutyClientConfiguration(baseURL: baseURL)
        if quick {
            // Validation answers a person waiting on a form: one try, soon over.
            configuration.maxAttempts = 1
            configuration.timeout = 10
        }
        return PagerDutyClient(credential: credential, configuration: configuration, transport: app.pagerDutyTransport, logger: app.logger)
    }

    static func explain(_ error: PagerDutyError, baseURL: String, method: PagerDutyConnection.Method?) -> Failure {
        switch error {
        case .unauthorized:
            return Failure(message: method == .apiKey
                ? "PagerDuty rejected this API key (401). Check it was copied whole, and that the region matches the account: EU accounts need the EU region."
                : "PagerDuty rejected the credentials (401). Reconnect PagerDuty.")
        case .forbidden(_, let scopes):
            return Failure(message: scopes.isEmpty
                ? "PagerDuty refused access (403): the credential cannot read users and schedules."
                : "PagerDuty refused access (403): missing scopes \(scopes.joined(separator: ", ")).")
        case .transport:
            // The same words whatever happened below HTTP: what answered is not for the form to say.
            return Failure(message: "Could not reach PagerDuty at \(baseURL). Check the API base URL and the network.", status: .badGateway, code: "pagerduty_unreachable")
        case .rateLimited:
            return Failure(message: "PagerDuty's rate limit is exhausted for this credential; try again in a minute.", status: .tooManyRequests, code: "rate_limited")
        default:
            return Failure(message: error.description, status: .badGateway, code: "pagerduty_error")
        }
    }

    /// A base URL the outbound policy allows credentials to be sent to; nil keeps the region's.
    private func checkedHost(_ raw: String?, field: String, vendor: OutboundTargetPolicy.Vendor) throws -> String? {
        do {
            return try app.outboundPolicy.apiBaseURL(raw, field: field, vendor: vendor)
        } catch let error as AppError {
            throw Failure(message: error.message, code: error.code)
        }
    }

    static func hash(_ state: String) -> String {
        SHA256.hash(data: Data(state.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// What the audit log shows of a connection: never a secret, only its last four characters.
    static func describe(_ connection: PagerDutyConnection) -> String {
        let secret = connection.method == .apiKey ? "key …\(connection.secretLast4)" : "OAuth client …\(connection.secretLast4)"
        return "\(connection.method == .apiKey ? "API key" : "OAuth"), \(secret), \(connection.region.uppercased()), \(connection.baseURL)\(connection.readOnly ? ", read-only" : "")"
    }
}

extension Application {
    private struct TransportKey: StorageKey { typealias Value = any HTTPTransport }

    /// How the app reaches PagerDuty: the live HTTP transport unless a test substitutes one.
    var pagerDutyTransport: any HTTPTransport {
        get { storage[TransportKey.self] ?? AsyncHTTPClientTransport() }
        set { storage[TransportKey.self] = newValue }
    }

    var pagerDuty: PagerDutyIntegration { PagerDutyIntegration(app: self) }
}
