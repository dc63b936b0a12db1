import Foundation

/// A code handed to the browser after consent, exchanged once by `oauth.v2.access`.
struct OAuthCode: Sendable {
    var clientID: String
    var redirectURI: String
    var scopes: [String]
    var userScopes: [String]
    var expiresAt: Date
}
