import Fluent
import PagerDutyKit
import Vapor

/// Settings → Integrations in the dashboard, and PagerDuty's OAuth callback.
struct IntegrationsController {
    func boot(pages: any RoutesBuilder) {
        pages.get("settings", "integrations", use: page)
        let pagerDuty = pages.grouped("settings", "integrations", "pagerduty")
        pagerDuty.post("api-key", use: connectAPIKey)
        pagerDuty.post("oauth", use: beginOAuth)
        pagerDuty.post("refresh", use: refresh)
        pagerDuty.post("disconnect", use: disconnect)
    }

    /// The callback is a browser redirect from PagerDuty: it needs the admin's session but
    /// answers like a page (302 to sign-in), not like the JSON API.
    func boot(callbackRoutes: any RoutesBuilder) {
        callbackRoutes.get("api", "integrations", "pagerduty", "login", "callback", use: callback).callbackAccess()
    }

    func page(req: Request) async throws -> Response {
        try await render(req, error: nil)
    }

    private func render(_ req: Request, error: String?, status: HTTPResponseStatus = .ok) async throws -> Response {
        let user = try requireAdmin(req)
        let model = IntegrationsPage.Model(pagerDuty: try await req.application.pagerDuty.summary(),
                                           redirectURI: Self.redirectURI(req), canManage: user.isAdmin, formError: error)
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
        let user = try requireAdmin(req)
        let form = try req.content.decode(KeyForm.self)
        do {
            let connection = try await req.application.pagerDuty.connect(
                apiKey: form.api_key ?? "", region: try Self.region(form.region), baseURL: form.base_url, actor: user.email)
            req.flash(.success, "PagerDuty connected with the API key ending …\(connection.secretLast4)\(connection.readOnly ? " (read-only)" : "").")
            return req.redirect(to: SettingsTab.integrations.path)
        } catch let failure as PagerDutyIntegration.Failure {
            return try await render(req, error: failure.message, status: failure.status)
        }
    }

    func beginOAuth(req: Request) async throws -> Response {
        let user = try requireAdmin(req)
        let form = try req.content.decode(OAuthForm.self)
        do {
            let url = try await req.application.pagerDuty.beginOAuth(
                clientID: form.client_id ?? "", clientSecret: form.client_secret ?? "", region: try Self.region(form.region),
                baseURL: form.base_url, identityURL: form.identity_url, redirectURI: Self.redirectURI(req), user: user, sessionNonce: Self.sessionNonce(req),
                provisioning: form.provisioning != nil)
            return req.redirect(to: url)
        } catch let failure as PagerDutyIntegration.Failure {
            return try await render(req, error: failure.message, status: failure.status)
        }
    }

    func refresh(req: Request) async throws -> Response {
        let user = try requireAdmin(req)
        do {
            let url = try await req.application.pagerDuty.beginRefresh(redirectURI: Self.redirectURI(req), user: user, sessionNonce: Self.sessionNonce(req))
            return req.redirect(to: url)
        } catch let failure as PagerDutyIntegration.Failure {
            return try await render(req, error: failure.message, status: failure.status)
        }
    }

    func disconnect(req: Request) async throws -> Response {
        let user = try requireAdmin(req)
        if try await req.application.pagerDuty.disconnect(actor: user.email) {
            req.flash(.success, "PagerDuty disconnected. Its stored credentials were deleted.")
        }
        return req.redirect(to: SettingsTab.integrations.path)
    }

    func callback(req: Request) async throws -> Response {
        guard let user = req.auth.get(User.self) else {
            return req.redirectFound(to: "/sign-in?next=\(SettingsTab.integrations.path)")
        }
        do {
            let connection = try await req.application.pagerDuty.completeOAuth(
                state: req.query[String.self, at: "state"], code: req.query[String.self, at: "code"],
                error: req.query[String.self, at: "error"], user: user, sessionNonce: req.browserSession["pd_oauth_nonce"])
            if connection.status == .missingScopes || connection.statusDetail != nil {
                req.flash(.info, "PagerDuty connected with OAuth. \(connection.statusDetail ?? "")")
            } else {
                req.flash(.success, "PagerDuty connected with OAuth.")
            }
        } catch let failure as PagerDutyIntegration.Failure {
            req.flash(.error, failure.message)
        }
        return req.redirect(to: SettingsTab.integrations.path)
    }

    // MARK: Helpers

    private func requireAdmin(_ req: Request) throws -> User {
        try req.requireAdmin()
    }

    static func region(_ raw: String?) throws -> PagerDutyRegion {
        guard let raw = raw?.lowercased(), !raw.isEmpty else { return .us }
        guard let region = PagerDutyRegion(rawValue: raw) else {
            throw PagerDutyIntegration.Failure(message: "region: expected us or eu", code: "invalid_field")
        }
        return region
    }

    /// Where PagerDuty sends the admin back: the public URL when configured, else this host.
    static func redirectURI(_ req: Request) -> String {
        let base = req.appConfig.publicURL ?? "http://\(req.headers.first(name: .host) ?? "127.0.0.1:8080")"
        return base + PagerDutyIntegration.callbackPath
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

/// `/api/v1/integrations/pagerduty` (contract).
struct IntegrationsAPIController {
    func boot(api: any RoutesBuilder) {
        let pagerDuty = api.grouped("integrations", "pagerduty")
        pagerDuty.get(use: status)
        pagerDuty.put("api-key", use: putAPIKey)
        pagerDuty.post("oauth", use: oauth)
        pagerDuty.post("refresh", use: refresh)
        pagerDuty.delete(use: disconnect)
        pagerDuty.get("schedules", use: schedules)
    }

    func status(req: Request) async throws -> PagerDutyIntegration.Summary {
        _ = try requireAdmin(req)
        return try await req.application.pagerDuty.summary()
    }

    struct KeyBody: Content {
        var api_key: String
        var region: String?
        var base_url: String?
    }

    func putAPIKey(req: Request) async throws -> PagerDutyIntegration.Summary {
        let user = try requireAdmin(req)
        let body = try req.content.decode(KeyBody.self)
        try await mapFailures {
            try await req.application.pagerDuty.connect(apiKey: body.api_key, region: try IntegrationsController.region(body.region),
                                                        baseURL: body.base_url, actor: user.email)
        }
        return try await req.application.pagerDuty.summary()
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
        let user = try requireAdmin(req)
        let body = try req.content.decode(OAuthBody.self)
        let url = try await mapFailures {
            try await req.application.pagerDuty.beginOAuth(
                clientID: body.client_id, clientSecret: body.client_secret, region: try IntegrationsController.region(body.region),
                baseURL: body.base_url, identityURL: body.identity_url, redirectURI: IntegrationsController.redirectURI(req),
                user: user, sessionNonce: IntegrationsController.sessionNonce(req), provisioning: body.provisioning ?? false)
        }
        return AuthorizeURL(authorize_url: url)
    }

    func refresh(req: Request) async throws -> AuthorizeURL {
        let user = try requireAdmin(req)
        let url = try await mapFailures {
            try await req.application.pagerDuty.beginRefresh(redirectURI: IntegrationsController.redirectURI(req), user: user,
                                                             sessionNonce: IntegrationsController.sessionNonce(req))
        }
        return AuthorizeURL(authorize_url: url)
    }

    func disconnect(req: Request) async throws -> HTTPStatus {
        let user = try requireAdmin(req)
        try await req.application.pagerDuty.disconnect(actor: user.email)
        return .noContent
    }

    struct ScheduleDTO: Content {
        let id: String
        let name: String
        let time_zone: String?
        let description: String?
        let users: Int
    }

    struct ScheduleList: Content { let schedules: [ScheduleDTO] }

    func schedules(req: Request) async throws -> ScheduleList {
        _ = try req.auth.require(User.self)
        let found = try await mapFailures { try await req.application.pagerDuty.schedules(matching: req.query[String.self, at: "query"]) }
        return ScheduleList(schedules: found.map {
            ScheduleDTO(id: $0.id, name: $0.name ?? $0.id, time_zone: $0.timeZone, description: $0.description, users: $0.layerUserIDs.count)
        })
    }

    private func requireAdmin(_ req: Request) throws -> User {
        try req.requireAdmin()
    }

    private func mapFailures<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let failure as PagerDutyIntegration.Failure { throw failure.apiError }
    }
}
