import Foundation

/// Slack's rate-limit tiers: requests per minute, per method, per workspace, per app.
enum MethodTier: Sendable {
    case tier1, tier2, tier3, tier4
    /// Methods with their own limits (`auth.test`, `oauth.v2.access`): effectively unlimited here.
    case special
    /// `chat.postMessage`: about one a second per channel, short bursts allowed.
    case perChannel

    var perMinute: Int? {
        switch self {
        case .tier1: 1
        case .tier2: 20
        case .tier3: 50
        case .tier4: 100
        case .special: nil
        case .perChannel: 60
        }
    }
}
