import Fluent
import Vapor

/// `/api/v1` routes about the caller and the audit trail.
struct AccountAPIController {
    func boot(api: any RoutesBuilder) {
        api.get("me", use: me)
        api.get("audit-events", use: auditEvents)
    }

    struct Me: Content {
        let email: String
        let is_admin: Bool
        let authenticated_by: String
    }

    func me(req: Request) async throws -> Me {
        let user = try req.auth.require(User.self)
        return Me(email: user.email, is_admin: user.isAdmin,
                  authenticated_by: req.auth.has(TokenAuthentication.self) ? "token" : "session")
    }

    struct EventDTO: Content {
        let id: UUID?
        let actor: String
        let action: String
        let target: String
        let before: String?
        let after: String?
        let occurred_at: Date
    }

    struct EventList: Content {
        let events: [EventDTO]
        let limit: Int
        let offset: Int
        let more: Bool
    }

    func auditEvents(req: Request) async throws -> EventList {
        let limit = req.query[Int.self, at: "limit"] ?? 50
        let offset = req.query[Int.self, at: "offset"] ?? 0
        guard (1...500).contains(limit) else { throw APIError.invalidField("limit", "must be between 1 and 500") }
        guard offset >= 0 else { throw APIError.invalidField("offset", "must be 0 or more") }
        var query = AuditEvent.query(on: req.db).sort(\.$occurredAt, .descending)
        if let action = req.query[String.self, at: "action"] { query = query.filter(\.$action == action) }
        let events = try await query.range(offset..<(offset + limit + 1)).all()
        return EventList(
            events: events.prefix(limit).map {
                EventDTO(id: $0.id, actor: $0.actor, action: $0.action, target: $0.target,
                         before: $0.beforeSummary, after: $0.afterSummary, occurred_at: $0.occurredAt)
            },
            limit: limit, offset: offset, more: events.count > limit)
    }
}
