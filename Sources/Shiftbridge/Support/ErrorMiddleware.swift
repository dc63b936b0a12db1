import Vapor

/// Turns every thrown error into a response: JSON under `/api/`, a readable page elsewhere.
/// Server errors are logged with their details; the client sees a generic message.
struct AppErrorMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            let apiError = APIError.from(error)
            if apiError.status.code >= 500 {
                request.logger.report(error: error)
            }
            if request.url.path.hasPrefix("/api/") {
                let response = Response(status: apiError.status)
                try response.content.encode(ErrorBody(error: .init(message: apiError.message, code: apiError.code, problems: apiError.problems)))
                return response
            }
            let page = ErrorPage(status: apiError.status, message: apiError.message)
            return HTMLResponse.make(status: apiError.status, html: page.render())
        }
    }
}

/// Headers that keep the dashboard from being framed or sniffed, and keep it on its own assets.
struct SecurityHeadersMiddleware: AsyncMiddleware {
    let contentSecurityPolicy: String

    /// `form-action` also names where a form's redirect may lead (the OAuth authorize pages).
    init(formActionSources: [String]) {
        contentSecurityPolicy = [
            "default-src 'self'", "img-src 'self' data:", "frame-ancestors 'none'", "base-uri 'none'", "object-src 'none'",
            "form-action \(formActionSources.joined(separator: " "))",
        ].joined(separator: "; ")
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        response.headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
        response.headers.replaceOrAdd(name: "Content-Security-Policy", value: contentSecurityPolicy)
        return response
    }
}
