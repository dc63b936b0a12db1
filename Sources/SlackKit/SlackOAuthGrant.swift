import Foundation

/// What `oauth.v2.access` grants: the bot token, and the installer's user token when user
/// scopes were asked; with token rotation, each expires and has a refresh token.
public struct SlackOAuthGrant: Sendable, Equatable, Decodable {
    public struct Team: Sendable, Equatable, Decodable {
        public let id: String
        public let name: String?
    }
    public struct AuthedUser: Sendable, Equatable, Decodable {
        public let id: String
        public let scope: String?
        public let access_token: String?
        public let refresh_token: String?
        public let expires_in: Int?
    }
    public let access_token: String
    public let scope: String?
    public let bot_user_id: String?
    public let refresh_token: String?
    public let expires_in: Int?
    public let team: Team?
    public let authed_user: AuthedUser?
}
