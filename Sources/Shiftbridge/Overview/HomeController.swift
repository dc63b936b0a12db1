import Fluent
import Vapor

/// The overview a signed-in person lands on.
struct HomeController {
    func boot(pages: any RoutesBuilder) {
        pages.get(use: home)
    }

    func home(req: Request) async throws -> Response {
        let recent = try await req.services.auditLog(req.db).events(visibleTo: try req.requireUser(), limit: 10).events
        let model = HomePage.Model(recentEvents: recent.map(AuditLogPage.Row.init))
        return HTMLResponse.make(html: HomePage.render(model, context: req.pageContext(title: "Overview")))
    }
}
