import Vapor

/// API: no session and no valid token is a 401 with a JSON body.
struct RequireUserAPIMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.auth.has(User.self) else {
            throw AppError(.unauthenticated, code: "unauthenticated",
                           "Sign in, or send 'Authorization: Bearer <token>' with a token from Settings → API tokens or 'shiftbridge admin token'")
        }
        return try await next.respond(to: request)
    }
}
