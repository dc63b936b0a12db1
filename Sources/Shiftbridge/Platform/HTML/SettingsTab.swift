import Plot
import Vapor

/// The pages under Settings, in tab order.
enum SettingsTab: String, CaseIterable, Sendable {
    case integrations, webhooks, users, tokens

    var title: String {
        switch self {
        case .integrations: "Integrations"
        case .webhooks: "Webhooks"
        case .users: "Users"
        case .tokens: "API tokens"
        }
    }

    var path: String { "/settings/\(rawValue)" }
    var adminOnly: Bool { self != .tokens }

    /// Where Settings opens: the first tab this viewer may use.
    static func first(isAdmin: Bool) -> SettingsTab { isAdmin ? .integrations : .tokens }
}
