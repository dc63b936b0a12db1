import Foundation

/// A message as `conversations.history` lists it: who posted it and what it says.
public struct SlackMessageRecord: Decodable, Sendable, Equatable {
    public let ts: String
    public let text: String?
    public let user: String?
    public let bot_id: String?

    public init(ts: String, text: String?, user: String?, bot_id: String?) {
        self.ts = ts
        self.text = text
        self.user = user
        self.bot_id = bot_id
    }
}
