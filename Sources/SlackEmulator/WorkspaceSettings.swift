import EmulatorSupport
import Foundation

/// Workspace-wide settings an admin controls in Slack.
struct WorkspaceSettings: Sendable {
    enum Editors: String, Sendable { case everyone, admins }
    enum Plan: String, Sendable { case free, standard }
    var usergroupEditors = Editors.everyone
    var plan = Plan.standard
    /// Slack counts per minute; tests may shorten the window to see recovery quickly.
    var rateWindowSeconds: Double = 60

    var json: JSON {
        ["usergroup_editors": .string(usergroupEditors.rawValue), "plan": .string(plan.rawValue), "rate_window_seconds": .double(rateWindowSeconds)]
    }
}
