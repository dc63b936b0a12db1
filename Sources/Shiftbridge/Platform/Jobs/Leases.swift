import Fluent
import Foundation
import SQLKit

/// Database leases: `acquire` succeeds for one holder at a time until the lease expires.
enum Leases {
    /// A new instance identity, as lease holder and work claimant: the host and process, and
    /// a random part so two instances in one process (tests) differ.
    static func newHolder() -> String {
        "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))"
    }

    /// Takes or renews `name` for `ttl` seconds; false while another holder has it.
    static func acquire(_ name: String, ttl: TimeInterval, on db: any Database, holder: String, now: Date) async throws -> Bool {
        guard let sql = db as? any SQLDatabase else { throw Unsupported() }
        let expires = now.addingTimeInterval(ttl)
        // One statement either way, so two instances cannot both win.
        try await sql.raw("""
            INSERT INTO leases (name, holder, expires_at) VALUES (\(bind: name), \(bind: holder), \(bind: expires))
            ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
            WHERE leases.holder = excluded.holder OR leases.expires_at < \(bind: now)
            """).run()
        let current = try await Lease.find(name, on: db)
        return current?.holder == holder
    }

    /// A database that cannot take a lease in one statement grants none (never every caller).
    struct Unsupported: Error, CustomStringConvertible {
        var description: String { "this database cannot hold leases (it speaks no SQL)" }
    }

    static func release(_ name: String, on db: any Database, holder: String) async throws {
        try await Lease.query(on: db).filter(\.$id == name).filter(\.$holder == holder).delete()
    }
}
