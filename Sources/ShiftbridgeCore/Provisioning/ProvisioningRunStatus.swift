import Foundation

/// Where a provisioning run stands, from its items.
public enum ProvisioningRunStatus: String, Codable, Sendable, CaseIterable {
    case planned
    case pendingApproval = "pending_approval"
    case running, completed, failed

    /// The status a run's items give it: a dry run stays planned; anything still to apply
    /// makes it running; anything waiting, pending approval; otherwise it is complete.
    public static func from(_ states: some Sequence<ProvisioningItemState>, dryRun: Bool) -> ProvisioningRunStatus {
        guard !dryRun else { return .planned }
        let present = Set(states)
        if present.contains(.approved) || present.contains(.applying) { return .running }
        if present.contains(.pendingApproval) { return .pendingApproval }
        return .completed
    }
}
