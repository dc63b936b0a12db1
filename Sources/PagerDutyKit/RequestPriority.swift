import Foundation

/// What a request is for, in the order one credential's budget serves them: reads a handoff
/// depends on first, then routine sync refreshes, then provisioning, then reports (the
/// dashboard's searches and previews).
public enum RequestPriority: Int, Sendable, Comparable, CaseIterable {
    case handoff, sync, provisioning, report

    public var label: String {
        switch self {
        case .handoff: "handoffs"
        case .sync: "sync"
        case .provisioning: "provisioning"
        case .report: "dashboard"
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}
