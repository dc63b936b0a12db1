import Fluent
import Foundation

/// The bearer tokens identity providers push people with: made with a name and shown once,
/// kept as a digest, listed with their last use, revoked at once.
struct SCIMTokens {
    let db: any Database
    let clock: any AppClock
    /// The base URL an identity provider is given (and `meta.location`) comes from here.
    let links: PublicLinks

    /// Where the service provider is, under the public address.
    static let basePath = "/scim/v2"

    /// Returns the token in clear exactly once. A token is of no use without the base URL that
    /// goes with it: none is made until `SHIFTBRIDGE_PUBLIC_URL` is set.
    func create(name rawName: String, actor: String) async throws -> (SCIMToken, String) {
        _ = try links.url(Self.basePath)
        let name = rawName.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.unicodeScalars.count <= APITokens.maxNameLength else {
            throw AppError.invalidField("name", "say which identity provider uses it, such as 'okta' (at most \(APITokens.maxNameLength) characters)")
        }
        let value = SCIMToken.prefix + APIToken.generate().dropFirst(APIToken.prefix.count)
        let token = SCIMToken(name: name, token: value, createdBy: actor, at: clock.now())
        try await db.transaction { db in
            try await token.create(on: db)
            try await AuditEvent.record(on: db, at: clock.now(), actor: actor, .scimTokenCreated, .provisioning("scim"),
                                        after: "SCIM token '\(name)' ending \(token.last4)")
        }
        return (token, value)
    }

    func list() async throws -> [SCIMToken] {
        try await SCIMToken.query(on: db).sort(\.$createdAt, .descending).all()
    }

    func revoke(_ id: UUID?, actor: String) async throws {
        guard let id, let token = try await SCIMToken.find(id, on: db), token.revokedAt == nil else { throw AppError.notFound("SCIM token") }
        try await db.transaction { db in
            token.revokedAt = clock.now()
            try await token.save(on: db)
            try await AuditEvent.record(on: db, at: clock.now(), actor: actor, .scimTokenRevoked, .provisioning("scim"),
                                        before: "SCIM token '\(token.name)' ending \(token.last4)")
        }
    }

    /// The live token a request presents, its use noted (at most once a minute).
    func authenticate(_ presented: String) async throws -> SCIMToken? {
        guard presented.hasPrefix(SCIMToken.prefix),
              let token = try await SCIMToken.query(on: db).filter(\.$tokenHash == APIToken.digest(presented)).filter(\.$revokedAt == nil).first()
        else { return nil }
        let now = clock.now()
        if token.lastUsedAt.map({ now.timeIntervalSince($0) > 60 }) ?? true {
            token.lastUsedAt = now
            try await token.save(on: db)
        }
        return token
    }
}
