import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import SQLKit
import Vapor

/// Wires the application: storage, secrets, sessions, middleware, migrations, routes.
public func configure(_ app: Application, config: AppConfig) async throws {
    app.appConfig = config
    try FileManager.default.createDirectory(atPath: config.dataDirectory, withIntermediateDirectories: true)

    // A generous wait for a pooled connection: a busy machine should slow requests, not fail them.
    switch config.storage {
    case .sqlite(let path):
        app.databases.use(DatabaseConfigurationFactory { SQLiteWriteTransactions(base: DatabaseConfigurationFactory.sqlite(.file(path), connectionPoolTimeout: .seconds(30)).make()) },
                          as: .sqlite)
    case .postgres(let url):
        try app.databases.use(.postgres(url: url, maxConnectionsPerEventLoop: 4, connectionPoolTimeout: .seconds(30)), as: .psql)
    }

    if case .sqlite = config.storage { try await prepareSQLite(app) }

    let previousKeys = config.previousSecretKeys.compactMap { Data(base64Encoded: $0) }.map { SymmetricKey(data: $0) }
    app.secretBox = SecretBox(primary: try SecretKeyMaterial.primaryKey(config: config), previous: previousKeys)
    app.signInThrottle = SignInThrottle(attemptsPerMinute: config.loginAttemptsPerMinute)
    app.outboundPolicy = OutboundTargetPolicy(
        allowHTTPHosts: config.allowHTTPHosts, allowPrivateTargets: config.allowPrivateTargets,
        customAPIHosts: config.customAPIHosts)
    app.changeFeed = ChangeFeed()
    let dutyCache = app.dutyCache
    app.databases.middleware.use(DutyCacheInvalidation<Rotation>(cache: dutyCache))
    app.databases.middleware.use(DutyCacheInvalidation<RotationSync>(cache: dutyCache))
    app.databases.middleware.use(DutyCacheInvalidation<RotationMember>(cache: dutyCache))
    app.databases.middleware.use(DutyCacheInvalidation<Person>(cache: dutyCache))
    app.provisioningWorker = ProvisioningWorker()
    app.lifecycle.use(ProvisioningLifecycle())
    app.passwords.use(.bcrypt)


    AppMetrics.bootstrap()
    app.middleware = Middlewares()
    app.middleware.use(RouteLoggingMiddleware(logLevel: .info))
    app.middleware.use(SecurityHeadersMiddleware(formActionSources: app.outboundPolicy.formActionSources))
    app.middleware.use(AppErrorMiddleware())
    app.middleware.use(FileMiddleware(publicDirectory: StaticAssets.directory))
    app.routes.defaultMaxBodySize = "10mb"
    app.middleware.use(TextInputGuard(maxBodySize: 10 << 20))

    app.migrations.add(AppMigrations.all)
    try await migrate(app)

    // Background work belongs to the server (`serve`, the default, or `demo`), not to one-off
    // commands such as `provision run`. Tests drive these passes themselves, on their own clock.
    let command = app.environment.arguments.dropFirst().first
    let serving = command == nil || command == "serve" || command == "demo" || command?.hasPrefix("-") == true
    if app.environment != .testing && serving {
        app.lifecycle.use(PeriodicJob(every: 60) { await TokenRefresher.runOnce($0) })
        app.lifecycle.use(RotationSyncScheduler.HandoffJob())
        app.lifecycle.use(PeriodicJob(every: 1) { await RotationSyncScheduler.syncOnce($0) })
        app.lifecycle.use(PeriodicJob(every: 1) { await Webhooks.deliverDue($0) })
        app.lifecycle.use(PeriodicJob(every: 30) { await ProvisioningJobs.runOnce($0) })
        app.lifecycle.use(PeriodicJob(every: 3600) { app in _ = try? await ExpiredSessionsPruner.runOnce(db: app.db, now: app.now()) })
    }
    app.asyncCommands.use(MigrateCommand(), as: "migrate")
    app.asyncCommands.use(AdminCommand(), as: "admin")
    app.asyncCommands.use(ProvisionCommand(), as: "provision")
    try routes(app)
}

/// SQLite answers "database is locked" at once when two connections (one per event loop)
/// write together: every connection waits for the lock instead (busy_timeout; transactions
/// take it first, see `SQLiteWriteTransactions`), and the write-ahead log lets readers and
/// a writer work side by side.
func prepareSQLite(_ app: Application) async throws {
    for eventLoop in app.eventLoopGroup.makeIterator() {
        guard let sql = app.databases.database(.sqlite, logger: app.logger, on: eventLoop) as? any SQLDatabase else { continue }
        try await sql.raw("PRAGMA busy_timeout = 15000").run()
    }
    guard let sql = app.db as? any SQLDatabase else { return }
    try await sql.raw("PRAGMA journal_mode = WAL").run()
    try await sql.raw("PRAGMA synchronous = NORMAL").run()
}

/// Runs pending migrations. On PostgreSQL an advisory lock serialises instances that start
/// together, so only one of them migrates and the others find the work done.
func migrate(_ app: Application) async throws {
    if app.appConfig.storage.kind == "postgresql", let sql = app.db as? any SQLDatabase {
        let lockKey: Int64 = 0x5368_6966_7462  // "Shiftb"
        try await sql.withSession { session in
            try await session.raw("SELECT pg_advisory_lock(\(literal: lockKey))").run()
            do {
                try await app.autoMigrate()
            } catch {
                try? await session.raw("SELECT pg_advisory_unlock(\(literal: lockKey))").run()
                throw error
            }
            try await session.raw("SELECT pg_advisory_unlock(\(literal: lockKey))").run()
        }
    } else {
        try await app.autoMigrate()
    }
}

enum StaticAssets {
    /// The folder served at `/static/…`: the `Public` resources bundled with this module.
    static var directory: String {
        (Bundle.module.resourcePath ?? ".") + "/Public/"
    }
}
