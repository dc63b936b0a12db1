import EmulatorSupport
import Foundation

/// A member of the workspace: a person, a guest, a bot, or Slackbot.
struct WorkspaceUser: Sendable {
    var id: String
    var name: String
    var realName: String
    var email: String?
    var isBot = false
    var isAppUser = false
    var botID: String?
    /// A multi-channel guest.
    var isRestricted = false
    /// A single-channel guest.
    var isUltraRestricted = false
    var isAdmin = false
    var isOwner = false
    var deleted = false
    var updated: Int

    /// Slack's user object. `profile.email` only for callers with `users:read.email`.
    func json(teamID: String, withEmail: Bool) -> JSON {
        var profile: [String: JSON] = [
            "real_name": .string(realName), "real_name_normalized": .string(realName),
            "display_name": .string(name), "display_name_normalized": .string(name),
            "avatar_hash": "g0000000000", "title": "", "phone": "", "skype": "",
            "status_text": "", "status_emoji": "", "fields": .object([:]), "team": .string(teamID),
        ]
        if withEmail, let email { profile["email"] = .string(email) }
        if let botID { profile["bot_id"] = .string(botID) }
        return [
            "id": .string(id), "team_id": .string(teamID), "name": .string(name), "real_name": .string(realName),
            "deleted": .bool(deleted), "is_bot": .bool(isBot), "is_app_user": .bool(isAppUser),
            "is_restricted": .bool(isRestricted), "is_ultra_restricted": .bool(isUltraRestricted),
            "is_admin": .bool(isAdmin), "is_owner": .bool(isOwner), "is_primary_owner": .bool(isOwner),
            "tz": "Europe/London", "tz_label": "Greenwich Mean Time", "tz_offset": 0,
            "updated": .int(updated), "profile": .object(profile),
        ]
    }

    /// Who may be put in a user group: a full member, active, human.
    var canJoinGroups: Bool { !deleted && !isBot && !isRestricted && !isUltraRestricted && id != Self.slackbotID }

    static let slackbotID = "USLACKBOT"
}
