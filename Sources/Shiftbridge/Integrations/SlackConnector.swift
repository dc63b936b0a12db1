import Fluent
import Foundation
import SlackKit

/// Connecting, checking and disconnecting Slack. Tokens are checked with `auth.test` and
/// their scopes before anything is stored, then sealed.
struct SlackConnector {
    let db: any Database
    let clock: any AppClock
    let secrets: SecretBox
    let clients: SlackClients
    let policy: OutboundTargetPolicy
    let directory: SlackDirectory
    let attempts: OAuthAttempts

    /// What the product asks for at install. The `*:history` scopes let a message whose
    /// answer was lost be looked for before it is posted again.
    static let requiredScopes = ["usergroups:read", "usergroups:write", "users:read", "users:read.email", "channels:read", "groups:read",
                                 "channels:manage", "groups:write", "chat:write", "chat:write.public", "im:write", "commands",
                                 "channels:history", "groups:history", "im:history"]

    func summary() async throws -> SlackConnectionSummary {
        guard let connection = try await SlackConnection.current(on: db) else { return .disconnected }
        return SlackConnectionSummary(connection, members: try await SlackMember.query(on: db).count())
    }

    struct TokenInput {
        var botToken: String
        var userToken: String?
        var baseURL: String?
        var signingSecret: String?
    }

    /// Checks the tokens and stores them, then reads the workspace's members. A user token
    /// must belong to the same workspace.
    @discardableResult
    func connect(_ input: TokenInput, actor: String) async throws -> SlackConnectionSummary {
        let botToken = try Self.token(input.botToken, field: "bot_token", prefix: "xoxb-")
        let userToken = try input.userToken.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
            .map { try Self.token($0, field: "user_token", prefix: "xoxp-") }
        let signingSecret = try Self.signingSecret(input.signingSecret)
        let baseURL = try policy.apiBaseURL(input.baseURL, field: "base_url", vendor: .slackAPI).map { $0.hasSuffix("/") ? $0 : $0 + "/" }
            ?? SlackClientConfiguration.defaultBaseURL
        let identity = try await check(botToken, field: "bot_token", baseURL: baseURL)
        if let userToken {
            let user = try await check(userToken, field: "user_token", baseURL: baseURL)
            guard user.teamID == identity.teamID else {
                throw AppError.invalidField("user_token", "belongs to another workspace (\(user.team)); use a token from \(identity.team)")
            }
        }
        return try await store(Stored(identity: identity, botToken: botToken, userToken: userToken, signingSecret: signingSecret, baseURL: baseURL),
                               actor: actor)
    }

    /// What a connection is stored from, checked.
    struct Stored {
        var method = SlackConnection.Method.token
        let identity: SlackIdentity
        let botToken: String
        let userToken: String?
        let signingSecret: String?
        let baseURL: String
        var clientID: String? = nil
        var clientSecret: String? = nil
        var refreshToken: String? = nil
        var userRefreshToken: String? = nil
        var expiresAt: Date? = nil
    }

    /// Seals and saves the credentials in one transaction, marks every group and topic to be
    /// checked with them, then reads the workspace's members.
    func store(_ stored: Stored, actor: String) async throws -> SlackConnectionSummary {
        let now = clock.now()
        let identity = stored.identity
        try await db.transaction { db in
            let existing = try await SlackConnection.current(on: db)
            let connection = existing ?? SlackConnection()
            connection.method = stored.method
            connection.teamID = identity.teamID
            connection.teamName = identity.team
            connection.botUserID = identity.userID
            connection.baseURL = stored.baseURL
            connection.sealedBotToken = try secrets.seal(stored.botToken)
            connection.botTokenLast4 = SecretBox.last4(stored.botToken)
            connection.sealedUserToken = try stored.userToken.map(secrets.seal)
            connection.userTokenLast4 = stored.userToken.map(SecretBox.last4)
            if let signingSecret = stored.signingSecret {
                connection.sealedSigningSecret = try secrets.seal(signingSecret)
                connection.signingSecretLast4 = SecretBox.last4(signingSecret)
            }
            connection.scopes = identity.scopes.sorted().joined(separator: " ")
            connection.clientID = stored.clientID
            connection.sealedClientSecret = try stored.clientSecret.map(secrets.seal)
            connection.sealedRefreshToken = try stored.refreshToken.map(secrets.seal)
            connection.sealedUserRefreshToken = try stored.userRefreshToken.map(secrets.seal)
            connection.tokenExpiresAt = stored.expiresAt
            connection.status = .active
            connection.groupEditsDenied = false
            connection.freePlan = false
            connection.connectedAt = now
            connection.connectedBy = actor
            try await connection.save(on: db)
            try await AuditEvent.record(on: db, at: now, actor: actor, existing == nil ? .slackConnected : .slackTokenChanged, .integration("slack"),
                                        before: existing.map { "\($0.teamName), bot token …\($0.botTokenLast4)" },
                                        after: "\(identity.team), bot token …\(SecretBox.last4(stored.botToken))"
                                            + (stored.userToken.map { ", user token …\(SecretBox.last4($0))" } ?? ""))
            // Every group and topic is checked again with the new credentials.
            try await SlackTarget.markAllDirty(at: now, on: db)
        }
        _ = await directory.refresh()
        return try await summary()
    }

    /// Checks the stored tokens again and reads the members: the card's Refresh.
    func refresh() async throws -> SlackConnectionSummary {
        guard let pair = try await clients.clients() else {
            guard try await SlackConnection.current(on: db) != nil else {
                throw AppError(.conflict, code: "not_connected", "Slack is not connected. Connect it under Settings → Integrations.")
            }
            return try await summary()
        }
        do {
            let identity = try await pair.bot.authTest()
            pair.connection.scopes = identity.scopes.sorted().joined(separator: " ")
            try await pair.connection.save(on: db)
        } catch let error as SlackAPIError where error.isAuthenticationFailure {
            pair.connection.status = .tokenRevoked
            try await pair.connection.save(on: db)
            return try await summary()
        }
        _ = await directory.refresh()
        return try await summary()
    }

    @discardableResult
    func disconnect(actor: String) async throws -> Bool {
        let now = clock.now()
        return try await db.transaction { db in
            guard let connection = try await SlackConnection.current(on: db) else { return false }
            try await connection.delete(on: db)
            try await SlackMember.query(on: db).delete()
            try await AuditEvent.record(on: db, at: now, actor: actor, .slackDisconnected, .integration("slack"),
                                        before: "\(connection.teamName), bot token …\(connection.botTokenLast4)", after: "disconnected")
            return true
        }
    }

    func check(_ token: String, field: String, baseURL: String) async throws -> SlackIdentity {
        do {
            return try await clients.make(token: token, baseURL: baseURL, team: nil, quick: true).authTest()
        } catch let error as SlackAPIError {
            switch error {
            case .api(_, let code, _, _) where error.isAuthenticationFailure:
                throw AppError.invalidField(field, "Slack refused this token (\(code)); copy it again from the app's OAuth & Permissions page")
            case .transport, .server, .malformedResponse, .rateLimited:
                throw AppError(.invalid, code: "slack_unreachable", "\(field): Slack at \(baseURL) could not be reached to check the token: \(error)")
            case .api(_, let code, _, _):
                throw AppError.invalidField(field, "Slack answered \(code) when checking the token")
            }
        }
    }

    static func token(_ raw: String, field: String, prefix: String) throws -> String {
        let token = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard token.hasPrefix(prefix), (prefix.count + 8...300).contains(token.count), !token.contains(" ") else {
            throw AppError.invalidField(field, "paste the whole \(prefix == "xoxb-" ? "bot" : "user") token; it starts with \(prefix)")
        }
        return token
    }
}
