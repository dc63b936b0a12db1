import Fluent
import Vapor

/// The People directory in the dashboard: `/people`, and adding someone.
struct PeopleController {
    func boot(pages: any RoutesBuilder) {
        pages.get("people", use: page)
        pages.post("people", use: add)
    }

    func page(req: Request) async throws -> Response {
        try await render(req, error: nil, input: nil)
    }

    func add(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let input = try req.content.decode(PeopleDirectory.Input.self)
        do {
            let person = try await req.services.people(req.db).add(input, actor: user.email)
            req.flash(.success, "Added \(person.name) (\(person.email)).")
            return req.redirect(to: Section.people.path)
        } catch let error as AppError {
            return try await render(req, error: error.message, input: input, status: error.kind.httpStatus)
        }
    }

    private func render(_ req: Request, error: String?, input: PeopleDirectory.Input?, status: HTTPResponseStatus = .ok) async throws -> Response {
        let query = try req.queryText("query")
        let people = try await req.services.people(req.db).list(query: query)
        let slackConnected = try await SlackConnection.current(on: req.db) != nil
        let links = slackConnected ? try await SlackDirectory.links(on: req.db) : [:]
        let model = PeoplePage.Model(people: people.map { PeoplePage.Row($0, slackID: links[$0.email]) }, slackConnected: slackConnected, query: query,
                                     error: error, input: input)
        return HTMLResponse.make(status: status, html: PeoplePage.render(model, context: req.pageContext(title: "People", section: .people)))
    }
}
