import Foundation

/// Where one planned change stands.
public enum ProvisioningItemState: String, Codable, Sendable, CaseIterable {
    case planned
    case pendingApproval = "pending_approval"
    case approved, rejected, applying, done, failed, blocked, skipped
    case noChange = "no_change"

    /// Waiting for, or under, a request.
    public var isOpen: Bool { self == .approved || self == .applying }
    /// Nothing more will happen to it.
    public var isFinished: Bool { [.done, .failed, .blocked, .rejected, .skipped, .noChange].contains(self) }

    /// Where a freshly planned item starts: skipped and unchanged ones need nothing; protected
    /// users and deletions PagerDuty would refuse are blocked; a dry run only plans; held
    /// items and supervised runs wait for approval; the rest is approved to apply.
    public static func initial(for item: ProvisioningPlanner.Item, blockers: [String], dryRun: Bool, mode: ProvisioningSettings.Mode) -> ProvisioningItemState {
        switch item.action {
        case .skip: return .skipped
        case .noChange: return .noChange
        case .create, .rehire, .update, .delete:
            if item.protected { return .blocked }
            if item.action == .delete && !blockers.isEmpty { return .blocked }
            if dryRun { return .planned }
            if item.held || mode == .supervised { return .pendingApproval }
            return .approved
        }
    }
}
