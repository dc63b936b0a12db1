import Foundation

/// Who a token is: `auth.test`, with the scopes Slack says it holds.
public struct SlackIdentity: Sendable, Equatable {
    public let teamID: String
    public let team: String
    public let userID: String
    public let botID: String?
    public let scopes: Set<String>
}

public struct SlackUser: Sendable, Equatable, Decodable {
    public struct Profile: Sendable, Equatable, Decodable {
        public let email: String?
        public let real_name: String?
    }
    public let id: String
    public let name: String
    public let real_name: String?
    public let deleted: Bool?
    public let is_bot: Bool
    public let is_app_user: Bool?
    public let is_restricted: Bool?
    public let is_ultra_restricted: Bool?
    public let profile: Profile

    /// A full, active, human member: the only kind a user group may hold. Slackbot reports
    /// `is_bot: false`, so it is excluded by id.
    public var canJoinGroups: Bool {
        !(deleted ?? false) && !is_bot && !(is_app_user ?? false) && !(is_restricted ?? false) && !(is_ultra_restricted ?? false) && id != "USLACKBOT"
    }

    public var email: String? { profile.email }
}

public struct SlackUsergroup: Sendable, Equatable, Decodable {
    public let id: String
    public let name: String
    public let handle: String
    public let date_delete: Int?
    public let users: [String]?

    public var isEnabled: Bool { (date_delete ?? 0) == 0 }
}

public struct SlackChannel: Sendable, Equatable, Decodable {
    public struct Topic: Sendable, Equatable, Decodable {
        public let value: String
        public let creator: String?
    }
    public let id: String
    public let name: String?
    public let is_private: Bool?
    public let is_archived: Bool?
    public let is_member: Bool?
    public let topic: Topic?
}

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
