import Foundation

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
