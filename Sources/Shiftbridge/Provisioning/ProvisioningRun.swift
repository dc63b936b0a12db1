import Fluent
import Foundation
import ShiftbridgeCore

/// One provisioning run: a plan, then (unless a dry run) its application.
final class ProvisioningRun: Model, @unchecked Sendable {
    static let schema = "provisioning_runs"

    @ID(key: .id) var id: UUID?
    @Enum(key: "status") var status: ProvisioningRunStatus
    @Field(key: "dry_run") var dryRun: Bool
    @Enum(key: "mode") var mode: ProvisioningSettings.Mode
    @Field(key: "created_by") var createdBy: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "finished_at") var finishedAt: Date?
    @OptionalField(key: "error") var error: String?
    @Field(key: "terminations_held") var terminationsHeld: Bool
    /// The PagerDuty user creates are made on behalf of (PagerDuty's `From` header).
    @OptionalField(key: "from_email") var fromEmail: String?

    init() {}

    init(dryRun: Bool, mode: ProvisioningSettings.Mode, createdBy: String, at now: Date, terminationsHeld: Bool, fromEmail: String?) {
        status = .planned
        self.dryRun = dryRun
        self.mode = mode
        self.createdBy = createdBy
        createdAt = now
        self.terminationsHeld = terminationsHeld
        self.fromEmail = fromEmail
    }

    /// Still to apply, or waiting for a decision: a second run would plan the same changes again.
    var isOpen: Bool { !dryRun && (status == .running || status == .pendingApproval) }
}
