import Foundation

/// A token's user, as the authenticator found it (kept in the token-check cache).
struct AuthenticatedToken: Sendable {
    let user: User
    let tokenID: UUID
}
