import Plot
import Vapor

/// What every page needs from the request: who is signed in, the CSRF token, a flash.
struct PageContext: Sendable {
    var title: String
    var section: Section?
    var userEmail: String?
    var isAdmin = false
    var csrfToken: String
    var flash: Flash?

    struct Flash: Sendable, Codable {
        enum Kind: String, Sendable, Codable { case success, error, info }
        let kind: Kind
        let message: String
    }
}
