import Foundation
import ShiftbridgeCore

/// One rotation: who is on duty, its members, upcoming shifts, history, and its schedule.
enum RotationPage {
    struct Model {
        let code: String
        let name: String
        let description: String?
        let schedule: RotationSchedule
        /// People may move it on (Rotate): not when PagerDuty decides who is on duty.
        let canRotate: Bool
        /// Its members are whoever PagerDuty names, not edited here.
        let membersFromPagerDuty: Bool
        let nextHandoff: Date?
        let onDuty: [(name: String, email: String)]
        let roster: [(name: String, email: String, linked: Bool, onDuty: Bool)]
        let shifts: [Shift]
        /// Email (or PagerDuty label) → name, for the shifts.
        let names: [String: String]
        let now: Date
        let owners: [String]
        let canEdit: Bool
        let error: String?
        let problem: String?
        let syncedAt: Date?
        let external: External?
        let history: [(at: Date, actor: String, action: AuditAction, before: String?, after: String?)]
        /// The Outputs section: nil when Slack is not connected and nothing was set.
        let slack: SlackOutputsDTO?
        let slackConnected: Bool
        /// For a rotation with several PagerDuty sources: who each has on call now.
        let sources: [(source: String, onCall: [String])]
    }

    /// The External (PagerDuty) group of the schedule editor; nil when PagerDuty is not connected.
    struct External {
        struct Found { let id: String; let name: String; let timeZone: String; let users: Int }
        struct Preview {
            let id: String
            let name: String
            let timeZone: String
            let layers: [(name: String, members: [String])]
            let shifts: [(start: Date, end: Date?, person: String)]
        }
        let query: String?
        let found: [Found]
        let preview: Preview?
        /// The previewed schedule together with those followed now: what "also follow" would hold.
        let combined: SourcesPreview?
        /// An escalation policy previewed before following it.
        let policy: (id: String, maxLevel: Int, preview: SourcesPreview)?
        let error: String?
    }
}
