import EmulatorSupport
import Foundation

/// A user group (Slack's "subteam"): `@handle`, its members, enabled or disabled.
struct WorkspaceGroup: Sendable {
    var id: String
    var name: String
    var handle: String
    var description = ""
    var users: [String] = []
    var created: Int
    var updated: Int
    /// Non-zero while disabled.
    var dateDelete = 0
    var createdBy: String
    var updatedBy: String
    var deletedBy: String?
    /// How many times the member list changed: members are notified each time.
    var memberUpdates = 0

    var isEnabled: Bool { dateDelete == 0 }

    func json(teamID: String, includeUsers: Bool) -> JSON {
        var group: [String: JSON] = [
            "id": .string(id), "team_id": .string(teamID), "is_usergroup": true, "is_subteam": true,
            "name": .string(name), "description": .string(description), "handle": .string(handle), "is_external": false,
            "date_create": .int(created), "date_update": .int(updated), "date_delete": .int(dateDelete),
            "auto_type": .null, "auto_provision": false, "enterprise_subteam_id": "",
            "created_by": .string(createdBy), "updated_by": .string(updatedBy), "deleted_by": deletedBy.map(JSON.string) ?? .null,
            "prefs": ["channels": [], "groups": []], "user_count": .int(users.count),
        ]
        if includeUsers { group["users"] = .array(users.map(JSON.string)) }
        return .object(group)
    }
}
