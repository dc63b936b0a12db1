import EmulatorSupport
import Foundation

struct WorkspaceMessage: Sendable {
    var ts: String
    var user: String
    var botID: String?
    var text: String

    var json: JSON {
        var message: [String: JSON] = ["type": "message", "text": .string(text), "ts": .string(ts), "user": .string(user)]
        if let botID { message["bot_id"] = .string(botID) }
        return .object(message)
    }
}
