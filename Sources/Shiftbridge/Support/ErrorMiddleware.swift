import Vapor

/// Turns every thrown error into a response: JSON under `/api/`, a readable page elsewhere.
/// Server errors are logged with their details; the client sees a generic message.
struct AppErrorMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            var apiError = APIError.from(error)
            // No route for this method, but one for the path: 405 and what is allowed.
            var allowed: [HTTPMethod] = []
            if apiError.status == .notFound, request.route == nil {
                allowed = Self.methods(for: request.url.path, in: request.application.routes.all)
                if !allowed.isEmpty {
                    apiError = APIError(status: .methodNotAllowed, code: "method_not_allowed",
                                        message: "\(request.method) is not supported here; use \(allowed.map(\.rawValue).joined(separator: ", "))")
                }
            }
            if apiError.status.code >= 500 {
                request.logger.report(error: error)
            }
            let response: Response
            if request.url.path.hasPrefix("/api/") || request.url.path.hasPrefix("/hooks/") {
                response = Response(status: apiError.status)
                try response.content.encode(ErrorBody(error: .init(message: apiError.message, code: apiError.code, problems: apiError.problems)))
            } else {
                response = HTMLResponse.make(status: apiError.status, html: ErrorPage(status: apiError.status, message: apiError.message).render())
            }
            if !allowed.isEmpty { response.headers.replaceOrAdd(name: .allow, value: allowed.map(\.rawValue).joined(separator: ", ")) }
            if let retryAfter = (error as? AppError)?.retryAfter { response.headers.replaceOrAdd(name: .retryAfter, value: "\(retryAfter)") }
            return response
        }
    }
}

extension AppErrorMiddleware {
    /// The methods some route answers for `path` (HEAD goes with GET).
    static func methods(for path: String, in routes: [Route]) -> [HTTPMethod] {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        var methods: [HTTPMethod] = []
        for route in routes where route.path.count == parts.count || route.path.last == .catchall {
            let matches = zip(route.path, parts).allSatisfy { component, part in
                switch component {
                case .constant(let value): value == part
                case .parameter, .anything, .catchall: true
                }
            }
            if matches && !methods.contains(route.method) { methods.append(route.method) }
        }
        return methods.sorted { $0.rawValue < $1.rawValue }
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
