import Fluent
import Foundation
import SQLKit

/// A signed request already taken (Slack's slash commands and, later, interactions), kept
/// until its signature's window has passed: the same request again is a replay.
final class SeenRequest: Model, @unchecked Sendable {
    static let schema = "seen_requests"

    /// SHA-256 of the request's signature.
    @ID(custom: "key", generatedBy: .user) var id: String?
    @Field(key: "expires_at") var expiresAt: Date

    init() {}

    /// True the first time `key` is seen (before `expires`), on every instance at once: the
    /// insert either adds the row or finds it there.
    static func firstSighting(_ key: String, until expires: Date, on db: any Database) async throws -> Bool {
        guard let sql = db as? any SQLDatabase else { throw AppError(.internal, code: "no_sql", "The database cannot record requests") }
        let added = try await sql.raw("""
            INSERT INTO \(ident: schema) (\(ident: "key"), \(ident: "expires_at")) VALUES (\(bind: key), \(bind: expires))
            ON CONFLICT (\(ident: "key")) DO NOTHING RETURNING \(ident: "key")
            """).all()
        return !added.isEmpty
    }
}
