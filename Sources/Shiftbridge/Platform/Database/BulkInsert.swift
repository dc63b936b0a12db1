import Fluent
import SQLKit

/// Thousands of rows in a few statements. Fluent's models encode each row through several
/// layers; an import of 10,000 employees spends most of its time there.
enum BulkInsert {
    static func rows(into table: String, columns: [String], _ rows: [[any Encodable & Sendable]], on db: any Database) async throws {
        guard !rows.isEmpty else { return }
        guard let sql = db as? any SQLDatabase else { throw BulkInsertUnsupported() }
        // Under SQLite's and PostgreSQL's limits on bound values per statement.
        let perStatement = max(1, 30_000 / columns.count)
        for start in stride(from: 0, to: rows.count, by: perStatement) {
            var insert = sql.insert(into: table).columns(columns)
            for row in rows[start..<min(start + perStatement, rows.count)] { insert = insert.values(row) }
            try await insert.run()
        }
    }

    struct BulkInsertUnsupported: Error {}
}
