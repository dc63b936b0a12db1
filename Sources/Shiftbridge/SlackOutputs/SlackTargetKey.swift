import Foundation

/// Which Slack target a rotation's output feeds: a user group (by handle or id, as outputs
/// name it) or a channel's topic. Stored as one string (`SlackTarget.key`, unique), built and
/// read only here.
struct SlackTargetKey: Hashable, Sendable {
    let kind: SlackTarget.Kind
    /// The group's handle (lower case, no `@`) or id, or the channel id.
    let reference: String

    static func usergroup(_ reference: String) -> SlackTargetKey {
        SlackTargetKey(kind: .usergroup, reference: String(reference.lowercased().trimmingPrefix("@")))
    }

    static func topic(_ channel: String) -> SlackTargetKey { SlackTargetKey(kind: .topic, reference: channel) }

    /// The column's form.
    var stored: String { "\(kind.rawValue):\(reference)" }
}
