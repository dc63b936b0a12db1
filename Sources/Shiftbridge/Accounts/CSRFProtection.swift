import Crypto
import Foundation
import Vapor

/// Cross-site request forgery protection for cookie-borne requests, signed-in or not, without
/// a session row: a random cookie, and forms that carry its HMAC, bound to the browser
/// session, under a key derived from the secret key. A cookie planted by another site is
/// useless without the matching token, and a token taken while signed out (from `/sign-in`)
/// is worth nothing once signed in. Token-authenticated API calls are exempt: no browser
/// sends them on its own.
struct CSRFProtection: AsyncMiddleware {
    static let formField = "_csrf"
    static let header = "X-CSRF-Token"

    let key: SymmetricKey
    let secureCookies: Bool

    /// `__Host-` under https, like the session cookie.
    var cookieName: String { secureCookies ? "__Host-shiftbridge_csrf" : "shiftbridge_csrf" }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        // The session this request came with (sessions run first): none while signed out.
        let binding = request.hasBrowserSession ? request.browserSession.stored?.id ?? "" : ""
        let state = CSRFState(key: key, cookie: request.cookies[cookieName]?.string, binding: binding)
        request.storage[CSRFState.Key.self] = state
        let safe: [HTTPMethod] = [.GET, .HEAD, .OPTIONS]
        if !safe.contains(request.method), !request.auth.has(TokenAuthentication.self) {
            let sent = request.headers.first(name: Self.header) ?? (try? request.content.get(String.self, at: Self.formField))
            guard let cookie = state.cookie, let sent, Self.constantTimeEqual(sent, state.token(for: cookie)) else {
                throw AppError(.forbidden, code: "csrf_failed", "The form expired or did not come from this site. Reload the page and try again.")
            }
        }
        let response = try await next.respond(to: request)
        if let fresh = state.issued {
            response.cookies[cookieName] = HTTPCookies.Value(string: fresh, path: "/", isSecure: secureCookies, isHTTPOnly: true, sameSite: .lax)
        }
        return response
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

extension Request {
    /// The token this request's forms post back; forms rendered for another browser fail.
    var csrfToken: String {
        storage[CSRFState.Key.self]?.token ?? ""
    }

    func rotateCSRF() {
        storage[CSRFState.Key.self]?.rotate()
    }
}
