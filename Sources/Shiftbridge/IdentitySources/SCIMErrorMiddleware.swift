import ShiftbridgeCore
import Vapor

/// Turns every failure under `/scim/v2` into a SCIM error body, the only kind SCIM clients read.
struct SCIMErrorMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch let error as SCIMError {
            return SCIMResponse.make(HTTPResponseStatus(statusCode: error.status), error.json)
        } catch let error as any AbortError where error.status.code < 500 {
            // Vapor's own refusals: a body over the limit, a wrong content type.
            return SCIMResponse.make(error.status, SCIMError(status: Int(error.status.code), nil, error.reason).json)
        } catch {
            request.logger.error("SCIM request failed", metadata: ["error": "\(String(describing: error).prefix(300))"])
            return SCIMResponse.make(.internalServerError, SCIMError(status: 500, nil, "The change was not made; try again").json)
        }
    }
}
