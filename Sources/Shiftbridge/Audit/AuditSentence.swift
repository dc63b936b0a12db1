import Foundation

/// An audit event in words, for the overview's recent activity: who did what to what, and
/// what it became, without JSON.
enum AuditSentence {
    static func describe(_ row: AuditLogPage.Row) -> String {
        let target = readable(row.target)
        let who = row.actor
        let change = changeText(row)
        switch AuditAction(rawValue: row.action) {
        case .rotationHandoff?: return "\(target) handed over\(change)"
        case .rotationRotated?: return "\(who) rotated \(target)\(change)"
        case .rotationSetOnDuty?: return "\(who) put someone on duty in \(target)\(change)"
        case .rotationCreated?: return "\(who) created \(target)"
        case .rotationUpdated?: return "\(who) edited \(target)"
        case .rotationDeleted?: return "\(who) deleted \(target)"
        case .rotationScheduleChanged?: return "\(who) changed the schedule of \(target)\(change)"
        case .slackOutputsSaved?: return "\(who) set where \(target) goes in Slack\(change)"
        case .personCreated?: return "\(who) added \(row.after ?? target) (\(target)) to People"
        case .adminCreated?: return "\(target) became an administrator"
        case .apiTokenCreated?: return "\(who) made an API token for \(target)"
        case .apiTokenRevoked?: return "\(who) revoked an API token of \(target)"
        case .webhookCreated?: return "\(who) added the webhook \(target)"
        case .webhookDeleted?: return "\(who) removed the webhook \(target)"
        case .pagerDutyConnected?, .slackConnected?: return "\(who) connected \(target)\(change)"
        case .pagerDutyDisconnected?, .slackDisconnected?: return "\(who) disconnected \(target)"
        case .provisioningImported?: return "\(who) imported HR data\(change)"
        case .provisioningRulesSaved?: return "\(who) saved the role rules"
        case .provisioningSettingsSaved?: return "\(who) saved the provisioning settings"
        case .provisioningApproved?: return "\(who) approved provisioning changes\(change)"
        case let action?: return "\(who): \(action.title.lowercased()) — \(target)\(change)"
        case nil: return "\(who): \(row.action) — \(target)"
        }
    }

    /// `rotation:HOOK` → `HOOK`; `person:ann@example.com` → `ann@example.com`.
    static func readable(_ target: String) -> String {
        guard let colon = target.firstIndex(of: ":") else { return target }
        let kind = target[..<colon]
        let value = String(target[target.index(after: colon)...])
        switch kind {
        case "rotation": return value
        case "integration": return value == "pagerduty" ? "PagerDuty" : value.capitalized
        case "provisioning-run": return "a provisioning run"
        default: return value
        }
    }

    private static func changeText(_ row: AuditLogPage.Row) -> String {
        switch (row.before, row.after) {
        case (let before?, let after?): return ": \(before) → \(after)"
        case (nil, let after?): return ": \(after)"
        default: return ""
        }
    }
}
