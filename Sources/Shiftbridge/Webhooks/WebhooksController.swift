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
        let registry = req.services.webhookRegistry(req.db)
        for hook in try await registry.list() {
            let deliveries = try await registry.deliveries(of: hook.id, limit: 20)
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
            let rotation = try await form.rotation?.trimmingCharacters(in: .whitespaces).nilIfEmpty.asyncMap {
                try await req.services.rotationDirectory(req.db).find($0, for: user)
            }
            let (hook, secret) = try await req.services.webhookRegistry(req.db).create(url: form.url ?? "", rotation: rotation, by: user)
            return try await render(req, created: (hook.url, secret), error: nil, status: .created)
        } catch let error as AppError {
            return try await render(req, created: nil, error: error.message, status: error.kind.httpStatus)
        }
    }

    func delete(req: Request) async throws -> Response {
        let user = try req.requireAdmin()
        try await req.services.webhookRegistry(req.db).delete(req.parameters.get("webhook", as: UUID.self), by: user)
        req.flash(.success, "Webhook deleted.")
        return req.redirect(to: "/settings/webhooks")
    }
}
