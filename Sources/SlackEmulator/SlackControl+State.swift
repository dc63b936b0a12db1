import EmulatorSupport
import Foundation

extension SlackControl {
    /// Groups with members, channels with topics and message counts: what a test reads back.
    static func state(_ storage: SlackWorkspace.Storage) -> [String: JSON] {
        let groups = storage.groupOrder.compactMap { storage.groups[$0] }.map { group -> JSON in
            ["id": .string(group.id), "handle": .string(group.handle), "name": .string(group.name), "users": .array(group.users.map(JSON.string)),
             "enabled": .bool(group.isEnabled), "member_updates": .int(group.memberUpdates)]
        }
        let channels = storage.channels.values.filter { !$0.isIM }.sorted { $0.name < $1.name }.map { channel -> JSON in
            ["id": .string(channel.id), "name": .string(channel.name), "topic": .string(channel.topic), "messages": .int(channel.messages.count)]
        }
        let directMessages = storage.channels.values.filter(\.isIM).flatMap { channel in
            channel.messages.map { message -> JSON in
                ["to": .string(channel.members.first { $0 != message.user } ?? ""), "text": .string(message.text), "ts": .string(message.ts)]
            }
        }
        return ["usergroups": .array(groups), "channels": .array(channels), "direct_messages": .array(directMessages)]
    }
}
