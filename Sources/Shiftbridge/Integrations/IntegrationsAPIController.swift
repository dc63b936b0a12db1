import Fluent
import PagerDutyKit
import Vapor

/// `/api/v1/integrations/pagerduty` and `/api/v1/integrations/slack` (contract).
struct IntegrationsAPIController {
    func boot(api: any RoutesBuilder) {
        let pagerDuty = api.grouped("integrations", "pagerduty")
        pagerDuty.get(use: status)
        pagerDuty.put("api-key", use: putAPIKey)
        pagerDuty.post("oauth", use: oauth)
        pagerDuty.post("refresh", use: refresh)
        pagerDuty.delete(use: disconnect)
        pagerDuty.get("schedules", use: schedules)
        let slack = api.grouped("integrations", "slack")
        slack.get(use: slackStatus)
        slack.put("token", use: putSlackToken)
        slack.post("oauth", use: slackOAuth)
        slack.post("refresh", use: refreshSlack)
        slack.delete(use: disconnectSlack)
    }

    func slackStatus(req: Request) async throws -> SlackConnectionSummary {
        _ = try req.requireAdmin()
        return try await req.services.slackConnector(req.db).summary()
    }

    struct SlackTokenBody: Content {
        var bot_token: String
        var user_token: String?
        var base_url: String?
        var signing_secret: String?
    }

    func putSlackToken(req: Request) async throws -> SlackConnectionSummary {
        let user = try req.requireAdmin()
        let body = try req.content.decode(SlackTokenBody.self)
        return try await req.services.slackConnector(req.db).connect(
            .init(botToken: body.bot_token, userToken: body.user_token, baseURL: body.base_url, signingSecret: body.signing_secret), actor: user.email)
    }

    struct SlackOAuthBody: Content {
        var client_id: String
        var client_secret: String
        var signing_secret: String?
        var base_url: String?
        /// Also install as the admin (a user token), for workspaces where only admins edit groups.
        var user_token: Bool?
    }

    func slackOAuth(req: Request) async throws -> AuthorizeURL {
        let user = try req.requireAdmin()
        let body = try req.content.decode(SlackOAuthBody.self)
        let url = try await req.services.slackConnector(req.db).beginOAuth(
            clientID: body.client_id, clientSecret: body.client_secret, signingSecret: body.signing_secret, baseURL: body.base_url,
            withUserToken: body.user_token ?? false, redirectURI: try IntegrationsController.slackRedirectURI(req), user: user,
            sessionNonce: IntegrationsController.sessionNonce(req))
        return AuthorizeURL(authorize_url: url)
    }

    func refreshSlack(req: Request) async throws -> SlackConnectionSummary {
        _ = try req.requireAdmin()
        return try await req.services.slackConnector(req.db).refresh()
    }

    func disconnectSlack(req: Request) async throws -> HTTPStatus {
        try await req.services.slackConnector(req.db).disconnect(actor: try req.requireAdmin().email)
        return .noContent
    }

    func status(req: Request) async throws -> PagerDutyConnectionSummary {
        _ = try req.requireAdmin()
        return try await req.services.pagerDutyConnector(req.db).summary()
    }

    struct KeyBody: Content {
        var api_key: String
        var region: String?
        var base_url: String?
    }

    func putAPIKey(req: Request) async throws -> PagerDutyConnectionSummary {
        let user = try req.requireAdmin()
        let body = try req.content.decode(KeyBody.self)
        let connector = req.services.pagerDutyConnector(req.db)
        try await connector.connect(apiKey: body.api_key, region: try IntegrationsController.region(body.region), baseURL: body.base_url, actor: user.email)
        return try await connector.summary()
    }

    struct OAuthBody: Content {
        var client_id: String
        var client_secret: String
        var region: String?
        var base_url: String?
        var identity_url: String?
        /// Also ask for users.write and teams.write (HR provisioning).
        var provisioning: Bool?
    }

    struct AuthorizeURL: Content { let authorize_url: String }

    func oauth(req: Request) async throws -> AuthorizeURL {
        let user = try req.requireAdmin()
        let body = try req.content.decode(OAuthBody.self)
        let url = try await req.services.pagerDutyConnector(req.db).beginOAuth(
            clientID: body.client_id, clientSecret: body.client_secret, region: try IntegrationsController.region(body.region),
            baseURL: body.base_url, identityURL: body.identity_url, redirectURI: try IntegrationsController.redirectURI(req),
            user: user, sessionNonce: IntegrationsController.sessionNonce(req), provisioning: body.provisioning ?? false)
        return AuthorizeURL(authorize_url: url)
    }

    func refresh(req: Request) async throws -> AuthorizeURL {
        let user = try req.requireAdmin()
        let url = try await req.services.pagerDutyConnector(req.db).beginRefresh(
            redirectURI: try IntegrationsController.redirectURI(req), user: user, sessionNonce: IntegrationsController.sessionNonce(req))
        return AuthorizeURL(authorize_url: url)
    }

    func disconnect(req: Request) async throws -> HTTPStatus {
        try await req.services.pagerDutyConnector(req.db).disconnect(actor: try req.requireAdmin().email)
        return .noContent
    }

    struct ScheduleDTO: Content, Equatable {
        let id: String
        let name: String
        let time_zone: String?
        let description: String?
        let users: Int
    }

    struct ScheduleList: Content { let schedules: [ScheduleDTO] }

    /// Schedules to bind a rotation to: for whoever edits a rotation, not only administrators.
    func schedules(req: Request) async throws -> ScheduleList {
        _ = try req.requireUser()
        let found = try await req.services.pagerDutyConnector(req.db).schedules(matching: try req.queryText("query"))
        return ScheduleList(schedules: found.map {
            ScheduleDTO(id: $0.id, name: $0.name ?? $0.id, time_zone: $0.timeZone, description: $0.description, users: $0.layerUserIDs.count)
        })
    }
}
