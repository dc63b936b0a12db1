import Fluent
import Vapor

/// Marks a request as authenticated by an API token (not a browser session), so CSRF
/// checks, which protect cookie-based sessions, do not apply to it.
struct TokenAuthentication: Authenticatable {
    let tokenID: UUID
}

/// `Authorization: Bearer <token>` → the token's user.
struct BearerTokenAuthenticator: AsyncBearerAuthenticator {
    func authenticate(bearer: BearerAuthorization, for request: Request) async throws {
        guard bearer.token.hasPrefix(APIToken.prefix) else { return }
        let digest = APIToken.digest(bearer.token)
        // A token checked in the last few seconds is not looked up again.
        if let known = request.application.tokenCache.get(digest) {
            request.auth.login(known.user)
            request.auth.login(TokenAuthentication(tokenID: known.tokenID))
            return
        }
        guard let token = try await APIToken.query(on: request.db)
            .filter(\.$tokenHash == digest)
            .with(\.$user)
            .first(),
            let tokenID = token.id
        else { return }
        request.auth.login(token.user)
        request.auth.login(TokenAuthentication(tokenID: tokenID))
        request.application.tokenCache.set(digest, AuthenticatedToken(user: token.user, tokenID: tokenID))
        // Record use at most once a minute per token, to keep reads cheap.
        let now = Date()
        if token.lastUsedAt.map({ now.timeIntervalSince($0) > 60 }) ?? true {
            token.lastUsedAt = now
            try await token.save(on: request.db)
        }
    }
}

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

/// API: no session and no valid token is a 401 with a JSON body.
struct RequireUserAPIMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.auth.has(User.self) else { throw APIError.unauthenticated }
        return try await next.respond(to: request)
    }
}

/// Synchronizer-token CSRF protection for cookie-authenticated, state-changing requests.
/// Forms send `_csrf`; scripts send `X-CSRF-Token`. Token-authenticated API calls are exempt.
struct CSRFMiddleware: AsyncMiddleware {
    static let formField = "_csrf"
    static let header = "X-CSRF-Token"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let safe: [HTTPMethod] = [.GET, .HEAD, .OPTIONS]
        if !safe.contains(request.method), !request.auth.has(TokenAuthentication.self) {
            let sent = request.headers.first(name: Self.header)
                ?? (try? request.content.get(String.self, at: Self.formField))
            guard let expected = request.session.data["csrf"], let sent,
                  sent.utf8.count == expected.utf8.count,
                  zip(sent.utf8, expected.utf8).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0
            else {
                throw Abort(.forbidden, reason: "The form expired or did not come from this site. Reload the page and try again.")
            }
        }
        return try await next.respond(to: request)
    }
}

extension Request {
    /// This session's CSRF token, created on first use.
    var csrfToken: String {
        if let token = session.data["csrf"] { return token }
        let token = [UInt8].random(count: 24).base64String()
        session.data["csrf"] = token
        return token
    }
}

extension Route {
    /// Marks a route as reachable without signing in. The access test enumerates every
    /// route and requires all others to refuse anonymous requests.
    @discardableResult
    func publicAccess() -> Route {
        userInfo["public"] = true
        return self
    }

    var isPublic: Bool { userInfo["public"] as? Bool ?? false }

    /// Marks a browser callback (such as OAuth's): it needs a session but answers an
    /// anonymous visitor with a redirect to sign-in, even under `/api/`.
    @discardableResult
    func callbackAccess() -> Route {
        userInfo["callback"] = true
        return self
    }

    var isCallback: Bool { userInfo["callback"] as? Bool ?? false }
}

/// Sessions for the API only when the caller brings a session cookie and no token: a token
/// call must not read, create or extend a browser session (nor cost a database write).
struct CookieSessionsOnly: AsyncMiddleware {
    let cookieName: String
    let middleware: [any Middleware]

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.cookies[cookieName] != nil, request.headers[.authorization].isEmpty else {
            return try await next.respond(to: request)
        }
        return try await middleware.makeResponder(chainingTo: next).respond(to: request).get()
    }
}
