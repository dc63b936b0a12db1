import Fluent
import Vapor

/// `/api/v1/webhooks`: admins manage outbound webhooks and read their delivery log.
struct WebhooksAPIController {
    func boot(api: any RoutesBuilder) {
        let webhooks = api.grouped("webhooks")
        webhooks.get(use: list)
        webhooks.post(use: create)
        webhooks.delete(":id", use: delete)
        webhooks.get(":id", "deliveries", use: deliveries)
    }

    struct WebhookDTO: Content {
        let id: UUID?
        let url: String
        let rotation: String?
        let secret_last4: String
        /// Only in the answer to POST: store it now, it is not shown again.
        var secret: String?
        let created_at: Date?
    }

    struct CreateBody: Content {
        var url: String
        /// A rotation's id or code; omit for every rotation.
        var rotation: String?
    }

    func list(req: Request) async throws -> [String: [WebhookDTO]] {
        _ = try req.requireAdmin()
        let hooks = try await Webhook.query(on: req.db).with(\.$rotation).sort(\.$createdAt).all()
        return ["webhooks": hooks.map { WebhookDTO(id: $0.id, url: $0.url, rotation: $0.rotation?.code, secret_last4: $0.secretLast4, created_at: $0.createdAt) }]
    }

    func create(req: Request) async throws -> Response {
        let user = try req.requireAdmin()
        let body = try req.content.decode(CreateBody.self)
        let (hook, secret, code) = try await Self.create(url: body.url, rotation: body.rotation, by: user, req: req)
        let response = try await WebhookDTO(id: hook.id, url: hook.url, rotation: code, secret_last4: hook.secretLast4, secret: secret,
                                            created_at: hook.createdAt).encodeResponse(for: req)
        response.status = .created
        return response
    }

    /// Creates a webhook; the secret is returned in clear once and stored sealed.
    static func create(url rawURL: String, rotation rotationCode: String?, by user: User, req: Request) async throws -> (Webhook, String, String?) {
        let policy = req.application.outboundPolicy
        let raw = try policy.webhookURL(rawURL).string ?? rawURL
        // The same check as at each send, so a URL that can never be delivered to is refused now.
        do { try await policy.checkDeliveryTarget(raw) } catch { throw AppError.invalidField("url", OutboundTargetPolicy.unreachable) }
        let code = rotationCode?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        let rotation: Rotation? = if let code { try await req.application.rotations.find(code, for: user) } else { nil }
        let secret = RotationSecret.generate()
        let hook = Webhook()
        hook.url = raw
        hook.sealedSecret = try req.secretBox.seal(secret)
        hook.secretLast4 = SecretBox.last4(secret)
        hook.$rotation.id = rotation?.id
        hook.createdBy = user.email
        try await req.db.transaction { db in
            try await hook.create(on: db)
            try await AuditEvent.record(on: db, actor: user.email, action: "webhook.created", target: "webhook:\(hook.url)",
                                        after: "\(rotation?.code ?? "all rotations"); secret ending …\(hook.secretLast4)")
        }
        return (hook, secret, rotation?.code)
    }

    func delete(req: Request) async throws -> HTTPStatus {
        try await Self.delete(req.parameters.get("id", as: UUID.self), by: try req.requireAdmin(), on: req.db)
        return .noContent
    }

    static func delete(_ id: UUID?, by user: User, on db: any Database) async throws {
        guard let hook = try await Webhook.find(id, on: db) else { throw APIError.notFound("Webhook") }
        try await db.transaction { db in
            try await hook.delete(on: db)
            try await AuditEvent.record(on: db, actor: user.email, action: "webhook.deleted", target: "webhook:\(hook.url)")
        }
    }

    struct DeliveryDTO: Content {
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

    func deliveries(req: Request) async throws -> [String: [DeliveryDTO]] {
        _ = try req.requireAdmin()
        guard let id = req.parameters.get("id", as: UUID.self) else { throw APIError.notFound("Webhook") }
        let rows = try await WebhookDelivery.query(on: req.db).filter(\.$webhook.$id == id).sort(\.$createdAt, .descending).limit(100).all()
        return ["deliveries": rows.map {
            DeliveryDTO(id: $0.id, event: $0.event, status: $0.status.rawValue, attempts: $0.attempts, last_status_code: $0.lastStatusCode,
                        last_error: $0.lastError, created_at: $0.createdAt, delivered_at: $0.deliveredAt,
                        next_attempt_at: $0.status == .pending ? $0.nextAttemptAt : nil)
        }]
    }
}
