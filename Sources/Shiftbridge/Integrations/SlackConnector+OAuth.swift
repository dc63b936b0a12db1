import Fluent
import Foundation
import SlackKit
import Vapor

/// Installing with OAuth v2: Slack's consent page, then the callback exchanges the code.
/// The attempt is sealed, single use, bound to the admin and their browser session, for ten
/// minutes, as PagerDuty's is. With token rotation on, tokens are renewed before they expire.
extension SlackConnector {
    static let callbackPath = "/api/integrations/slack/login/callback"
    /// A user token (of the admin installing) edits groups where only admins may.
    static let userScopes = ["usergroups:read", "usergroups:write"]

    func beginOAuth(clientID rawClientID: String, clientSecret rawSecret: String, signingSecret rawSigning: String?, baseURL rawBaseURL: String?,
                    withUserToken: Bool, redirectURI: String, user: User, sessionNonce: String?) async throws -> String {
        let clientID = rawClientID.trimmingCharacters(in: .whitespacesAndNewlines)
        let secret = rawSecret.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !clientID.isEmpty, clientID.count <= 100, clientID.allSatisfy({ $0.isNumber || $0 == "." }) else {
            throw AppError.invalidField("client_id", "paste the Client ID from the app's Basic Information page (digits and a dot)")
        }
        guard (8...200).contains(secret.count), !secret.contains(" ") else {
            throw AppError.invalidField("client_secret", "paste the Client Secret from the app's Basic Information page")
        }
        let signing = try Self.signingSecret(rawSigning)
        let baseURL = try policy.apiBaseURL(rawBaseURL, field: "base_url", vendor: .slackAPI).map { $0.hasSuffix("/") ? $0 : $0 + "/" }
            ?? SlackClientConfiguration.defaultBaseURL
        let userScopes = withUserToken ? Self.userScopes : []
        let payload = OAuthAttempt.Payload(verifier: "", clientID: clientID, clientSecret: secret, region: "slack", baseURL: baseURL,
                                           identityURL: Self.authorizeBase(baseURL), redirectURI: redirectURI, requestedScopes: userScopes,
                                           purpose: .slackInstall, signingSecret: signing)
        let state = try await attempts.begin(payload, user: user, sessionNonce: sessionNonce)
        var url = URLComponents(string: Self.authorizeBase(baseURL) + "oauth/v2/authorize")!
        url.queryItems = [URLQueryItem(name: "client_id", value: clientID), URLQueryItem(name: "scope", value: Self.requiredScopes.joined(separator: ",")),
                          URLQueryItem(name: "user_scope", value: userScopes.joined(separator: ",")), URLQueryItem(name: "redirect_uri", value: redirectURI),
                          URLQueryItem(name: "state", value: state)]
        return url.string!
    }

    /// Completes the install from the callback's query. Every failure leaves nothing stored.
    func completeOAuth(state: String?, code: String?, error: String?, user: User, sessionNonce: String?) async throws -> SlackConnectionSummary {
        func refused(_ code: String, _ message: String) -> AppError { AppError(.invalid, code: code, message) }
        let payload = try await attempts.take(state: state, user: user, sessionNonce: sessionNonce, purposes: [.slackInstall], what: "Slack install")
        if let error {
            throw refused("access_denied", error == "access_denied" ? "The Slack install was cancelled, so nothing was connected."
                : "Slack did not authorize the install (\(error.prefix(100))). Nothing was changed.")
        }
        guard let code, !code.isEmpty else { throw refused("invalid_request", "Slack's answer had no code. Start the install again.") }
        let baseURL = payload.baseURL ?? SlackClientConfiguration.defaultBaseURL
        let grant: SlackOAuthGrant
        do {
            grant = try await clients.make(token: nil, baseURL: baseURL, team: nil, quick: true)
                .exchangeCode(clientID: payload.clientID, clientSecret: payload.clientSecret, code: code, redirectURI: payload.redirectURI)
        } catch let error as SlackAPIError {
            throw refused(error.code ?? "slack_unreachable", "Slack did not accept the install (\(error)). Check the client ID and secret, and start again.")
        }
        let identity = try await check(grant.access_token, field: "bot_token", baseURL: baseURL)
        let expiresAt = grant.expires_in.map { clock.now().addingTimeInterval(TimeInterval($0)) }
        var stored = Stored(identity: identity, botToken: grant.access_token, userToken: grant.authed_user?.access_token,
                            signingSecret: payload.signingSecret, baseURL: baseURL)
        stored.method = .oauth
        stored.clientID = payload.clientID
        stored.clientSecret = payload.clientSecret
        stored.refreshToken = grant.refresh_token
        stored.userRefreshToken = grant.authed_user?.refresh_token
        stored.expiresAt = expiresAt
        return try await store(stored, actor: user.email)
    }

    /// Renews rotating tokens that expire within 30 minutes; each refresh token is used once.
    func renewTokensIfDue() async throws {
        guard let connection = try await SlackConnection.current(on: db), connection.method == .oauth, connection.status == .active,
              let expiresAt = connection.tokenExpiresAt, expiresAt.timeIntervalSince(clock.now()) < 1800,
              let clientID = connection.clientID, let sealedSecret = connection.sealedClientSecret, let sealedRefresh = connection.sealedRefreshToken
        else { return }
        let secret = try secrets.open(sealedSecret)
        let anonymous = clients.make(token: nil, baseURL: connection.baseURL, team: nil, quick: true)
        do {
            let bot = try await anonymous.refresh(clientID: clientID, clientSecret: secret, refreshToken: try secrets.open(sealedRefresh))
            connection.sealedBotToken = try secrets.seal(bot.access_token)
            connection.botTokenLast4 = SecretBox.last4(bot.access_token)
            connection.sealedRefreshToken = try bot.refresh_token.map(secrets.seal)
            connection.tokenExpiresAt = bot.expires_in.map { clock.now().addingTimeInterval(TimeInterval($0)) }
            if let sealedUserRefresh = connection.sealedUserRefreshToken {
                let user = try await anonymous.refresh(clientID: clientID, clientSecret: secret, refreshToken: try secrets.open(sealedUserRefresh))
                connection.sealedUserToken = try secrets.seal(user.access_token)
                connection.userTokenLast4 = SecretBox.last4(user.access_token)
                connection.sealedUserRefreshToken = try user.refresh_token.map(secrets.seal)
            }
        } catch let error as SlackAPIError where error.code == "invalid_refresh_token" || error.isAuthenticationFailure {
            connection.status = .tokenRevoked
        }
        try await connection.save(on: db)
    }

    /// `https://slack.com/api/` → `https://slack.com/`: where the consent page lives.
    static func authorizeBase(_ apiBase: String) -> String {
        apiBase.hasSuffix("api/") ? String(apiBase.dropLast(4)) : apiBase
    }

    static func signingSecret(_ raw: String?) throws -> String? {
        guard let trimmed = raw?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else { return nil }
        guard (16...128).contains(trimmed.count), trimmed.allSatisfy(\.isHexDigit) else {
            throw AppError.invalidField("signing_secret", "paste the app's Signing Secret (Basic Information → App Credentials)")
        }
        return trimmed
    }
}
