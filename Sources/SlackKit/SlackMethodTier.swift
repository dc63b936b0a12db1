import Foundation

/// Slack's published rate-limit tier for each method the product calls: how fast the
/// client sends, so it rarely meets a 429.
public enum SlackMethodTier: Sendable {
    case tier2, tier3, tier4, special, perChannel

    public var perMinute: Double {
        switch self {
        case .tier2: 20
        case .tier3: 50
        case .tier4: 100
        case .special: 600
        case .perChannel: 60
        }
    }

    public static func of(_ method: String) -> SlackMethodTier {
        switch method {
        case "users.list", "usergroups.list", "usergroups.create", "usergroups.users.list", "usergroups.users.update",
             "usergroups.disable", "usergroups.enable", "conversations.setTopic":
            .tier2
        case "users.lookupByEmail", "conversations.info", "conversations.open", "conversations.history": .tier3
        case "conversations.members": .tier4
        case "chat.postMessage": .perChannel
        default: .special
        }
    }
}
