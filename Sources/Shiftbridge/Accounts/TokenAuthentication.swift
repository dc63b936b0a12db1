import Vapor

/// Marks a request as authenticated by an API token (not a browser session), so CSRF
/// checks, which protect cookie-based sessions, do not apply to it.
struct TokenAuthentication: Authenticatable {
    let tokenID: UUID
}
