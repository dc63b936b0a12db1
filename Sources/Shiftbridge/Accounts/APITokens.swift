import Fluent
import Foundation

/// API tokens: issued with a name, listed with their last use, revoked at once (this
/// instance forgets a revoked token immediately; others within the check cache's 10 s).
struct APITokens {
    let db: any Database
    let cache: ReadCache<AuthenticatedToken>
    let clock: any AppClock

    static let maxNameLength = 100

    /// Returns the token in clear exactly once; only its digest is kept.
    func issue(for user: User, name rawName: String, actor: String) async throws -> (APIToken, String) {
        let name = rawName.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.unicodeScalars.count <= Self.maxNameLength else {
            throw AppError.invalidField("name", "say what uses the token, such as 'grafana' (at most \(Self.maxNameLength) characters)")
        }
        let value = APIToken.generate()
        let token = APIToken(userID: try user.requireID(), name: name, token: value, createdAt: clock.now())
        try await db.transaction { db in
            try await token.create(on: db)
            try await AuditEvent.record(on: db, at: clock.now(), actor: actor, .apiTokenCreated, .user(email: user.email),
                                        after: "token '\(name)' ending \(SecretBox.last4(value))")
        }
        return (token, value)
    }

    /// The viewer's own tokens; every token for an administrator who asks for all.
    func list(for viewer: User, all: Bool) async throws -> [APIToken] {
        var query = APIToken.query(on: db).with(\.$user).sort(\.$createdAt, .descending)
        if !(all && viewer.isAdmin) { query = query.filter(\.$user.$id == (try viewer.requireID())) }
        return try await query.all()
    }

    /// Revokes a token its owner or an administrator names.
    func revoke(_ id: UUID?, by viewer: User) async throws {
        guard let id, let token = try await APIToken.query(on: db).filter(\.$id == id).with(\.$user).first(),
              viewer.isAdmin || token.$user.id == viewer.id
        else { throw AppError.notFound("API token") }
        try await db.transaction { db in
            try await token.delete(on: db)
            try await AuditEvent.record(on: db, at: clock.now(), actor: viewer.email, .apiTokenRevoked, .user(email: token.user.email),
                                        before: "token '\(token.name)' ending \(token.last4)")
        }
        cache.remove(token.tokenHash)
    }
}
