import Fluent
import Foundation

/// The account's one PagerDuty connection. Every secret in it is sealed by the SecretBox.
final class PagerDutyConnection: Model, @unchecked Sendable {
    static let schema = "pagerduty_connections"

    enum Method: String, Codable, Sendable { case apiKey = "api_key", oauth }

    enum Status: String, Codable, Sendable {
        case active
        /// The refresh token was rejected: an admin must run the OAuth flow again.
        case needsReconnection = "needs_reconnection"
        /// PagerDuty answered 401 to the stored API key.
        case keyRejected = "key_rejected"
        /// The OAuth grant lacks scopes we asked for.
        case missingScopes = "missing_scopes"
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "provider") var provider: String
    @Enum(key: "method") var method: Method
    @Field(key: "region") var region: String
    @Field(key: "base_url") var baseURL: String
    @OptionalField(key: "identity_url") var identityURL: String?
    @OptionalField(key: "sealed_api_key") var sealedAPIKey: String?
    @OptionalField(key: "client_id") var clientID: String?
    @OptionalField(key: "sealed_client_secret") var sealedClientSecret: String?
    @OptionalField(key: "sealed_access_token") var sealedAccessToken: String?
    @OptionalField(key: "sealed_refresh_token") var sealedRefreshToken: String?
    @OptionalField(key: "token_expires_at") var tokenExpiresAt: Date?
    /// The last four characters of the API key, or of the OAuth client id.
    @Field(key: "secret_last4") var secretLast4: String
    @Field(key: "scopes") var scopes: String
    @Field(key: "requested_scopes") var requestedScopes: String
    @Field(key: "read_only") var readOnly: Bool
    @OptionalField(key: "account") var account: String?
    @Enum(key: "status") var status: Status
    @OptionalField(key: "status_detail") var statusDetail: String?
    @Field(key: "connected_at") var connectedAt: Date
    @Field(key: "connected_by") var connectedBy: String
    @OptionalField(key: "last_success_at") var lastSuccessAt: Date?
    /// Bumped on every token rotation, so a stale writer cannot overwrite a newer token.
    @Field(key: "token_version") var tokenVersion: Int

    init() {}

    static let pagerDuty = "pagerduty"

    var grantedScopes: [String] { scopes.split(separator: " ").map(String.init) }
    var missingScopes: [String] {
        let granted = Set(grantedScopes)
        return requestedScopes.split(separator: " ").map(String.init).filter { !granted.contains($0) }
    }

    static func current(on db: any Database) async throws -> PagerDutyConnection? {
        try await PagerDutyConnection.query(on: db).filter(\.$provider == pagerDuty).first()
    }
}
