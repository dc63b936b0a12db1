import Fluent
import Foundation
import PagerDutyKit
import Vapor

/// Connecting with OAuth 2.0: the authorize URL (the attempt sealed, single use, bound to the
/// admin and their browser session, for ten minutes), and the callback that completes it.
extension PagerDutyConnector {
    /// Starts the authorization: returns PagerDuty's authorize URL.
    func beginOAuth(clientID rawClientID: String, clientSecret rawSecret: String, region: PagerDutyRegion, baseURL rawBaseURL: String?,
                    identityURL rawIdentityURL: String?, redirectURI: String, user: User, sessionNonce: String?,
                    provisioning: Bool = false, purpose: OAuthAttempt.Purpose = .pagerDutyConnect) async throws -> String {
        let clientID = rawClientID.trimmingCharacters(in: .whitespacesAndNewlines)
        let secret = rawSecret.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !clientID.isEmpty, clientID.unicodeScalars.count <= 200 else {
            throw AppError.invalidField("client_id", "paste the Client ID PagerDuty showed when you registered the app")
        }
        guard !secret.isEmpty, secret.unicodeScalars.count <= 500 else {
            throw AppError.invalidField("client_secret", "paste the Client Secret PagerDuty showed when you registered the app")
        }
        let baseURL = try policy.apiBaseURL(rawBaseURL, field: "base_url", vendor: .pagerDutyAPI)
        let identityURL = try policy.apiBaseURL(rawIdentityURL, field: "identity_url", vendor: .pagerDutyIdentity) ?? region.identityBaseURL
        let oauthApp = OAuthApp(clientID: clientID, clientSecret: secret, identityBaseURL: identityURL)
        let pkce = PKCE.generate()
        // Least privilege: write scopes only when provisioning is wanted; audit records let
        // the sync follow changes instead of polling every schedule.
        let scopes = Self.rotationScopes + ["audit_records.read"] + (provisioning ? Self.provisioningScopes : [])
        let payload = OAuthAttempt.Payload(verifier: pkce.verifier, clientID: clientID, clientSecret: secret, region: region.rawValue, baseURL: baseURL,
                                           identityURL: identityURL, redirectURI: redirectURI, requestedScopes: scopes, purpose: purpose)
        let state = try await attempts.begin(payload, user: user, sessionNonce: sessionNonce)
        return PagerDutyOAuth.authorizeURL(app: oauthApp, redirectURI: redirectURI, scopes: scopes, state: state, pkce: pkce)
    }

    /// Runs the login flow again with the stored app credentials (Refresh Connection).
    func beginRefresh(redirectURI: String, user: User, sessionNonce: String?) async throws -> String {
        guard let connection = try await PagerDutyConnection.current(on: db), connection.method == .oauth,
              let clientID = connection.clientID, let sealed = connection.sealedClientSecret
        else { throw AppError(.conflict, code: "not_connected", "PagerDuty is not connected with OAuth; connect it first.") }
        return try await beginOAuth(clientID: clientID, clientSecret: try secrets.open(sealed),
                                    region: PagerDutyRegion(rawValue: connection.region) ?? .us, baseURL: connection.baseURL,
                                    identityURL: connection.identityURL, redirectURI: redirectURI, user: user, sessionNonce: sessionNonce,
                                    provisioning: connection.requestedScopes.contains("users.write"), purpose: .pagerDutyRefresh)
    }

    /// Completes the flow from the callback's query. Every failure leaves nothing stored.
    @discardableResult
    func completeOAuth(state: String?, code: String?, error: String?, user: User, sessionNonce: String?) async throws -> PagerDutyConnection {
        func refused(_ code: String, _ message: String) -> AppError { AppError(.invalid, code: code, message) }
        let payload = try await attempts.take(state: state, user: user, sessionNonce: sessionNonce, purposes: [.pagerDutyConnect, .pagerDutyRefresh],
                                              what: "PagerDuty sign-in")
        if let error {
            throw refused("access_denied", error == "access_denied"
                ? "PagerDuty access was denied, so nothing was connected. Approve the request to connect."
                : "PagerDuty did not authorize the connection (\(error.prefix(100))). Nothing was changed.")
        }
        guard let code, !code.isEmpty else { throw refused("invalid_request", "PagerDuty's answer had no authorization code. Start the connection again.") }
        let oauthApp = OAuthApp(clientID: payload.clientID, clientSecret: payload.clientSecret, identityBaseURL: payload.identityURL)
        let tokens: OAuthTokens
        do {
            tokens = try await PagerDutyOAuth.exchange(code: code, verifier: payload.verifier, redirectURI: payload.redirectURI, app: oauthApp,
                                                       transport: clients.transport)
        } catch PagerDutyError.oauth(let error, let description) where error == "invalid_grant" {
            throw refused("invalid_grant", "PagerDuty refused the authorization code: it expired or was already used (\(description)). Start the connection again.")
        } catch PagerDutyError.oauth(let error, _) where error == "invalid_client" {
            throw refused("invalid_client", "PagerDuty did not accept the client ID and secret. Check both in PagerDuty's App Registration.")
        } catch let error as PagerDutyError {
            throw PagerDutyClients.explain(error, baseURL: payload.identityURL, method: .oauth)
        }
        let region = tokens.idToken.flatMap(PagerDutyOAuth.region(ofIDToken:)) ?? PagerDutyRegion(rawValue: payload.region) ?? .us
        let baseURL = payload.baseURL ?? region.apiBaseURL
        let missing = PagerDutyOAuth.missingScopes(requested: payload.requestedScopes, granted: tokens.scopes)
        let needed = PagerDutyOAuth.missingScopes(requested: Self.rotationScopes, granted: tokens.scopes)
        // The account's subdomain, when a user's page URL shows it; not worth failing over.
        let clock = self.clock
        let lookup = OAuthTokenProvider(tokens: tokens, app: oauthApp, transport: clients.transport, now: { clock.now() }, onRotate: { _ in })
        var users = clients.make(credential: .oauth(lookup), baseURL: baseURL, quick: true).users(pageSize: 1).makeAsyncIterator()
        let account = (try? await users.next())??.accountSubdomain
        return try await store(
            Credentials(method: .oauth, region: region, baseURL: baseURL, identityURL: payload.identityURL, sealedAPIKey: nil,
                        clientID: payload.clientID, sealedClientSecret: try secrets.seal(payload.clientSecret),
                        tokens: (try secrets.seal(tokens.accessToken), try tokens.refreshToken.map { try secrets.seal($0) }, tokens.expiresAt, tokens.scopes),
                        secretLast4: SecretBox.last4(payload.clientID), requestedScopes: payload.requestedScopes,
                        readOnly: !tokens.scopes.contains("users.write"), account: account,
                        status: needed.isEmpty ? .active : .missingScopes,
                        statusDetail: missing.isEmpty ? nil : "Missing scopes: \(missing.joined(separator: ", "))"),
            actor: user.email, action: { _ in payload.purpose == .pagerDutyRefresh ? .pagerDutyReconnected : .pagerDutyConnected })
    }
}
