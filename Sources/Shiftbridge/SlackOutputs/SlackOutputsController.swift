import Foundation
import Vapor

/// The rotation page's Outputs form.
struct SlackOutputsController {
    struct OutputsForm: Content {
        var on_duty_usergroup: String?
        var permanent_members: String?
        var roster_usergroup: String?
        var channel: String?
        var topic_template: String?
        var handoff_message_template: String?
        var dm_before_minutes: String?
    }

    func boot(pages: any RoutesBuilder) {
        pages.post("rotations", ":rotation", "outputs", "slack", use: save)
    }

    func save(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let rotation = try await req.services.rotationDirectory(req.db).find(req.parameters.get("rotation") ?? "", for: user)
        let form = try req.content.decode(OutputsForm.self)
        do {
            try await req.services.rotationDirectory(req.db).requireEditor(rotation, user)
            guard form.dm_before_minutes?.nilIfEmpty.map({ Int($0) != nil }) ?? true else {
                throw AppError.invalidField("dm_before_minutes", "a number of minutes, or empty for none")
            }
            let input = SlackOutputsInput(
                on_duty_usergroup: form.on_duty_usergroup, permanent_members: (form.permanent_members ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                    .filter { !$0.isEmpty },
                roster_usergroup: form.roster_usergroup, channel: form.channel, topic_template: form.topic_template,
                handoff_message_template: form.handoff_message_template, dm_before_minutes: form.dm_before_minutes?.nilIfEmpty.flatMap { Int($0) })
            _ = try await req.services.slackOutputSettings(req.db).save(rotation, input, editor: .init(user))
            req.flash(.success, "Slack outputs saved. Slack follows within seconds.")
            return req.redirect(to: "/rotations/\(rotation.code)#slack-outputs")
        } catch let error as AppError {
            return try await RotationsController().render(req, error: error.message, status: error.kind.httpStatus)
        }
    }
}
