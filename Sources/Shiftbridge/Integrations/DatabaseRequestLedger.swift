import Fluent
import Foundation
import PagerDutyKit
import SQLKit

/// The request allowance of each minute (a PagerDuty credential's, a Slack workspace's
/// method), counted in the database every instance shares: one statement takes a share only
/// while the minute has room, so instances together never plan more than the limit.
struct DatabaseRequestLedger: RequestLedger {
    static let schema = "request_budgets"
    let db: any Database

    func take(_ wanted: Int, key: String, minute: Int64, limit: Int) async throws -> Int {
        guard let sql = db as? any SQLDatabase, wanted > 0 else { return wanted }
        // Minutes long past are of no use to anyone.
        if minute % 10 == 0 {
            try await sql.raw("DELETE FROM \(ident: Self.schema) WHERE credential = \(bind: key) AND minute < \(bind: minute - 10)").run()
        }
        try await sql.raw("""
            INSERT INTO \(ident: Self.schema) (credential, minute, used) VALUES (\(bind: key), \(bind: minute), 0)
            ON CONFLICT (credential, minute) DO NOTHING
            """).run()
        // The whole share if the minute has room, else what is left of it (tried once more).
        var share = wanted
        for _ in 0..<2 {
            let taken = try await sql.raw("""
                UPDATE \(ident: Self.schema) SET used = used + \(bind: share)
                WHERE credential = \(bind: key) AND minute = \(bind: minute) AND used + \(bind: share) <= \(bind: limit)
                RETURNING used
                """).all()
            if !taken.isEmpty { return share }
            let used = try await sql.raw("""
                SELECT used FROM \(ident: Self.schema) WHERE credential = \(bind: key) AND minute = \(bind: minute)
                """).first()?.decode(column: "used", as: Int.self) ?? limit
            share = min(wanted, limit - used)
            guard share > 0 else { return 0 }
        }
        return 0
    }
}
