import Fluent
import Vapor

/// The audit log page: everything the viewer may see, newest first, fifty at a time.
struct AuditController {
    static let perPage = 50

    func boot(pages: any RoutesBuilder) {
        pages.get("audit", use: page)
    }

    func page(req: Request) async throws -> Response {
        // A link can carry any page number: out of range shows the nearest page.
        let page = (try? req.queryInteger("page")).flatMap { $0 }.map { min(max(1, $0), AuditLog.maxOffset / Self.perPage) } ?? 1
        let (events, more) = try await req.services.auditLog(req.db).events(visibleTo: try req.requireUser(), offset: (page - 1) * Self.perPage,
                                                                            limit: Self.perPage)
        let model = AuditLogPage.Model(rows: events.map(AuditLogPage.Row.init), page: page, hasMore: more)
        return HTMLResponse.make(html: AuditLogPage.render(model, context: req.pageContext(title: "Audit log", section: .audit)))
    }
}
