import Vapor

/// Pages: a visitor without a session goes to sign-in (or to first-run set-up).
struct RequireUserPageMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.auth.has(User.self) else {
            let next = request.url.path + (request.url.query.map { "?\($0)" } ?? "")
            let target = next == "/" ? "/sign-in" : "/sign-in?next=\(next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
            return request.redirectFound(to: target)
        }
        return try await next.respond(to: request)
    }
}
