import Fluent
import Vapor

/// The overview a signed-in person lands on.
struct HomeController {
    func boot(pages: any RoutesBuilder) {
        pages.get(use: home)
    }

    func home(req: Request) async throws -> Response {
        let model = try await req.services.overviewReader(req.db).model(for: try req.requireUser())
        return HTMLResponse.make(html: HomePage.render(model, context: req.pageContext(title: "Overview")))
    }
}
