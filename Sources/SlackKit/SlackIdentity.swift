import Foundation

/// Who a token is: `auth.test`, with the scopes Slack says it holds.
public struct SlackIdentity: Sendable, Equatable {
    public let teamID: String
    public let team: String
    public let userID: String
    public let botID: String?
    public let scopes: Set<String>
}
