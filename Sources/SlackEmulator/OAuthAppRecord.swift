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
