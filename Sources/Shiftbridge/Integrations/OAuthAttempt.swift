import Fluent
import Foundation

/// An OAuth authorization in progress: single-use, bound to the admin who started it (and to
/// their browser session when started from the dashboard), valid for ten minutes.
final class OAuthAttempt: Model, @unchecked Sendable {
    static let schema = "oauth_attempts"
    static let lifetime: TimeInterval = 600

    /// SHA-256 of the `state` parameter; the state itself is never stored.
    @ID(custom: "state_hash", generatedBy: .user) var id: String?
    @Parent(key: "user_id") var user: User
    @OptionalField(key: "session_nonce") var sessionNonce: String?
    /// The sealed JSON of `Payload`: verifier, client secret, where to go.
    @Field(key: "sealed_payload") var sealedPayload: String
    @Field(key: "expires_at") var expiresAt: Date

    init() {}

    /// What an attempt was started for (kept in its sealed payload).
    enum Purpose: String, Codable, Sendable {
        case pagerDutyConnect = "connect", pagerDutyRefresh = "refresh", slackInstall = "slack"
    }

    struct Payload: Codable {
        var verifier: String
        var clientID: String
        var clientSecret: String
        var region: String
        var baseURL: String?
        var identityURL: String
        var redirectURI: String
        var requestedScopes: [String]
        var purpose: Purpose
        /// Slack installs: the app's signing secret, for slash commands.
        var signingSecret: String? = nil
    }
}
