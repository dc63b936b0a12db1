import EmulatorSupport
import Foundation

extension WebAPI {
    static let chat: [WebMethod] = [
        WebMethod("chat.postMessage", .perChannel, scope: "chat:write") { storage, call throws(SlackError) in
            var channel = try visibleChannel(storage, call)
            let text = call.arguments["text"] ?? ""
            guard !text.isEmpty || call["blocks"] != nil else { throw SlackError("no_text") }
            guard text.count <= 40_000 else { throw SlackError("msg_too_long") }
            guard !channel.isArchived else { throw SlackError("is_archived") }
            let mayPostUnjoined = !channel.isPrivate && (call.token?.scopes.contains("chat:write.public") ?? false)
            guard channel.members.contains(call.caller) || mayPostUnjoined else { throw SlackError("not_in_channel") }
            let message = WorkspaceMessage(ts: storage.nextTimestamp(), user: call.caller, botID: call.token?.botID, text: text)
            channel.messages.append(message)
            storage.channels[channel.id] = channel
            return ok(["channel": .string(channel.id), "ts": .string(message.ts), "message": message.json])
        },
    ]
}
