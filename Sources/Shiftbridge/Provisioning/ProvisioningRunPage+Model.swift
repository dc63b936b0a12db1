import Foundation
import ShiftbridgeCore

/// One run: its report, live progress, and its items with approve and reject.
enum ProvisioningRunPage {
    struct Item {
        let id: UUID
        let name: String
        let email: String
        let action: ProvisioningPlanner.Action
        let stage: ProvisioningSettings.Stage?
        let state: ProvisioningItemState
        let details: String
        let note: String?

        init(_ item: ProvisioningItem, id: UUID) {
            self.id = id
            name = item.name
            email = item.email
            action = item.action
            stage = item.stage
            state = item.state
            details = item.changeSummary
            note = item.blockers.map { "Blocked by \($0)" } ?? item.error ?? item.reason
        }
    }

    struct Model {
        let id: UUID
        let status: ProvisioningRunStatus
        let dryRun: Bool
        let mode: ProvisioningSettings.Mode
        let createdAt: Date
        let createdBy: String
        let report: ProvisioningReport
        let progress: ProvisioningReport.Progress
        let terminationsHeld: Bool
        let items: [Item]
        let filter: ProvisioningItemState?
    }
}
