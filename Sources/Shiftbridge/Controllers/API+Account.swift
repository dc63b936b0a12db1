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
        let viewer = try req.auth.require(User.self)
        let limit = try req.queryInteger("limit") ?? 50
        let offset = try req.queryInteger("offset") ?? 0
        let filter = AuditLog.Filter(action: try req.queryText("action"), actor: try req.queryText("actor"), target: try req.queryText("target"),
                                     since: try req.queryDate("since"), until: try req.queryDate("until"))
        let (events, more) = try await AuditLog(db: req.db).events(visibleTo: viewer, filter: filter, offset: offset, limit: limit)
        return EventList(
            events: events.map {
                EventDTO(id: $0.id, actor: $0.actor, action: $0.action, target: $0.target,
                         before: $0.beforeSummary, after: $0.afterSummary, occurred_at: $0.occurredAt)
            },
            limit: limit, offset: offset, more: more)
    }
}
