import Foundation
import Vapor

/// The Slack connection as the card and `GET /api/v1/integrations/slack` show it: never a
/// secret, only last four characters.
struct SlackConnectionSummary: Content, Equatable {
    var status: String
    var method: String?
    var team: String?
    var team_id: String?
    var token_last4: String?
    var user_token_last4: String?
    var signing_secret_last4: String?
    var base_url: String?
    var scopes: [String]?
    var problems: [String]
    var connected_at: Date?
    var connected_by: String?
    var members_read_at: Date?
    var members: Int?

    static let disconnected = SlackConnectionSummary(status: "disconnected", problems: [])

    init(status: String, problems: [String]) {
        self.status = status
        self.problems = problems
    }

    init(_ connection: SlackConnection, members: Int) {
        status = connection.status == .tokenRevoked ? "token_revoked" : (connection.problems.isEmpty ? "active" : "attention")
        method = connection.method.rawValue
        team = connection.teamName
        team_id = connection.teamID
        token_last4 = connection.botTokenLast4
        user_token_last4 = connection.userTokenLast4
        signing_secret_last4 = connection.signingSecretLast4
        base_url = connection.baseURL
        scopes = connection.grantedScopes.sorted()
        problems = connection.problems
        connected_at = connection.connectedAt
        connected_by = connection.connectedBy
        members_read_at = connection.membersReadAt
        self.members = members
    }
}
