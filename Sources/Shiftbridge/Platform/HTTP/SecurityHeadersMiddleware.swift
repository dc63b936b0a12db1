import Vapor

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
