import Fluent
import PagerDutyKit
import Vapor

/// Settings → Integrations in the dashboard (administrators), and PagerDuty's OAuth callback.
struct IntegrationsController {
    func boot(pages: any RoutesBuilder) {
        pages.get("settings", "integrations", use: page)
        let pagerDuty = pages.grouped("settings", "integrations", "pagerduty")
        pagerDuty.post("api-key", use: connectAPIKey)
        pagerDuty.post("oauth", use: beginOAuth)
        pagerDuty.post("refresh", use: refresh)
        pagerDuty.post("disconnect", use: disconnect)
        let slack = pages.grouped("settings", "integrations", "slack")
        slack.post("token", use: connectSlackToken)
        slack.post("oauth", use: beginSlackOAuth)
        slack.post("refresh", use: refreshSlack)
        slack.post("disconnect", use: disconnectSlack)
    }

    /// The callback is a browser redirect from PagerDuty: it needs the admin's session but
    /// answers like a page (302 to sign-in), not like the JSON API.
    func boot(callbackRoutes: any RoutesBuilder) {
        callbackRoutes.get("api", "integrations", "pagerduty", "login", "callback", use: callback).callbackAccess()
        callbackRoutes.get("api", "integrations", "slack", "login", "callback", use: slackCallback).callbackAccess()
    }

    func page(req: Request) async throws -> Response {
        try await renderPage(req, error: nil)
    }

    func renderPage(_ req: Request, error: String?, status: HTTPResponseStatus = .ok, card: IntegrationsPage.Card = .pagerDuty) async throws -> Response {
        let user = try req.requireAdmin()
        let model = IntegrationsPage.Model(pagerDuty: try await req.services.pagerDutyConnector(req.db).summary(),
                                           slack: try await req.services.slackConnector(req.db).summary(),
                                           redirectURI: req.services.links.shown(PagerDutyConnector.callbackPath),
                                           slackRedirectURI: req.services.links.shown(SlackConnector.callbackPath),
                                           canManage: user.isAdmin, formError: error, errorCard: card)
        return HTMLResponse.make(status: status, html: IntegrationsPage.render(model, context: req.pageContext(title: "Integrations", section: .settings)))
    }

    struct KeyForm: Content {
        var api_key: String?
        var region: String?
        var base_url: String?
    }

    struct OAuthForm: Content {
        var client_id: String?
        var client_secret: String?
        var region: String?
        var base_url: String?
        var identity_url: String?
        var provisioning: String?
    }

    func connectAPIKey(req: Request) async throws -> Response {
        let user = try req.requireAdmin()
        let form = try req.content.decode(KeyForm.self)
        do {
            let connection = try await req.services.pagerDutyConnector(req.db).connect(
                apiKey: form.api_key ?? "", region: try Self.region(form.region), baseURL: form.base_url, actor: user.email)
            req.flash(.success, "PagerDuty connected with the API key ending …\(connection.secretLast4)\(connection.readOnly ? " (read-only)" : "").")
            return req.redirect(to: SettingsTab.integrations.path)
        } catch let failure as AppError {
            return try await renderPage(req, error: failure.message, status: failure.kind.httpStatus)
        }
    }

    func beginOAuth(req: Request) async throws -> Response {
        let user = try req.requireAdmin()
        let form = try req.content.decode(OAuthForm.self)
        do {
            let url = try await req.services.pagerDutyConnector(req.db).beginOAuth(
                clientID: form.client_id ?? "", clientSecret: form.client_secret ?? "", region: try Self.region(form.region),
                baseURL: form.base_url, identityURL: form.identity_url, redirectURI: try Self.redirectURI(req), user: user, sessionNonce: Self.sessionNonce(req),
                provisioning: form.provisioning != nil)
            return req.redirect(to: url)
        } catch let failure as AppError {
            return try await renderPage(req, error: failure.message, status: failure.kind.httpStatus)
        }
    }

    func refresh(req: Request) async throws -> Response {
        let user = try req.requireAdmin()
        do {
            let url = try await req.services.pagerDutyConnector(req.db).beginRefresh(redirectURI: try Self.redirectURI(req), user: user,
                                                                                    sessionNonce: Self.sessionNonce(req))
            return req.redirect(to: url)
        } catch let failure as AppError {
            return try await renderPage(req, error: failure.message, status: failure.kind.httpStatus)
        }
    }

    func disconnect(req: Request) async throws -> Response {
        let user = try req.requireAdmin()
        if try await req.services.pagerDutyConnector(req.db).disconnect(actor: user.email) {
            req.flash(.success, "PagerDuty disconnected. Its stored credentials were deleted.")
        }
        return req.redirect(to: SettingsTab.integrations.path)
    }

    func callback(req: Request) async throws -> Response {
        guard let user = req.auth.get(User.self) else {
            return req.redirectFound(to: "/sign-in?next=\(SettingsTab.integrations.path)")
        }
        do {
            let connection = try await req.services.pagerDutyConnector(req.db).completeOAuth(
                state: try req.queryText("state"), code: try req.queryText("code", maxLength: 2000),
                error: try req.queryText("error"), user: user, sessionNonce: req.browserSession["pd_oauth_nonce"])
            if connection.status == .missingScopes || connection.statusDetail != nil {
                req.flash(.info, "PagerDuty connected with OAuth. \(connection.statusDetail ?? "")")
            } else {
                req.flash(.success, "PagerDuty connected with OAuth.")
            }
        } catch let failure as AppError {
            req.flash(.error, failure.message)
        }
        return req.redirect(to: SettingsTab.integrations.path)
    }

    static func region(_ raw: String?) throws -> PagerDutyRegion {
        guard let raw = raw?.lowercased(), !raw.isEmpty else { return .us }
        guard let region = PagerDutyRegion(rawValue: raw) else { throw AppError.invalidField("region", "expected us or eu") }
        return region
    }

    /// Where Slack sends the admin back after the install (from `SHIFTBRIDGE_PUBLIC_URL`).
    static func slackRedirectURI(_ req: Request) throws -> String {
        try req.services.links.url(SlackConnector.callbackPath)
    }

    /// Where PagerDuty sends the admin back (from `SHIFTBRIDGE_PUBLIC_URL`).
    static func redirectURI(_ req: Request) throws -> String {
        try req.services.links.url(PagerDutyConnector.callbackPath)
    }

    /// Binds an OAuth attempt to this browser session.
    static func sessionNonce(_ req: Request) -> String? {
        guard !req.auth.has(TokenAuthentication.self) else { return nil }
        if let nonce = req.browserSession["pd_oauth_nonce"] { return nonce }
        let nonce = [UInt8].random(count: 16).base64String()
        req.browserSession["pd_oauth_nonce"] = nonce
        return nonce
    }
}
