import Fluent
import Vapor

/// The route table. Three groups: public (health, metrics, sign-in), dashboard pages
/// (session + CSRF), and `/api/v1` (session or bearer token; CSRF for sessions only).
func routes(_ app: Application) throws {
    try app.register(collection: HealthController())
    try app.register(collection: MetricsController())

    let web = app.grouped(app.sessions.middleware, User.sessionAuthenticator())
    let auth = AuthController()
    try web.grouped(CSRFMiddleware()).register(collection: auth)

    let pages = web.grouped(RequireUserPageMiddleware(), CSRFMiddleware())
    auth.bootProtected(routes: pages)
    DashboardController().boot(pages: pages)
    let integrations = IntegrationsController()
    integrations.boot(pages: pages)
    integrations.boot(callbackRoutes: web)
    RotationsController().boot(pages: pages)
    WebhooksController().boot(pages: pages)
    ProvisioningController().boot(pages: pages)

    let api = app.grouped("api", "v1")
        .grouped(CookieSessionsOnly(cookieName: app.sessions.configuration.cookieName, middleware: [app.sessions.middleware, User.sessionAuthenticator()]),
                 BearerTokenAuthenticator())
        .grouped(RequireUserAPIMiddleware(), CSRFMiddleware())
    AccountAPIController().boot(api: api)
    IntegrationsAPIController().boot(api: api)
    PeopleController().boot(pages: pages, api: api)
    RotationsAPIController().boot(api: api)
    RotationFeedsController().boot(api: api, open: app)
    WebhooksAPIController().boot(api: api)
    ProvisioningAPIController().boot(api: api)
}
