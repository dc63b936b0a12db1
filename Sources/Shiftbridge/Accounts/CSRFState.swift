import Crypto
import Foundation
import Vapor

/// One request's CSRF cookie: the one it brought, or a new one issued for its forms. Tokens
/// are bound to `binding` (the session's id digest; empty while signed out).
final class CSRFState: @unchecked Sendable {
    struct Key: StorageKey { typealias Value = CSRFState }

    private let key: SymmetricKey
    private let binding: String
    private(set) var cookie: String?
    private(set) var issued: String?

    init(key: SymmetricKey, cookie: String?, binding: String) {
        self.key = key
        self.binding = binding
        self.cookie = cookie.flatMap { $0.isEmpty ? nil : $0 }
    }

    func token(for cookie: String) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: Data("\(cookie)\n\(binding)".utf8), using: key)).base64EncodedString()
    }

    /// The token forms carry, issuing a cookie when the browser has none.
    var token: String {
        if let cookie { return token(for: cookie) }
        return token(for: rotate())
    }

    /// A new cookie (at sign-in and sign-out): forms rendered before no longer post.
    @discardableResult
    func rotate() -> String {
        let fresh = BrowserSessionMiddleware.newToken()
        cookie = fresh
        issued = fresh
        return fresh
    }
}
