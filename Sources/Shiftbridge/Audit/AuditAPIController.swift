import Fluent
import Vapor

/// `GET /api/v1/audit-events` (contract): the trail, newest first, as far as the caller may see.
struct AuditAPIController {
    func boot(api: any RoutesBuilder) {
        api.get("audit-events", use: events)
    }

    struct EventDTO: Content, Equatable {
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

    func events(req: Request) async throws -> EventList {
        let viewer = try req.requireUser()
        let limit = try req.queryInteger("limit") ?? 50
        let offset = try req.queryInteger("offset") ?? 0
        let filter = AuditLog.Filter(action: try req.queryText("action"), actor: try req.queryText("actor"), target: try req.queryText("target"),
                                     since: try req.queryDate("since"), until: try req.queryDate("until"))
        let (events, more) = try await req.services.auditLog(req.db).events(visibleTo: viewer, filter: filter, offset: offset, limit: limit)
        return EventList(
            events: events.map {
                EventDTO(id: $0.id, actor: $0.actor, action: $0.action.rawValue, target: $0.target, before: $0.beforeSummary, after: $0.afterSummary,
                         occurred_at: $0.occurredAt)
            },
            limit: limit, offset: offset, more: more)
    }
}
