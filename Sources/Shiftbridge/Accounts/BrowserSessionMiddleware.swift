import Crypto
import Fluent
import Foundation
import Vapor

/// Reads the session cookie, signs its user in, and writes what changed when the response
/// leaves: a new row (and id) at sign-in, the row's removal at sign-out, new values otherwise.
struct BrowserSessionMiddleware: AsyncMiddleware {
    let secureCookies: Bool
    let clock: any AppClock

    /// Under https the cookie is `__Host-` prefixed: browsers then take it only when it is
    /// Secure, for the whole site and this host alone (no sibling domain can plant one).
    static func cookieName(secure: Bool) -> String { secure ? "__Host-shiftbridge_session" : "shiftbridge_session" }
    var cookieName: String { Self.cookieName(secure: secureCookies) }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        var stored: WebSession?
        if let cookie = request.cookies[cookieName]?.string, !cookie.isEmpty {
            stored = try await WebSession.query(on: request.db).filter(\.$id == Self.digest(cookie)).filter(\.$expiresAt > clock.now())
                .with(\.$user).first()
        }
        var values: [String: String] = [:]
        if let row = stored {
            do {
                values = try StoredJSON.decode([String: String].self, from: row.data, table: WebSession.schema, id: nil, field: "data")
            } catch {
                // A session whose values cannot be read is ended, not guessed at: sign in again.
                request.logger.warning("a browser session's stored values cannot be read; it was ended")
                try await row.delete(on: request.db)
                stored = nil
            }
        }
        let session = BrowserSession(stored: stored, values: values)
        request.setBrowserSession(session)
        if let stored { request.auth.login(stored.user) }

        let response = try await next.respond(to: request)

        switch session.change {
        case .signIn(let user):
            if let stored { try await stored.delete(on: request.db) }
            let token = Self.newToken()
            try await WebSession(idHash: Self.digest(token), userID: try user.requireID(), data: Self.encode(session.values), createdAt: clock.now())
                .create(on: request.db)
            response.cookies[cookieName] = cookie(token)
        case .signOut:
            if let stored { try await stored.delete(on: request.db) }
            response.cookies[cookieName] = .expired
        case .none:
            if let stored, session.valuesChanged {
                stored.data = Self.encode(session.values)
                try await stored.save(on: request.db)
            } else if stored == nil, request.cookies[cookieName] != nil {
                // An unknown or expired id: the browser forgets it.
                response.cookies[cookieName] = .expired
            }
        }
        return response
    }

    private func cookie(_ token: String) -> HTTPCookies.Value {
        HTTPCookies.Value(string: token, maxAge: Int(WebSession.lifetime), path: "/", isSecure: secureCookies, isHTTPOnly: true, sameSite: .lax)
    }

    static func newToken() -> String {
        Data(SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func digest(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static func encode(_ values: [String: String]) -> String {
        StoredJSON.encode(values)
    }
}
