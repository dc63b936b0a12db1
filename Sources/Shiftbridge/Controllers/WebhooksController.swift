import Fluent
import Vapor

/// Settings → Webhooks in the dashboard.
struct WebhooksController {
    func boot(pages: any RoutesBuilder) {
        pages.get("settings", "webhooks", use: page)
        pages.post("settings", "webhooks", use: create)
        pages.post("settings", "webhooks", ":webhook", "delete", use: delete)
    }

    func page(req: Request) async throws -> Response {
        try await render(req, created: nil, error: nil)
    }

    private func render(_ req: Request, created: (url: String, secret: String)?, error: String?, status: HTTPResponseStatus = .ok) async throws -> Response {
        _ = try req.requireAdmin()
        var hooks: [WebhooksPage.Hook] = []
        for hook in try await Webhook.query(on: req.db).with(\.$rotation).sort(\.$createdAt).all() {
            let deliveries = try await WebhookDelivery.query(on: req.db).filter(\.$webhook.$id == hook.requireID())
                .sort(\.$createdAt, .descending).limit(20).all()
            hooks.append(.init(id: try hook.requireID().uuidString, url: hook.url, rotation: hook.rotation?.code, last4: hook.secretLast4,
                               deliveries: deliveries.map { ($0.createdAt, $0.status.rawValue, $0.attempts,
                                                             $0.lastError ?? $0.lastStatusCode.map { "HTTP \($0)" } ?? "—") }))
        }
        return HTMLResponse.make(status: status, html: WebhooksPage.render(.init(hooks: hooks, newSecret: created, error: error),
                                                                           context: req.pageContext(title: "Webhooks", section: .settings)))
    }

    struct Form: Content {
        var url: String?
        var rotation: String?
    }

    func create(req: Request) async throws -> Response {
        let user = try req.requireAdmin()
        let form = try req.content.decode(Form.self)
        do {
            let (hook, secret, _) = try await WebhooksAPIController.create(url: form.url ?? "", rotation: form.rotation, by: user, req: req)
            return try await render(req, created: (hook.url, secret), error: nil, status: .created)
        } catch let error as APIError {
            return try await render(req, created: nil, error: error.message, status: error.status)
        }
    }

    func delete(req: Request) async throws -> Response {
        let user = try req.requireAdmin()
        try await WebhooksAPIController.delete(req.parameters.get("webhook", as: UUID.self), by: user, on: req.db)
        req.flash(.success, "Webhook deleted.")
        return req.redirect(to: "/settings/webhooks")
    }
}
