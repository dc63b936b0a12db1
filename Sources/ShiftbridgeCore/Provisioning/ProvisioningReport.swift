import Foundation

/// A run's reconciliation report, and how far applying has come, tallied from its items.
public struct ProvisioningReport: Codable, Equatable, Sendable {
    public var total = 0
    public var skipped = 0
    public var noChange = 0
    /// Applied: created, updated or deleted.
    public var processed = 0
    public var created = 0
    public var updated = 0
    public var deleted = 0
    public var failed = 0
    public var blocked = 0
    public var pendingApproval = 0
    public var rejected = 0
    public var planned = 0

    public struct Progress: Codable, Equatable, Sendable {
        public var completed: Int
        public var total: Int
        public var percent: Int
    }

    enum CodingKeys: String, CodingKey {
        case total, skipped, noChange = "no_change", processed, created, updated, deleted, failed, blocked
        case pendingApproval = "pending_approval", rejected, planned
    }

    public init() {}

    public static func tally(_ items: some Sequence<(action: ProvisioningPlanner.Action, state: ProvisioningItemState)>) -> (ProvisioningReport, Progress) {
        var report = ProvisioningReport()
        for (action, state) in items {
            report.total += 1
            switch state {
            case .skipped: report.skipped += 1
            case .noChange: report.noChange += 1
            case .failed: report.failed += 1
            case .blocked: report.blocked += 1
            case .pendingApproval: report.pendingApproval += 1
            case .rejected: report.rejected += 1
            case .planned: report.planned += 1
            case .approved, .applying: break
            case .done:
                report.processed += 1
                switch action {
                case .create, .rehire: report.created += 1
                case .update: report.updated += 1
                case .delete: report.deleted += 1
                case .skip, .noChange: break
                }
            }
        }
        let actionable = report.total - report.skipped - report.noChange
        let finished = report.processed + report.failed + report.blocked + report.rejected
        return (report, Progress(completed: finished, total: actionable, percent: actionable == 0 ? 100 : finished * 100 / actionable))
    }
}
