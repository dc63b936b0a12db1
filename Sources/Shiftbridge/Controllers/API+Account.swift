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
        let limit = try Self.integer(req, "limit") ?? 50
        let offset = try Self.integer(req, "offset") ?? 0
        let filter = AuditLog.Filter(action: req.query[String.self, at: "action"], actor: req.query[String.self, at: "actor"],
                                     target: req.query[String.self, at: "target"], since: try Self.date(req, "since"), until: try Self.date(req, "until"))
        let (events, more) = try await AuditLog(db: req.db).events(visibleTo: viewer, filter: filter, offset: offset, limit: limit)
        return EventList(
            events: events.map {
                EventDTO(id: $0.id, actor: $0.actor, action: $0.action, target: $0.target,
                         before: $0.beforeSummary, after: $0.afterSummary, occurred_at: $0.occurredAt)
            },
            limit: limit, offset: offset, more: more)
    }

    /// A whole number from the query; a value that is not one (or does not fit) names the parameter.
    static func integer(_ req: Request, _ name: String) throws -> Int? {
        guard let raw = req.query[String.self, at: name] else { return nil }
        guard let value = Int(raw) else { throw AppError.invalidField(name, "expected a whole number, got '\(raw.prefix(40))'") }
        return value
    }

    static func date(_ req: Request, _ name: String) throws -> Date? {
        guard let raw = req.query[String.self, at: name] else { return nil }
        guard let date = ISO8601DateFormatter().date(from: raw) else { throw AppError.invalidField(name, "expected an ISO 8601 time such as 2026-12-01T09:00:00Z") }
        return date
    }
}
