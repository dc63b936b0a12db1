import Fluent
import Vapor

/// `/api/v1/people` (contract).
struct PeopleAPIController {
    func boot(api: any RoutesBuilder) {
        api.get("people", use: list)
        api.post("people", use: create)
    }

    struct PersonDTO: Content, Equatable {
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
        PeopleList(people: try await req.services.people(req.db).list(query: try req.queryText("query")).map(PersonDTO.init))
    }

    func create(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let person = try await req.services.people(req.db).add(try req.content.decode(PeopleDirectory.Input.self), actor: user.email)
        let response = try await PersonDTO(person).encodeResponse(for: req)
        response.status = .created
        return response
    }
}
