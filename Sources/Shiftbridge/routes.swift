import Fluent
import Vapor

/// The route table. Three groups: public (health, metrics, sign-in), dashboard pages
/// (session + CSRF), and `/api/v1` (session or bearer token; CSRF for sessions only).
func routes(_ app: Application) throws {
    try app.register(collection: HealthController())
    try app.register(collection: MetricsController())
    OpenAPIController().boot(open: app)

    let sessions = BrowserSessionMiddleware(secureCookies: app.appConfig.secureCookies, now: app.now)
    let csrf = CSRFProtection(key: app.secretBox.derivedKey(purpose: "csrf"), secureCookies: app.appConfig.secureCookies)
    let web = app.grouped(sessions, csrf)
    // A signed-out visitor is sent to sign in before any form check.
    let pages = app.grouped(sessions, RequireUserPageMiddleware(), csrf)
    SignInController().boot(open: web, pages: pages)
    DashboardController().boot(pages: pages)
    let integrations = IntegrationsController()
    integrations.boot(pages: pages)
    integrations.boot(callbackRoutes: web)
    RotationsController().boot(pages: pages)
    WebhooksController().boot(pages: pages)
    ProvisioningController().boot(pages: pages)
    AccountsController().boot(pages: pages)

    let api = app.grouped("api", "v1")
        .grouped(CookieSessionsOnly(sessions: sessions), BearerTokenAuthenticator())
        .grouped(RequireUserAPIMiddleware(), csrf)
    AccountAPIController().boot(api: api)
    AccountsAPIController().boot(api: api)
    IntegrationsAPIController().boot(api: api)
    PeopleController().boot(pages: pages, api: api)
    RotationsAPIController().boot(api: api)
    RotationFeedsController().boot(api: api, open: app)
    WebhooksAPIController().boot(api: api)
    ProvisioningAPIController().boot(api: api)
}
