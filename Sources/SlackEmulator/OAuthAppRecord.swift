import Foundation

/// A Slack app registered for OAuth v2 installs.
struct OAuthAppRecord: Sendable {
    var appID: String
    var clientID: String
    var clientSecret: String
    var signingSecret: String
    var redirectURI: String
    var tokenRotation: Bool
}

/// A code handed to the browser after consent, exchanged once by `oauth.v2.access`.
struct OAuthCode: Sendable {
    var clientID: String
    var redirectURI: String
    var scopes: [String]
    var userScopes: [String]
    var expiresAt: Date
}

/// A refresh token (token rotation): each one is used once.
struct RefreshRecord: Sendable {
    var clientID: String
    var kind: TokenRecord.Kind
    var scopes: [String]
    var userID: String
}
