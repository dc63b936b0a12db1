import Plot
import Vapor

/// Sections of the dashboard, in navigation order.
enum Section: String, CaseIterable, Sendable {
    case rotations, people, provisioning, settings, audit

    var title: String {
        switch self {
        case .rotations: "Rotations"
        case .people: "People"
        case .provisioning: "Provisioning"
        case .settings: "Settings"
        case .audit: "Audit log"
        }
    }

    var path: String { "/\(rawValue)" }

    /// Sections only administrators see.
    var adminOnly: Bool { self == .provisioning }
}
