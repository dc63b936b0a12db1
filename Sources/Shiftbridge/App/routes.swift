import Fluent
import Vapor

/// The route table. Three groups: public (health, metrics, sign-in, feeds, incoming hooks),
/// dashboard pages (session + CSRF), and `/api/v1` (session or bearer token; CSRF for
/// sessions only).
func routes(_ app: Application, services: AppServices) throws {
    try app.register(collection: HealthController())
    try app.register(collection: MetricsController())
    OpenAPIController().boot(open: app)
    SlackCommandsController().boot(open: app)
    SCIMController().boot(open: app)

    let sessions = BrowserSessionMiddleware(secureCookies: services.config.secureCookies, clock: services.clock)
    let csrf = CSRFProtection(key: services.secrets.derivedKey(purpose: "csrf"), secureCookies: services.config.secureCookies)
    let viewerTime = ViewerTimeMiddleware(clock: services.clock)
    let web = app.grouped(sessions, csrf, viewerTime)
    // A signed-out visitor is sent to sign in before any form check.
    let pages = app.grouped(sessions, RequireUserPageMiddleware(), csrf, viewerTime)
    SignInController().boot(open: web, pages: pages)
    HomeController().boot(pages: pages)
    let integrations = IntegrationsController()
    integrations.boot(pages: pages)
    integrations.boot(callbackRoutes: web)
    RotationsController().boot(pages: pages)
    SlackOutputsController().boot(pages: pages)
    PeopleController().boot(pages: pages)
    WebhooksController().boot(pages: pages)
    ProvisioningController().boot(pages: pages)
    AccountsController().boot(pages: pages)
    PreferencesController().boot(pages: pages)
    AuditController().boot(pages: pages)

    let api = app.grouped("api", "v1")
        .grouped(CookieSessionsOnly(sessions: sessions), BearerTokenAuthenticator())
        .grouped(RequireUserAPIMiddleware(), csrf)
    AccountsAPIController().boot(api: api)
    IntegrationsAPIController().boot(api: api)
    PeopleAPIController().boot(api: api)
    RotationsAPIController().boot(api: api)
    SlackOutputsAPIController().boot(api: api)
    RotationFeedsController().boot(api: api, open: app)
    WebhooksAPIController().boot(api: api)
    ProvisioningAPIController().boot(api: api)
    AuditAPIController().boot(api: api)
    SCIMSettingsController().boot(pages: pages, api: api)
    HRSourcesAPIController().boot(api: api)
}
