import Foundation
@testable import Shiftbridge
import SlackEmulator
import Vapor

/// A Slack emulator on loopback with Ann, Ben and Cat (Dev has no Slack account), a
/// `#platform` channel, and the app connected to it with a bot token and a signing secret.
struct SlackFixture {
    let server: SlackEmulatorServer
    let channel: String
    let ids: [String: String]
    let signingSecret = "8f742231b10e8888abcd99yyyzzz85a5".replacingOccurrences(of: "y", with: "0").replacingOccurrences(of: "z", with: "1")

    var workspace: SlackWorkspace { server.workspace }

    static func start() async throws -> SlackFixture {
        let server = try await SlackEmulatorServer.start(port: 0, seed: .empty)
        var ids: [String: String] = [:]
        for (name, email) in [("Ann", "ann@example.com"), ("Ben", "ben@example.com"), ("Cat", "cat@example.com")] {
            ids[email] = server.workspace.addUser(name: name, email: email)
        }
        // Make the bot user exist before the channel, so the channel invites it.
        let token = server.workspace.createToken(kind: "bot", scopes: SlackWorkspace.productScopes)!
        let channel = server.workspace.addChannel(name: "platform")
        return SlackFixture(server: server, channel: channel, ids: ids, botToken: token)
    }

    let botToken: String

    init(server: SlackEmulatorServer, channel: String, ids: [String: String], botToken: String) {
        self.server = server
        self.channel = channel
        self.ids = ids
        self.botToken = botToken
    }

    /// Runs `body` with a fresh workspace, shut down afterwards whatever happens.
    static func with(_ body: (SlackFixture) async throws -> Void) async throws {
        let slack = try await start()
        do { try await body(slack) } catch {
            await slack.shutdown()
            throw error
        }
        await slack.shutdown()
    }

    /// Connects the app (`PUT /api/v1/integrations/slack/token`).
    func connect(_ api: APIClient, userToken: String? = nil) async throws -> APIClient.Reply {
        var body: [String: Any] = ["bot_token": botToken, "base_url": server.apiBaseURL, "signing_secret": signingSecret]
        if let userToken { body["user_token"] = userToken }
        return try await api.call(.PUT, "/api/v1/integrations/slack/token", body)
    }

    func id(_ email: String) -> String { ids[email]! }

    func shutdown() async { await server.shutdown() }
}
