import Foundation

/// An issued token: a bot token (`xoxb-`) acting as the app's bot user, or a user token
/// (`xoxp-`) acting as a person, with the scopes granted at install.
struct TokenRecord: Sendable {
    enum Kind: String, Sendable { case bot, user }
    var kind: Kind
    var scopes: Set<String>
    var userID: String
    var appID: String
    var botID: String?
    var revoked = false
    /// With token rotation on, tokens expire (12 h) and a refresh token renews them.
    var expiresAt: Date?
}
