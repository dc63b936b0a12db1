import Fluent
import Foundation

/// The one Slack workspace Shiftbridge posts to. Every token and secret is sealed.
final class SlackConnection: Model, @unchecked Sendable {
    static let schema = "slack_connections"

    enum Method: String, Codable, Sendable { case token, oauth }
    enum Status: String, Codable, Sendable {
        case active
        /// Slack refused the token (revoked, or the app uninstalled): reconnect.
        case tokenRevoked = "token_revoked"
    }

    @ID(key: .id) var id: UUID?
    @Enum(key: "method") var method: Method
    @Field(key: "team_id") var teamID: String
    @Field(key: "team_name") var teamName: String
    @Field(key: "bot_user_id") var botUserID: String
    @Field(key: "base_url") var baseURL: String
    @Field(key: "sealed_bot_token") var sealedBotToken: String
    @Field(key: "bot_token_last4") var botTokenLast4: String
    @OptionalField(key: "sealed_user_token") var sealedUserToken: String?
    @OptionalField(key: "user_token_last4") var userTokenLast4: String?
    @OptionalField(key: "sealed_signing_secret") var sealedSigningSecret: String?
    @OptionalField(key: "signing_secret_last4") var signingSecretLast4: String?
    @Field(key: "scopes") var scopes: String
    @OptionalField(key: "client_id") var clientID: String?
    @OptionalField(key: "sealed_client_secret") var sealedClientSecret: String?
    @OptionalField(key: "sealed_refresh_token") var sealedRefreshToken: String?
    @OptionalField(key: "sealed_user_refresh_token") var sealedUserRefreshToken: String?
    @OptionalField(key: "token_expires_at") var tokenExpiresAt: Date?
    @Enum(key: "status") var status: Status
    /// Slack answered `permission_denied` to a group edit with the bot token.
    @Field(key: "group_edits_denied") var groupEditsDenied: Bool
    /// Slack answered `plan_upgrade_required`: the workspace has no user groups.
    @Field(key: "free_plan") var freePlan: Bool
    @Field(key: "connected_at") var connectedAt: Date
    @Field(key: "connected_by") var connectedBy: String
    @OptionalField(key: "members_read_at") var membersReadAt: Date?
    @OptionalField(key: "members_error") var membersError: String?

    init() {}

    var grantedScopes: Set<String> { Set(scopes.split(separator: " ").map(String.init)) }

    /// What an admin must fix, in words.
    var problems: [String] {
        var problems: [String] = []
        if status == .tokenRevoked { problems.append("Token revoked") }
        let missing = SlackConnector.requiredScopes.filter { !grantedScopes.contains($0) }
        if !missing.isEmpty { problems.append("Missing scopes: \(missing.joined(separator: ", "))") }
        if freePlan { problems.append("User groups need a paid Slack plan") }
        if groupEditsDenied && sealedUserToken == nil { problems.append("Only admins may edit user groups: add a user token") }
        if let membersError { problems.append("Members could not be read: \(membersError)") }
        return problems
    }

    static func current(on db: any Database) async throws -> SlackConnection? {
        try await SlackConnection.query(on: db).first()
    }
}
