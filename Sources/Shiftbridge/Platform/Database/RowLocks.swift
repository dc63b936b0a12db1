import Fluent
import Foundation
import SQLKit

/// Rows locked for read → decide → write inside one transaction. On PostgreSQL the rows stay
/// locked until the transaction ends, so a second writer (another instance's job, an admin's
/// click) waits, then reads what the first one wrote and decides again. SQLite transactions
/// take the database's write lock first (`SQLiteWriteTransactions`), which serialises them
/// already.
enum RowLocks {
    /// Outside a transaction a lock would hold nothing: that is a mistake, and throws.
    static func lock(_ table: String, where column: String = "id", in ids: [UUID], on db: any Database) async throws {
        guard db.inTransaction else { throw NotInTransaction(table: table) }
        guard !ids.isEmpty, let sql = db as? any SQLDatabase, sql.dialect.name == "postgresql" else { return }
        for start in stride(from: 0, to: ids.count, by: 1000) {
            let chunk = ids[start..<min(start + 1000, ids.count)].map { $0 as any Encodable & Sendable }
            try await sql.raw("SELECT 1 FROM \(ident: table) WHERE \(ident: column) IN (\(binds: chunk)) ORDER BY \(ident: column) FOR UPDATE").run()
        }
    }

    struct NotInTransaction: Error, CustomStringConvertible {
        let table: String
        var description: String { "rows of \(table) were to be locked outside a transaction, where a lock holds nothing" }
    }
}
