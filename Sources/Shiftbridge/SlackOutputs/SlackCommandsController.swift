import Foundation
import ShiftbridgeCore
import Vapor

/// `POST /slack/commands`: the `/oncall` slash command. Outside sessions and CSRF: Slack
/// signs each request instead, and an unsigned, mis-signed or stale one gets 401.
struct SlackCommandsController {
    struct Reply: Content {
        let response_type: String
        let text: String
    }

    func boot(open: any RoutesBuilder) {
        open.on(.POST, "slack", "commands", bodyCap: "64kb", use: command).publicAccess()
    }

    func command(req: Request) async throws -> Reply {
        let body = req.body.data.map { Data($0.readableBytesView) } ?? Data()
        let commands = req.services.slackCommands(req.db)
        try await commands.verify(timestamp: req.headers.first(name: "X-Slack-Request-Timestamp"),
                                  signature: req.headers.first(name: "X-Slack-Signature"), body: body)
        let fields = req.formFields
        do {
            let text = try await commands.answer(fields["text"] ?? "", slackUserID: fields["user_id"] ?? "")
            return Reply(response_type: "ephemeral", text: text)
        } catch let error as AppError {
            // Slack shows the answer to the person who typed it; an error is an answer too.
            return Reply(response_type: "ephemeral", text: ShiftbridgeCore.SlackTemplate.escape(error.message))
        }
    }
}
