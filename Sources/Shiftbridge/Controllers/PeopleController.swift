import Fluent
import Vapor

/// The People directory: `/people` in the dashboard, `/api/v1/people` in the API.
struct PeopleController {
    func boot(pages: any RoutesBuilder, api: any RoutesBuilder) {
        pages.get("people", use: page)
        pages.post("people", use: addFromForm)
        api.get("people", use: list)
        api.post("people", use: create)
    }

    struct PersonDTO: Content {
        let id: UUID?
        let email: String
        let name: String
        let chat_handle: String?
        let time_zone: String?
        let source: String
        let linked: Bool

        init(_ person: Person) {
            id = person.id
            email = person.email
            name = person.name
            chat_handle = person.chatHandle
            time_zone = person.timeZone
            source = person.source.rawValue
            linked = !person.isUnlinked
        }
    }

    struct PeopleList: Content { let people: [PersonDTO] }

    func list(req: Request) async throws -> PeopleList {
        PeopleList(people: try await PeopleDirectory(db: req.db).list(query: try req.queryText("query")).map(PersonDTO.init))
    }

    func create(req: Request) async throws -> Response {
        let user = try req.auth.require(User.self)
        let person = try await PeopleDirectory(db: req.db).add(try req.content.decode(PeopleDirectory.Input.self), actor: user.email)
        let response = try await PersonDTO(person).encodeResponse(for: req)
        response.status = .created
        return response
    }

    func page(req: Request) async throws -> Response {
        try await render(req, error: nil, input: nil)
    }

    func addFromForm(req: Request) async throws -> Response {
        let user = try req.auth.require(User.self)
        let input = try req.content.decode(PeopleDirectory.Input.self)
        do {
            let person = try await PeopleDirectory(db: req.db).add(input, actor: user.email)
            req.flash(.success, "Added \(person.name) (\(person.email)).")
            return req.redirect(to: Section.people.path)
        } catch let error as APIError {
            return try await render(req, error: error.message, input: input, status: error.status)
        }
    }

    private func render(_ req: Request, error: String?, input: PeopleDirectory.Input?, status: HTTPResponseStatus = .ok) async throws -> Response {
        let query = req.query[String.self, at: "query"]
        let people = try await PeopleDirectory(db: req.db).list(query: query)
        let model = PeoplePage.Model(people: people.map(PersonDTO.init), query: query, error: error, input: input)
        return HTMLResponse.make(status: status, html: PeoplePage.render(model, context: req.pageContext(title: "People", section: .people)))
    }
}
