import ShiftbridgeCore

extension AuditAction {
    /// The event for a planned change PagerDuty took.
    static func applied(_ action: ProvisioningPlanner.Action) -> AuditAction {
        switch action {
        case .create: .provisioningCreated
        case .rehire: .provisioningRehired
        case .update, .skip, .noChange: .provisioningUpdated
        case .delete: .provisioningDeleted
        }
    }

    /// The event for a planned change PagerDuty refused.
    static func failed(_ action: ProvisioningPlanner.Action) -> AuditAction {
        switch action {
        case .create: .provisioningCreateFailed
        case .rehire: .provisioningRehireFailed
        case .update, .skip, .noChange: .provisioningUpdateFailed
        case .delete: .provisioningDeleteFailed
        }
    }
}
