import Fluent
import FluentSQLiteDriver
import Logging
import NIOConcurrencyHelpers
import NIOCore
import SQLKit

/// The app's database, on either driver, with transactions it can rely on:
/// - work that must follow a commit runs after it, not before (`afterCommit`): the duty
///   cache is dropped once a write is visible, so a read in between cannot refill it with
///   what is about to change;
/// - on the embedded SQLite, every transaction begins IMMEDIATE (taking the write lock
///   first) and writers queue in process (`SQLiteWriteGate`): Fluent's DEFERRED
///   transactions fail at once with "database is locked" when another connection wrote
///   between their read and their write.
/// Everything else is the driver's own.
struct AppTransactions: DatabaseConfiguration {
    var base: any DatabaseConfiguration
    /// SQLite: IMMEDIATE transactions, queued in process.
    var immediate: Bool

    var middleware: [any AnyModelMiddleware] {
        get { base.middleware }
        set { base.middleware = newValue }
    }

    func makeDriver(for databases: Databases) -> any DatabaseDriver {
        Driver(base: base.makeDriver(for: databases), gate: immediate ? SQLiteWriteGate() : nil)
    }

    struct Driver: DatabaseDriver {
        let base: any DatabaseDriver
        let gate: SQLiteWriteGate?

        func makeDatabase(with context: DatabaseContext) -> any Database {
            Connection(base: base.makeDatabase(with: context), gate: gate, commit: nil)
        }

        func shutdown() { base.shutdown() }
        func shutdownAsync() async { await base.shutdownAsync() }
    }

    /// What runs once a transaction has committed (nothing, if it rolls back).
    final class Commit: Sendable {
        private let actions = NIOLockedValueBox<[@Sendable () -> Void]>([])
        func append(_ action: @escaping @Sendable () -> Void) { actions.withLockedValue { $0.append(action) } }
        func run() { for action in actions.withLockedValue({ $0 }) { action() } }
    }

    /// The driver's database, transactions as above; everything else is passed on.
    struct Connection: Database, SQLDatabase {
        let base: any Database
        let gate: SQLiteWriteGate?
        /// Set inside a transaction.
        let commit: Commit?
        private var sql: any SQLDatabase { base as! any SQLDatabase }

        var context: DatabaseContext { base.context }
        var inTransaction: Bool { commit != nil }

        func execute(query: DatabaseQuery, onOutput: @escaping @Sendable (any DatabaseOutput) -> ()) -> EventLoopFuture<Void> {
            base.execute(query: query, onOutput: onOutput)
        }

        func execute(schema: DatabaseSchema) -> EventLoopFuture<Void> { base.execute(schema: schema) }
        func execute(enum: DatabaseEnum) -> EventLoopFuture<Void> { base.execute(enum: `enum`) }

        /// Runs `action` once the enclosing transaction commits; at once outside one.
        func afterCommit(_ action: @escaping @Sendable () -> Void) {
            if let commit { commit.append(action) } else { action() }
        }

        func transaction<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
            guard commit == nil else { return closure(self) }
            let commit = Commit()
            guard let gate else {
                return base.transaction { inner in closure(Connection(base: inner, gate: nil, commit: commit)) }
                    .map { result in commit.run(); return result }
            }
            return gate.enter(on: eventLoop).flatMap {
                base.withConnection { connection in
                    let db = Connection(base: connection, gate: gate, commit: commit)
                    return db.run("BEGIN IMMEDIATE").flatMap {
                        closure(db).flatMap { result in db.run("COMMIT").map { result } }
                            .flatMapError { error in db.run("ROLLBACK").flatMapThrowing { throw error }.flatMapErrorThrowing { _ in throw error } }
                    }
                }
                .always { _ in gate.leave() }
            }
            .map { result in commit.run(); return result }
        }

        func withConnection<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
            let gate = self.gate, commit = self.commit
            return base.withConnection { closure(Connection(base: $0, gate: gate, commit: commit)) }
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

        /// One connection for the closure's statements (PostgreSQL's advisory locks need it).
        func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
            try await sql.withSession(closure)
        }
    }
}

extension Database {
    /// Runs `action` once this database's transaction commits (at once outside one).
    func afterCommit(_ action: @escaping @Sendable () -> Void) {
        if let connection = self as? AppTransactions.Connection { connection.afterCommit(action) } else { action() }
    }
}
