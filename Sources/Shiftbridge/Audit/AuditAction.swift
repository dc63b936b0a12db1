import Foundation

/// Everything the audit log records, by name.
enum AuditAction: String, Codable, Sendable, CaseIterable {
    case adminCreated = "admin.created"
    case apiTokenCreated = "api_token.created"
    case apiTokenRevoked = "api_token.revoked"
    case userInvited = "user.invited"
    case userInvitationRevoked = "user.invitation_revoked"
    case userJoined = "user.joined"
    case userRoleChanged = "user.role_changed"
    case userRemoved = "user.removed"
    case personCreated = "person.created"
    case rotationCreated = "rotation.created"
    case rotationUpdated = "rotation.updated"
    case rotationDeleted = "rotation.deleted"
    case rotationScheduleChanged = "rotation.schedule_changed"
    case rotationHandoff = "rotation.handoff"
    case rotationRotated = "rotation.rotated"
    case rotationSetOnDuty = "rotation.set_on_duty"
    case rotationCalendarIssued = "rotation.calendar_issued"
    case rotationCalendarRevoked = "rotation.calendar_revoked"
    case rotationIncomingWebhookIssued = "rotation.incoming_webhook_issued"
    case rotationIncomingWebhookRevoked = "rotation.incoming_webhook_revoked"
    case webhookCreated = "webhook.created"
    case webhookDeleted = "webhook.deleted"
    case pagerDutyConnected = "pagerduty.connected"
    case pagerDutyKeyChanged = "pagerduty.api_key_changed"
    case pagerDutyReconnected = "pagerduty.reconnected"
    case pagerDutyDisconnected = "pagerduty.disconnected"
    case slackConnected = "slack.connected"
    case slackTokenChanged = "slack.token_changed"
    case slackDisconnected = "slack.disconnected"
    case slackOutputsSaved = "slack.outputs_saved"
    case provisioningSettingsSaved = "provisioning.settings_saved"
    case provisioningRulesSaved = "provisioning.rules_saved"
    case provisioningImported = "provisioning.imported"
    case provisioningDryRun = "provisioning.dry_run"
    case provisioningRunPlanned = "provisioning.run_planned"
    case provisioningApproved = "provisioning.approved"
    case provisioningRejected = "provisioning.rejected"
    case provisioningCreated = "provisioning.create"
    case provisioningRehired = "provisioning.rehire"
    case provisioningUpdated = "provisioning.update"
    case provisioningDeleted = "provisioning.delete"
    case provisioningCreateFailed = "provisioning.create_failed"
    case provisioningRehireFailed = "provisioning.rehire_failed"
    case provisioningUpdateFailed = "provisioning.update_failed"
    case provisioningDeleteFailed = "provisioning.delete_failed"

    /// In words, for the rotation page's history and the audit log.
    var title: String {
        switch self {
        case .rotationHandoff: "Handoff"
        case .rotationRotated: "Rotated by hand"
        case .rotationSetOnDuty: "Put on duty"
        case .rotationScheduleChanged: "Schedule changed"
        case .rotationCreated: "Created"
        case .rotationUpdated: "Edited"
        default: rawValue.split(separator: ".").last.map { $0.replacingOccurrences(of: "_", with: " ").capitalized } ?? rawValue
        }
    }
}
