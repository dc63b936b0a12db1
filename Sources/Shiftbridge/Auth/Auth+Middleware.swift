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
/// call must not read or touch a browser session (nor cost a database read).
struct CookieSessionsOnly: AsyncMiddleware {
    let sessions: BrowserSessionMiddleware

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.cookies[BrowserSessionMiddleware.cookieName] != nil, request.headers[.authorization].isEmpty else {
            return try await next.respond(to: request)
        }
        return try await sessions.respond(to: request, chainingTo: next)
    }
}
