import Foundation

/// What every feature throws: a kind (which the HTTP layer alone maps to a status), a stable
/// code for scripts, and a message that says what to fix.
struct AppError: Error, Sendable, CustomStringConvertible {
    enum Kind: Sendable, Equatable {
        /// `malformed`: the request itself cannot be read; `invalid`: it can, and a field is wrong.
        case malformed, invalid, conflict, notFound, forbidden, unauthenticated, upstream, unavailable, rateLimited, tooLarge, unsupportedMediaType
        case methodNotAllowed, `internal`
    }

    struct Problem: Sendable, Equatable, Codable {
        /// The line of an imported file, where the problem has one.
        let line: Int?
        let message: String
    }

    let kind: Kind
    let code: String
    let message: String
    var problems: [Problem]? = nil
    /// Seconds to wait before trying again, for `rateLimited`.
    var retryAfter: Int? = nil

    init(_ kind: Kind, code: String, _ message: String, problems: [Problem]? = nil, retryAfter: Int? = nil) {
        self.kind = kind
        self.code = code
        self.message = message
        self.problems = problems
        self.retryAfter = retryAfter
    }

    var description: String { message }

    static func invalidField(_ field: String, _ problem: String) -> AppError {
        AppError(.invalid, code: "invalid_field", "\(field): \(problem)")
    }

    static func notFound(_ what: String) -> AppError {
        AppError(.notFound, code: "not_found", "\(what) was not found")
    }

    /// A command line that cannot be run as given; the message shows the usage.
    static func usage(_ message: String) -> AppError {
        AppError(.invalid, code: "usage", message)
    }

    /// Several problems found at once (rules, settings): the message names them all.
    static func invalid(_ message: String, _ problems: [String]) -> AppError {
        AppError(.invalid, code: "invalid", "\(message): \(problems.joined(separator: "; "))", problems: problems.map { Problem(line: nil, message: $0) })
    }

    static let adminOnly = AppError(.forbidden, code: "forbidden", "Only administrators may do this")
}
