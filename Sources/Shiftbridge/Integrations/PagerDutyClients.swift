import Fluent
import Foundation
import Logging
import PagerDutyKit

/// Clients on the stored PagerDuty connection, for everything that reads or writes PagerDuty
/// (sync, provisioning, the External group), and how each call went, for the card to show.
struct PagerDutyClients {
    let db: any Database
    let clock: any AppClock
    let secrets: SecretBox
    let transport: any HTTPTransport
    let policy: OutboundTargetPolicy
    let providers: OAuthProviderCache
    let logger: Logger

    /// A client on the stored connection, or nil when disconnected. OAuth tokens refresh
    /// themselves; every rotated token is sealed and saved before it is used.
    func client(for priority: RequestPriority = .sync) async throws -> PagerDutyClient? {
        guard let connection = try await PagerDutyConnection.current(on: db) else { return nil }
        // A connection stored when the policy allowed more: its credential stays here.
        guard policy.allowsStoredAPIBase(connection.baseURL, vendor: .pagerDutyAPI),
              connection.method == .apiKey || policy.allowsStoredAPIBase(connection.identityURL ?? PagerDutyRegion.us.identityBaseURL, vendor: .pagerDutyIdentity)
        else {
            throw AppError(.conflict, code: "host_not_allowed",
                           "The stored PagerDuty address \(connection.baseURL) is not one of PagerDuty's; connect again with PagerDuty's own host.")
        }
        switch connection.method {
        case .apiKey:
            guard let sealed = connection.sealedAPIKey else { return nil }
            return make(credential: .apiKey(try secrets.open(sealed)), baseURL: connection.baseURL, quick: false, priority: priority)
        case .oauth:
            return make(credential: .oauth(try tokenProvider(for: connection)), baseURL: connection.baseURL, quick: false, priority: priority)
        }
    }

    /// The connection's token provider: one per stored grant in this process.
    func tokenProvider(for connection: PagerDutyConnection) throws -> OAuthTokenProvider {
        guard let clientID = connection.clientID, let sealedSecret = connection.sealedClientSecret, let sealedAccess = connection.sealedAccessToken else {
            throw AppError(.conflict, code: "needs_reconnection", "The stored OAuth connection is incomplete; use Refresh Connection.")
        }
        let connectionID = try connection.requireID()
        let db = self.db, secrets = self.secrets, clock = self.clock
        return try providers.provider(for: "\(connectionID)-\(connection.tokenVersion)") {
            let tokens = OAuthTokens(accessToken: try secrets.open(sealedAccess), refreshToken: try connection.sealedRefreshToken.map { try secrets.open($0) },
                                     expiresAt: connection.tokenExpiresAt ?? clock.now(), scopes: connection.grantedScopes)
            let app = OAuthApp(clientID: clientID, clientSecret: try secrets.open(sealedSecret),
                               identityBaseURL: connection.identityURL ?? PagerDutyRegion.us.identityBaseURL)
            return OAuthTokenProvider(tokens: tokens, app: app, transport: transport, refreshMargin: 300, now: { clock.now() }) { fresh in
                // Persist the rotated pair atomically before the new access token is used; the new
                // version tells other instances (and later callers here) to read it.
                try await db.transaction { db in
                    guard let row = try await PagerDutyConnection.find(connectionID, on: db) else { return }
                    row.sealedAccessToken = try secrets.seal(fresh.accessToken)
                    if let refresh = fresh.refreshToken { row.sealedRefreshToken = try secrets.seal(refresh) }
                    row.tokenExpiresAt = fresh.expiresAt
                    if !fresh.scopes.isEmpty { row.scopes = fresh.scopes.joined(separator: " ") }
                    row.tokenVersion += 1
                    try await row.save(on: db)
                }
            }
        }
    }

    func make(credential: PagerDutyCredential, baseURL: String, quick: Bool, priority: RequestPriority = .report) -> PagerDutyClient {
        var configuration = PagerDutyClientConfiguration(baseURL: baseURL)
        configuration.priority = priority
        // The dashboard's reads (a GET never writes) count only in this instance's budget.
        if priority != .report { configuration.ledger = DatabaseRequestLedger(db: db) }
        // Background reads retry once within a pass; beyond that the pass backs off as a whole
        // (`ChangeFeed.recordOutage`), so an outage costs fewer requests than a healthy minute.
        if priority == .handoff || priority == .sync { configuration.maxAttempts = 2 }
        if quick {
            // Validation answers a person waiting on a form: one try, soon over.
            configuration.maxAttempts = 1
            configuration.timeout = 10
        }
        return PagerDutyClient(credential: credential, configuration: configuration, transport: transport, logger: logger)
    }

    /// Records how a call on the stored connection went, so the card can say so.
    func record(_ outcome: Result<Void, any Error>) async {
        guard let connection = try? await PagerDutyConnection.current(on: db) else { return }
        switch outcome {
        case .success:
            connection.lastSuccessAt = clock.now()
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

    /// A PagerDuty failure as a person can act on it.
    static func explain(_ error: PagerDutyError, baseURL: String, method: PagerDutyConnection.Method?) -> AppError {
        switch error {
        case .unauthorized:
            return AppError(.invalid, code: "pagerduty_rejected", method == .apiKey
                ? "PagerDuty rejected this API key (401). Check it was copied whole, and that the region matches the account: EU accounts need the EU region."
                : "PagerDuty rejected the credentials (401). Reconnect PagerDuty.")
        case .forbidden(_, let scopes):
            return AppError(.invalid, code: "pagerduty_rejected", scopes.isEmpty
                ? "PagerDuty refused access (403): the credential cannot read users and schedules."
                : "PagerDuty refused access (403): missing scopes \(scopes.joined(separator: ", ")).")
        case .transport:
            // The same words whatever happened below HTTP: what answered is not for the form to say.
            return AppError(.upstream, code: "pagerduty_unreachable", "Could not reach PagerDuty at \(baseURL). Check the API base URL and the network.")
        case .rateLimited:
            return AppError(.rateLimited, code: "rate_limited", "PagerDuty's rate limit is exhausted for this credential; try again in a minute.")
        default:
            return AppError(.upstream, code: "pagerduty_error", error.description)
        }
    }
}
