import Foundation
import Vapor

/// The Slack card's forms: connect with tokens, install with OAuth v2, refresh, disconnect.
extension IntegrationsController {
    struct SlackTokenForm: Content {
        var bot_token: String?
        var user_token: String?
        var signing_secret: String?
        var base_url: String?
    }

    struct SlackOAuthForm: Content {
        var client_id: String?
        var client_secret: String?
        var signing_secret: String?
        var base_url: String?
        var user_token: String?
    }

    func connectSlackToken(req: Request) async throws -> Response {
        let user = try req.requireAdmin()
        let form = try req.content.decode(SlackTokenForm.self)
        do {
            let summary = try await req.services.slackConnector(req.db).connect(
                .init(botToken: form.bot_token ?? "", userToken: form.user_token, baseURL: form.base_url, signingSecret: form.signing_secret), actor: user.email)
            req.flash(summary.problems.isEmpty ? .success : .info,
                      "Slack connected to \(summary.team ?? "the workspace") with the bot token ending …\(summary.token_last4 ?? "")."
                        + (summary.problems.isEmpty ? "" : " Needs attention: \(summary.problems.joined(separator: "; "))."))
            return req.redirect(to: SettingsTab.integrations.path)
        } catch let failure as AppError {
            return try await renderPage(req, error: failure.message, status: failure.kind.httpStatus, card: .slack)
        }
    }

    func beginSlackOAuth(req: Request) async throws -> Response {
        let user = try req.requireAdmin()
        let form = try req.content.decode(SlackOAuthForm.self)
        do {
            let url = try await req.services.slackConnector(req.db).beginOAuth(
                clientID: form.client_id ?? "", clientSecret: form.client_secret ?? "", signingSecret: form.signing_secret, baseURL: form.base_url,
                withUserToken: form.user_token != nil, redirectURI: try Self.slackRedirectURI(req), user: user, sessionNonce: Self.sessionNonce(req))
            return req.redirect(to: url)
        } catch let failure as AppError {
            return try await renderPage(req, error: failure.message, status: failure.kind.httpStatus, card: .slack)
        }
    }

    func refreshSlack(req: Request) async throws -> Response {
        _ = try req.requireAdmin()
        do {
            let summary = try await req.services.slackConnector(req.db).refresh()
            req.flash(summary.problems.isEmpty ? .success : .info,
                      summary.problems.isEmpty ? "Slack checked: \(summary.members ?? 0) members read." : "Slack needs attention: \(summary.problems.joined(separator: "; ")).")
        } catch let failure as AppError {
            req.flash(.error, failure.message)
        }
        return req.redirect(to: SettingsTab.integrations.path)
    }

    func disconnectSlack(req: Request) async throws -> Response {
        let user = try req.requireAdmin()
        if try await req.services.slackConnector(req.db).disconnect(actor: user.email) {
            req.flash(.success, "Slack disconnected. Its stored tokens were deleted.")
        }
        return req.redirect(to: SettingsTab.integrations.path)
    }

    func slackCallback(req: Request) async throws -> Response {
        guard let user = req.auth.get(User.self) else {
            return req.redirectFound(to: "/sign-in?next=\(SettingsTab.integrations.path)")
        }
        do {
            let summary = try await req.services.slackConnector(req.db).completeOAuth(
                state: try req.queryText("state"), code: try req.queryText("code", maxLength: 2000),
                error: try req.queryText("error"), user: user, sessionNonce: req.browserSession["pd_oauth_nonce"])
            req.flash(summary.problems.isEmpty ? .success : .info, "Slack installed in \(summary.team ?? "the workspace")."
                + (summary.problems.isEmpty ? "" : " Needs attention: \(summary.problems.joined(separator: "; "))."))
        } catch let failure as AppError {
            req.flash(.error, failure.message)
        }
        return req.redirect(to: SettingsTab.integrations.path)
    }
}
