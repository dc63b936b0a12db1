import Plot
import Vapor

/// The pages under Settings, in tab order.
enum SettingsTab: String, CaseIterable, Sendable {
    case integrations, webhooks, scim, users, tokens, preferences

    var title: String {
        switch self {
        case .integrations: "Integrations"
        case .webhooks: "Webhooks"
        case .scim: "SCIM"
        case .users: "Users"
        case .tokens: "API tokens"
        case .preferences: "Preferences"
        }
    }

    var path: String { "/settings/\(rawValue)" }
    var adminOnly: Bool { self != .tokens && self != .preferences }

    /// Where Settings opens: the first tab this viewer may use.
    static func first(isAdmin: Bool) -> SettingsTab { isAdmin ? .integrations : .tokens }
}
