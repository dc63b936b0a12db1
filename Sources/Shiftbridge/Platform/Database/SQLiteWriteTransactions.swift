import Fluent
import FluentSQLiteDriver
import Logging
import NIOCore
import SQLKit

/// The embedded SQLite, made safe for concurrent writers. Fluent opens one connection per
/// event loop and begins transactions DEFERRED: a transaction that reads and then writes
/// fails at once with "database is locked" when another connection wrote in between (a 500
/// under any concurrency). Here every transaction begins IMMEDIATE (taking the write lock
/// first, waiting for it under the connection's busy timeout), and the rest is Fluent's.
struct SQLiteWriteTransactions: DatabaseConfiguration {
    var base: any DatabaseConfiguration

    var middleware: [any AnyModelMiddleware] {
        get { base.middleware }
        set { base.middleware = newValue }
    }

    func makeDriver(for databases: Databases) -> any DatabaseDriver {
        Driver(base: base.makeDriver(for: databases))
    }

    struct Driver: DatabaseDriver {
        let base: any DatabaseDriver
        let gate = SQLiteWriteGate()

        func makeDatabase(with context: DatabaseContext) -> any Database {
            Connection(base: base.makeDatabase(with: context), inTransaction: false, gate: gate)
        }

        func shutdown() { base.shutdown() }
        func shutdownAsync() async { await base.shutdownAsync() }
    }

    /// Fluent's SQLite database with IMMEDIATE transactions; everything else is passed on.
    struct Connection: Database, SQLDatabase {
        let base: any Database
        let inTransaction: Bool
        let gate: SQLiteWriteGate
        private var sql: any SQLDatabase { base as! any SQLDatabase }

        var context: DatabaseContext { base.context }

        func execute(query: DatabaseQuery, onOutput: @escaping @Sendable (any DatabaseOutput) -> ()) -> EventLoopFuture<Void> {
            base.execute(query: query, onOutput: onOutput)
        }

        func execute(schema: DatabaseSchema) -> EventLoopFuture<Void> { base.execute(schema: schema) }
        func execute(enum: DatabaseEnum) -> EventLoopFuture<Void> { base.execute(enum: `enum`) }

        func transaction<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
            guard !inTransaction else { return closure(self) }
            let gate = self.gate
            return gate.enter(on: eventLoop).flatMap {
                base.withConnection { connection in
                    let db = Connection(base: connection, inTransaction: true, gate: gate)
                    return db.run("BEGIN IMMEDIATE").flatMap {
                        closure(db).flatMap { result in db.run("COMMIT").map { result } }
                            .flatMapError { error in db.run("ROLLBACK").flatMapThrowing { throw error }.flatMapErrorThrowing { _ in throw error } }
                    }
                }
                .always { _ in gate.leave() }
            }
        }

        func withConnection<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
            let inTransaction = self.inTransaction
            let gate = self.gate
            return base.withConnection { closure(Connection(base: $0, inTransaction: inTransaction, gate: gate)) }
        }

        private func run(_ statement: String) -> EventLoopFuture<Void> {
            sql.execute(sql: SQLRaw(statement)) { _ in }
        }

        // SQLKit, for raw statements and bulk inserts.
        var logger: Logger { sql.logger }
        var eventLoop: any EventLoop { sql.eventLoop }
        var version: (any SQLDatabaseReportedVersion)? { sql.version }
        var dialect: any SQLDialect { sql.dialect }
        var queryLogLevel: Logger.Level? { sql.queryLogLevel }

        func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) -> EventLoopFuture<Void> {
            sql.execute(sql: query, onRow)
        }

        func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) async throws {
            try await sql.execute(sql: query, onRow)
        }
    }
}
