import Vapor

/// Sessions for the API only when the caller brings a session cookie and no token: a token
/// call must not read or touch a browser session (nor cost a database read).
struct CookieSessionsOnly: AsyncMiddleware {
    let sessions: BrowserSessionMiddleware

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.cookies[sessions.cookieName] != nil, request.headers[.authorization].isEmpty else {
            return try await next.respond(to: request)
        }
        return try await sessions.respond(to: request, chainingTo: next)
    }
}
