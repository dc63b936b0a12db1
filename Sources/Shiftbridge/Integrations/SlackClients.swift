import Fluent
import Foundation
import HTTPTransport
import Logging
import SlackKit

/// Clients on the stored Slack connection: the bot's, and the one that edits user groups
/// (an admin's user token when one was given, else the bot's).
struct SlackClients {
    let db: any Database
    let secrets: SecretBox
    let transport: any HTTPTransport
    let policy: OutboundTargetPolicy
    let logger: Logger

    struct Pair {
        let connection: SlackConnection
        let bot: SlackClient
        let groupEditor: SlackClient
        let usesUserToken: Bool
    }

    /// Nil when Slack is not connected (or its token was revoked).
    func clients() async throws -> Pair? {
        guard let connection = try await SlackConnection.current(on: db), connection.status == .active else { return nil }
        guard policy.allowsStoredAPIBase(connection.baseURL, vendor: .slackAPI) else {
            throw AppError(.conflict, code: "host_not_allowed", "The stored Slack address \(connection.baseURL) is not Slack's; connect again.")
        }
        let bot = make(token: try secrets.open(connection.sealedBotToken), baseURL: connection.baseURL, team: connection.teamID)
        let user = try connection.sealedUserToken.map { make(token: try secrets.open($0), baseURL: connection.baseURL, team: connection.teamID) }
        return Pair(connection: connection, bot: bot, groupEditor: user ?? bot, usesUserToken: user != nil)
    }

    /// A client; clients of one workspace share a pacer, whichever token they hold, as
    /// Slack counts per app and workspace, and every instance on the database shares the
    /// workspace's allowance of each method.
    func make(token: String?, baseURL: String, team: String?, quick: Bool = false) -> SlackClient {
        var configuration = SlackClientConfiguration(baseURL: baseURL)
        if let team {
            configuration.ledger = DatabaseRequestLedger(db: db)
            configuration.ledgerKey = "slack|" + team
        }
        // A job tries again on its next pass; a call need not try long within one.
        configuration.maxAttempts = 3
        if quick {
            configuration.maxAttempts = 2
            configuration.timeout = 10
            configuration.maxRetryAfter = 5
        }
        return SlackClient(token: token, configuration: configuration, transport: transport,
                           pacer: team.map { SlackPacer.shared(for: baseURL + "|" + $0) }, logger: logger)
    }
}
