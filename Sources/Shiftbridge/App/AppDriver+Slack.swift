import Fluent
import Foundation

extension AppDriver {
    /// Connects Slack with a bot token, as an administrator would under Settings → Integrations.
    package func connectSlack(botToken: String, baseURL: String, signingSecret: String?, actor: String) async throws {
        _ = try await services.slackConnector(db).connect(.init(botToken: botToken, userToken: nil, baseURL: baseURL, signingSecret: signingSecret), actor: actor)
    }

    /// Sets a rotation's Slack outputs as an administrator would (checked against Slack first).
    package func setSlackOutputs(code: String, onDutyUsergroup: String?, channel: String?, topicTemplate: String?, handoffMessageTemplate: String?,
                                 dmBeforeMinutes: Int? = nil, actor: String) async throws {
        guard let rotation = try await Rotation.query(on: db).filter(\.$code == code).first() else { throw AppError.notFound("Rotation \(code)") }
        let input = SlackOutputsInput(on_duty_usergroup: onDutyUsergroup, permanent_members: [], roster_usergroup: nil, channel: channel,
                                      topic_template: topicTemplate, handoff_message_template: handoffMessageTemplate, dm_before_minutes: dmBeforeMinutes)
        _ = try await services.slackOutputSettings(db).save(rotation, input, editor: .init(email: actor, isAdministrator: true))
    }
}

extension AppDriver {
    /// One pass of the Slack delivery job, as the runner makes it.
    package func runSlackDeliveryPass() async throws {
        try await services.slackDelivery(db).run()
    }
}
