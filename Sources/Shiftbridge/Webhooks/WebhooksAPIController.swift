import Fluent
import Vapor

/// `/api/v1/webhooks` (contract): administrators manage outbound webhooks and read their delivery log.
struct WebhooksAPIController {
    func boot(api: any RoutesBuilder) {
        let webhooks = api.grouped("webhooks")
        webhooks.get(use: list)
        webhooks.post(use: create)
        webhooks.delete(":id", use: delete)
        webhooks.get(":id", "deliveries", use: deliveries)
    }

    struct WebhookDTO: Content, Equatable {
        let id: UUID?
        let url: String
        let rotation: String?
        let secret_last4: String
        /// Only in the answer to POST: store it now, it is not shown again.
        var secret: String?
        let created_at: Date?
    }

    struct WebhookList: Content { let webhooks: [WebhookDTO] }

    struct CreateBody: Content {
        var url: String
        /// A rotation's id or code; omit for every rotation.
        var rotation: String?
    }

    func list(req: Request) async throws -> WebhookList {
        _ = try req.requireAdmin()
        return WebhookList(webhooks: try await req.services.webhookRegistry(req.db).list().map {
            WebhookDTO(id: $0.id, url: $0.url, rotation: $0.rotation?.code, secret_last4: $0.secretLast4, created_at: $0.createdAt)
        })
    }

    func create(req: Request) async throws -> Response {
        let user = try req.requireAdmin()
        let body = try req.content.decode(CreateBody.self)
        let rotation = try await body.rotation?.trimmingCharacters(in: .whitespaces).nilIfEmpty.asyncMap { try await req.services.rotationDirectory(req.db).find($0, for: user) }
        let (hook, secret) = try await req.services.webhookRegistry(req.db).create(url: body.url, rotation: rotation, by: user)
        let response = try await WebhookDTO(id: hook.id, url: hook.url, rotation: rotation?.code, secret_last4: hook.secretLast4, secret: secret,
                                            created_at: hook.createdAt).encodeResponse(for: req)
        response.status = .created
        return response
    }

    func delete(req: Request) async throws -> HTTPStatus {
        try await req.services.webhookRegistry(req.db).delete(req.parameters.get("id", as: UUID.self), by: try req.requireAdmin())
        return .noContent
    }

    struct DeliveryDTO: Content, Equatable {
        let id: UUID?
        let event: String
        let status: String
        let attempts: Int
        let last_status_code: Int?
        let last_error: String?
        let created_at: Date
        let delivered_at: Date?
        let next_attempt_at: Date?
    }

    struct DeliveryList: Content { let deliveries: [DeliveryDTO] }

    func deliveries(req: Request) async throws -> DeliveryList {
        _ = try req.requireAdmin()
        let rows = try await req.services.webhookRegistry(req.db).deliveries(of: req.parameters.get("id", as: UUID.self))
        return DeliveryList(deliveries: rows.map {
            DeliveryDTO(id: $0.id, event: $0.event, status: $0.status.rawValue, attempts: $0.attempts, last_status_code: $0.lastStatusCode,
                        last_error: $0.lastError, created_at: $0.createdAt, delivered_at: $0.deliveredAt,
                        next_attempt_at: $0.status == .pending ? $0.nextAttemptAt : nil)
        })
    }
}
