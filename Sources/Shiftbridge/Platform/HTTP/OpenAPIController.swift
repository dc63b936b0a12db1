import Foundation
import Vapor

/// `GET /api/v1/openapi.json`: the JSON API described (the same file is in the repository
/// at `Sources/Shiftbridge/OpenAPI/openapi.json`; a test keeps it true to the route table).
struct OpenAPIController {
    static let document: Data? = Bundle.module.url(forResource: "openapi", withExtension: "json", subdirectory: "OpenAPI")
        .flatMap { try? Data(contentsOf: $0) }

    func boot(open: any RoutesBuilder) {
        open.get("api", "v1", "openapi.json", use: document).publicAccess()
    }

    func document(req: Request) async throws -> Response {
        guard let data = Self.document else { throw AppError(.unavailable, code: "no_document", "The API description is missing from this build") }
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }
}
