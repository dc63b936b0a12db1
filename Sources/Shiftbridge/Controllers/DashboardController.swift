import Fluent
import Vapor

/// The dashboard's pages. Each handler builds a view model and renders it.
struct DashboardController {
    func boot(pages: any RoutesBuilder) {
        pages.get(use: home)
        pages.get("settings", use: settings)
        pages.get("audit", use: audit)
    }

    func home(req: Request) async throws -> Response {
        let recent = try await AuditEvent.query(on: req.db).sort(\.$occurredAt, .descending).limit(10).all()
        let model = HomePage.Model(recentEvents: recent.map(\.row))
        return HTMLResponse.make(html: HomePage.render(model, context: req.pageContext(title: "Overview")))
    }

    func settings(req: Request) async throws -> Response {
        req.redirect(to: Section.integrations.path)
    }

    func audit(req: Request) async throws -> Response {
        let page = max(1, req.query[Int.self, at: "page"] ?? 1)
        let perPage = 50
        let events = try await AuditEvent.query(on: req.db)
            .sort(\.$occurredAt, .descending)
            .range(((page - 1) * perPage)..<(page * perPage + 1))
            .all()
        let model = AuditLogPage.Model(rows: events.prefix(perPage).map(\.row), page: page, hasMore: events.count > perPage)
        return HTMLResponse.make(html: AuditLogPage.render(model, context: req.pageContext(title: "Audit log", section: .audit)))
    }
}

extension AuditEvent {
    var row: AuditLogPage.Row {
        AuditLogPage.Row(time: occurredAt, actor: actor, action: action, target: target, before: beforeSummary, after: afterSummary)
    }
}
