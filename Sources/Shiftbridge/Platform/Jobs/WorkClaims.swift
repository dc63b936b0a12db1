import Fluent
import Foundation
import SQLKit

/// Work items (a webhook delivery, a provisioning change) are claimed one by one before they
/// are worked on: one statement sets the claim only if nobody holds it, so two instances
/// never send the same delivery or apply the same change. A claim outlives one attempt and is
/// cleared with the item's outcome; one left by a stopped instance lapses and the item is
/// picked up again.
enum WorkClaims {
    /// Claims row `id` of `table` for `holder` until `until`, if `condition` still holds and
    /// no live claim exists. True when this caller got it.
    static func claim(_ table: String, id: UUID, holder: String, until: Date, now: Date, condition: SQLQueryString, on db: any Database) async throws -> Bool {
        guard let sql = db as? any SQLDatabase else { throw Leases.Unsupported() }
        let claimed = try await sql.raw("""
            UPDATE \(ident: table) SET claimed_by = \(bind: holder), claimed_until = \(bind: until)
            WHERE id = \(bind: id) AND (claimed_until IS NULL OR claimed_until < \(bind: now)) AND \(condition)
            RETURNING id
            """).all()
        return !claimed.isEmpty
    }
}
