import Crypto
import Fluent
import Foundation
import PagerDutyKit

/// Connecting, checking and disconnecting PagerDuty: the one place the dashboard, the JSON
/// API and background jobs go through. Secrets are sealed before they touch the database.
struct PagerDutyConnector {
    let db: any Database
    let clock: any AppClock
    let secrets: SecretBox
    let clients: PagerDutyClients
    let policy: OutboundTargetPolicy
    let attempts: OAuthAttempts
    /// What else a disconnect changes, in its transaction (rotations that followed PagerDuty).
    let onDisconnect: @Sendable (any Database, String, Date) async throws -> Void

    static let rotationScopes = PagerDutyOAuth.rotationScopes
    static let provisioningScopes = ["users.write", "teams.write"]
    static let callbackPath = "/api/integrations/pagerduty/login/callback"

    func summary() async throws -> PagerDutyConnectionSummary {
        guard let connection = try await PagerDutyConnection.current(on: db) else { return .disconnected }
        var summary = PagerDutyConnectionSummary(connection)
        if let client = try? await clients.client(for: .report) {
            let usage = await client.requestsInLastMinute()
            summary.requests_last_minute = usage.total
            summary.request_limit = 960
            summary.requests_by_purpose = usage.byPurpose
        }
        return summary
    }

    /// Validates the key against PagerDuty (it must read users and schedules) and only then
    /// stores it. Whether it may write is probed without changing anything.
    @discardableResult
    func connect(apiKey rawKey: String, region: PagerDutyRegion, baseURL rawBaseURL: String?, actor: String) async throws -> PagerDutyConnection {
        let key = rawKey.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (8...200).contains(key.count), !key.contains(" ") else {
            throw AppError(.invalid, code: "invalid_field", "api_key: paste the whole API key from PagerDuty (Integrations → API Access Keys)")
        }
        let baseURL = try policy.apiBaseURL(rawBaseURL, field: "base_url", vendor: .pagerDutyAPI) ?? region.apiBaseURL
        let client = clients.make(credential: .apiKey(key), baseURL: baseURL, quick: true)
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
            let failure = PagerDutyClients.explain(error, baseURL: baseURL, method: .apiKey)
            throw AppError(failure.kind == .upstream ? .invalid : failure.kind, code: failure.code, failure.message)
        }
        return try await store(
            Credentials(method: .apiKey, region: region, baseURL: baseURL, identityURL: nil, sealedAPIKey: try secrets.seal(key),
                        clientID: nil, sealedClientSecret: nil, tokens: nil, secretLast4: SecretBox.last4(key), requestedScopes: [],
                        readOnly: readOnly, account: account, status: .active, statusDetail: nil),
            actor: actor, action: { existing in existing?.method == .apiKey ? .pagerDutyKeyChanged : .pagerDutyConnected })
    }

    /// Removes the stored credentials (and reverts what followed them). False when nothing was connected.
    @discardableResult
    func disconnect(actor: String) async throws -> Bool {
        let now = clock.now()
        return try await db.transaction { db in
            guard let connection = try await PagerDutyConnection.current(on: db) else { return false }
            let before = Self.describe(connection)
            try await connection.delete(on: db)
            try await onDisconnect(db, actor, now)
            try await AuditEvent.record(on: db, at: now, actor: actor, .pagerDutyDisconnected, .integration("pagerduty"), before: before, after: "disconnected")
            return true
        }
    }

    /// Schedules in PagerDuty whose name matches, for binding rotations.
    func schedules(matching query: String?) async throws -> [PDSchedule] {
        guard let client = try await clients.client(for: .report) else {
            throw AppError(.conflict, code: "not_connected", "PagerDuty is not connected. Connect it under Settings → Integrations.")
        }
        do {
            let found = try await client.schedules(query: query).collect()
            await clients.record(.success(()))
            return found
        } catch {
            await clients.record(.failure(error))
            if let error = error as? PagerDutyError { throw PagerDutyClients.explain(error, baseURL: client.configuration.baseURL, method: nil) }
            throw error
        }
    }

    // MARK: Storing

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
    func store(_ credentials: Credentials, actor: String, action: @escaping @Sendable (PagerDutyConnection?) -> AuditAction) async throws -> PagerDutyConnection {
        let now = clock.now()
        return try await db.transaction { db in
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
            connection.connectedAt = now
            connection.connectedBy = actor
            connection.lastSuccessAt = now
            connection.tokenVersion = (existing?.tokenVersion ?? 0) + 1
            try await connection.save(on: db)
            try await AuditEvent.record(on: db, at: now, actor: actor, action(existing), .integration("pagerduty"), before: before, after: Self.describe(connection))
            return connection
        }
    }

    /// What the audit log shows of a connection: never a secret, only its last four characters.
    static func describe(_ connection: PagerDutyConnection) -> String {
        let secret = connection.method == .apiKey ? "key …\(connection.secretLast4)" : "OAuth client …\(connection.secretLast4)"
        return "\(connection.method == .apiKey ? "API key" : "OAuth"), \(secret), \(connection.region.uppercased()), \(connection.baseURL)\(connection.readOnly ? ", read-only" : "")"
    }
}
