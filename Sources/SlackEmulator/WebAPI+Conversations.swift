import EmulatorSupport
import Foundation

extension WebAPI {
    static let conversations: [WebMethod] = [
        WebMethod("conversations.info", .tier3, scope: nil) { storage, call throws(SlackError) in
            let channel = try visibleChannel(storage, call)
            try call.requireScope(channel.isIM ? "im:read" : (channel.isPrivate ? "groups:read" : "channels:read"))
            return ok(["channel": channel.json(for: call.caller)])
        },
        WebMethod("conversations.setTopic", .tier2, scope: nil) { storage, call throws(SlackError) in
            var channel = try visibleChannel(storage, call)
            try call.requireScope(channel.isPrivate ? "groups:write" : "channels:manage")
            let topic = call.arguments["topic"] ?? ""
            guard topic.count <= 250 else { throw SlackError("too_long") }
            guard !channel.isArchived else { throw SlackError("is_archived") }
            guard channel.members.contains(call.caller) else { throw SlackError("not_in_channel") }
            channel.topic = topic
            channel.topicCreator = call.caller
            channel.topicLastSet = storage.nowSeconds
            storage.channels[channel.id] = channel
            return ok(["channel": channel.json(for: call.caller)])
        },
        // Members by cursor: public channels to anyone with channels:read, private ones and DMs
        // to their members only.
        WebMethod("conversations.members", .tier4, scope: nil) { storage, call throws(SlackError) in
            let channel = try visibleChannel(storage, call)
            try call.requireScope(channel.isIM ? "im:read" : (channel.isPrivate ? "groups:read" : "channels:read"))
            let members = channel.members.sorted()
            let start = try offset(from: call["cursor"])
            let limit = min(max(Int(call["limit"] ?? "100") ?? 100, 1), 1000)
            let end = min(members.count, start + limit)
            let next = end < members.count ? cursor(for: end) : ""
            return ok(["members": .array(members[min(start, end)..<end].map { .string($0) }), "response_metadata": ["next_cursor": .string(next)]])
        },
        // Messages newest first, after `oldest` (exclusive unless `inclusive`), up to `latest`:
        // a bot reads only conversations it is in, as Slack's `not_in_channel` says.
        WebMethod("conversations.history", .tier3, scope: nil) { storage, call throws(SlackError) in
            let channel = try visibleChannel(storage, call)
            try call.requireScope(channel.isIM ? "im:history" : (channel.isPrivate ? "groups:history" : "channels:history"))
            guard channel.members.contains(call.caller) else { throw SlackError("not_in_channel") }
            let oldest = Double(call["oldest"] ?? "0") ?? 0, latest = call["latest"].flatMap(Double.init) ?? .infinity
            let inclusive = call.bool("inclusive")
            let matching = channel.messages.reversed().filter { message in
                let ts = Double(message.ts) ?? 0
                return (inclusive ? ts >= oldest : ts > oldest) && (inclusive ? ts <= latest : ts < latest)
            }
            let start = try offset(from: call["cursor"])
            let limit = min(max(Int(call["limit"] ?? "100") ?? 100, 1), 999)
            let end = min(matching.count, start + limit)
            var answer: [String: JSON] = ["messages": .array(matching[min(start, end)..<end].map(\.json)), "has_more": .bool(end < matching.count),
                                          "pin_count": 0, "channel_actions_ts": .null, "channel_actions_count": 0]
            if end < matching.count { answer["response_metadata"] = ["next_cursor": .string(cursor(for: end))] }
            return ok(answer)
        },
        WebMethod("conversations.open", .tier3, scope: "im:write") { storage, call throws(SlackError) in
            let other = try call.require("users").split(separator: ",").map(String.init)
            guard other.count == 1 else { throw SlackError(other.isEmpty ? "users_list_not_supplied" : "too_many_users") }
            guard let user = storage.users[other[0]] else { throw SlackError("user_not_found") }
            guard !user.deleted else { throw SlackError("user_disabled") }
            let pair: Set<String> = [call.caller, user.id]
            if let existing = storage.channels.values.first(where: { $0.isIM && $0.members == pair }) {
                return ok(["channel": ["id": .string(existing.id)], "already_open": true, "no_op": true])
            }
            let id = storage.makeID("D")
            storage.channels[id] = WorkspaceChannel(id: id, name: "", isPrivate: true, isIM: true, created: storage.nowSeconds,
                                                    creator: call.caller, members: pair)
            return ok(["channel": ["id": .string(id)]])
        },
    ]

    /// A channel the caller may see: public ones always, private ones and DMs only as a member.
    static func visibleChannel(_ storage: SlackWorkspace.Storage, _ call: MethodCall) throws(SlackError) -> WorkspaceChannel {
        guard let channel = storage.channels[try call.require("channel")], !channel.isPrivate || channel.members.contains(call.caller) else {
            throw SlackError("channel_not_found")
        }
        return channel
    }
}
