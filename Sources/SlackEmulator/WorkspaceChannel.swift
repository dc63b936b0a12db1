import EmulatorSupport
import Foundation

/// A channel (public or private), or a direct-message conversation.
struct WorkspaceChannel: Sendable {
    var id: String
    var name: String
    var isPrivate: Bool
    var isIM = false
    var isArchived = false
    var created: Int
    var creator: String
    var members: Set<String>
    var topic = ""
    var topicCreator = ""
    var topicLastSet = 0
    var messages: [WorkspaceMessage] = []

    func json(for caller: String) -> JSON {
        if isIM {
            let other = members.first { $0 != caller } ?? caller
            return ["id": .string(id), "created": .int(created), "is_im": true, "is_org_shared": false,
                    "user": .string(other), "priority": 0, "is_open": true]
        }
        return [
            "id": .string(id), "name": .string(name), "name_normalized": .string(name), "created": .int(created),
            "creator": .string(creator), "is_archived": .bool(isArchived), "is_channel": .bool(!isPrivate),
            "is_general": false, "is_mpim": false, "is_group": .bool(isPrivate), "is_org_shared": false, "is_im": false,
            "is_shared": false, "is_private": .bool(isPrivate), "is_member": .bool(members.contains(caller)),
            "num_members": .int(members.count),
            "topic": ["value": .string(topic), "creator": .string(topicCreator), "last_set": .int(topicLastSet)],
            "purpose": ["value": "", "creator": "", "last_set": 0],
        ]
    }
}
