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
        let recent = try await AuditLog(db: req.db).events(visibleTo: try req.auth.require(User.self), limit: 10).events
        let model = HomePage.Model(recentEvents: recent.map(\.row))
        return HTMLResponse.make(html: HomePage.render(model, context: req.pageContext(title: "Overview")))
    }

    func settings(req: Request) async throws -> Response {
        req.redirect(to: SettingsTab.first(isAdmin: req.auth.get(User.self)?.isAdmin ?? false).path)
    }

    func audit(req: Request) async throws -> Response {
        let perPage = 50
        // Out-of-range pages (a link can carry any number) show the first page.
        let page = (try? req.queryInteger("page")).flatMap { $0 } .map { min(max(1, $0), AuditLog.maxOffset / perPage) } ?? 1
        let (events, more) = try await AuditLog(db: req.db).events(visibleTo: try req.auth.require(User.self), offset: (page - 1) * perPage, limit: perPage)
        let model = AuditLogPage.Model(rows: events.map(\.row), page: page, hasMore: more)
        return HTMLResponse.make(html: AuditLogPage.render(model, context: req.pageContext(title: "Audit log", section: .audit)))
    }
}

extension AuditEvent {
    var row: AuditLogPage.Row {
        AuditLogPage.Row(time: occurredAt, actor: actor, action: action, target: target, before: beforeSummary, after: afterSummary)
    }
}
