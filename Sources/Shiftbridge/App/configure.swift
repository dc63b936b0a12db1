import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import SQLKit
import Vapor

/// Wires the application from its configuration and parts: storage, the composition root,
/// middleware, migrations, background jobs, commands, routes.
package func configure(_ app: Application, config: AppConfig, parts: AppParts = .live) async throws {
    try FileManager.default.createDirectory(atPath: config.dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])

    // A generous wait for a pooled connection: a busy machine should slow requests, not fail them.
    switch config.storage {
    case .sqlite(let path):
        // SQLite's calls block a thread (a write waiting for the lock, up to the busy timeout):
        // a pool of this app's own, so they never hold the process-wide one file I/O and other
        // apps in the process (tests, a demo beside its emulators) share.
        app.threadPool = NIOThreadPool(numberOfThreads: max(4, 2 * System.coreCount))
        // Only this account reads the database (SQLite gives its journal files the same mode).
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw AppConfig.InvalidSetting(name: path, problem: "could not create the database file; check the data directory's permissions")
            }
        }
        app.databases.use(DatabaseConfigurationFactory {
                              AppTransactions(base: DatabaseConfigurationFactory.sqlite(.file(path), connectionPoolTimeout: .seconds(30)).make(), immediate: true)
                          },
                          as: .sqlite)
        try await prepareSQLite(app)
    case .postgres(let url):
        let postgres = try DatabaseConfigurationFactory.postgres(url: url, maxConnectionsPerEventLoop: 4, connectionPoolTimeout: .seconds(30))
        app.databases.use(DatabaseConfigurationFactory { AppTransactions(base: postgres.make(), immediate: false) }, as: .psql)
    }

    let previousKeys = config.previousSecretKeys.compactMap { Data(base64Encoded: $0) }.map { SymmetricKey(data: $0) }
    let secrets = SecretBox(primary: try SecretKeyMaterial.primaryKey(config: config), previous: previousKeys)
    app.passwords.use(.bcrypt)
    let passwords = parts.passwords ?? BcryptPasswordHashing(hasher: app.password.async)
    let services = AppServices(config: config, parts: parts, secrets: secrets, passwords: passwords, database: { [unowned app] in app.db })
    app.services = services

    // Bulk writes bypass these; the services that make them empty the cache themselves.
    let dutyCache = services.dutyCache
    app.databases.middleware.use(DutyCacheInvalidation<Rotation>(cache: dutyCache, rotationOf: { $0.id }))
    app.databases.middleware.use(DutyCacheInvalidation<RotationSync>(cache: dutyCache, rotationOf: { $0.$rotation.id }))
    app.databases.middleware.use(DutyCacheInvalidation<RotationMember>(cache: dutyCache, rotationOf: { $0.$rotation.id }))
    app.databases.middleware.use(DutyCacheInvalidation<Person>(cache: dutyCache))

    // A client that opens a connection and stops sending (slowly or not at all) loses it.
    app.http.server.configuration.idleTimeout = .seconds(Int64(config.idleTimeoutSeconds))
    AppMetrics.bootstrap()
    app.middleware = Middlewares()
    app.middleware.use(RouteLoggingMiddleware(logLevel: .info))
    app.middleware.use(SecurityHeadersMiddleware(formActionSources: services.outbound.formActionSources))
    app.middleware.use(AppErrorMiddleware())
    app.middleware.use(StaticFilesMiddleware())
    // Routes that take more say so (`bodyCap`); the guard holds every route to its cap.
    app.routes.defaultMaxBodySize = "1mb"
    app.middleware.use(TextInputGuard())

    app.migrations.add(AppMigrations.all)
    try await migrate(app, storage: config.storage)

    // Background work belongs to `serve` (the default, and the demo's), never to one-off commands.
    let jobs = JobRunner(jobs: AppJobs.all(services), database: { [unowned app] in app.db }, clock: services.clock, holder: services.instanceID,
                         logger: services.logger("jobs"))
    app.lifecycle.use(JobsLifecycle(jobs: jobs))
    registerCommands(app, jobs: jobs, jobsEnabled: config.runJobs)
    try routes(app, services: services)
}

/// The app's subcommands. Registered alone (no `jobs`) they can say what they do, for
/// `--help`, without anything opened, created or migrated.
func registerCommands(_ app: Application, jobs: JobRunner? = nil, jobsEnabled: Bool = false) {
    if let server = app.asyncCommands.commands["serve"] {
        app.asyncCommands.use(ServeCommand(server: server, jobs: jobs, jobsEnabled: jobsEnabled), as: "serve", isDefault: true)
    }
    app.asyncCommands.use(MigrateCommand(), as: "migrate")
    app.asyncCommands.use(AdminCommand(), as: "admin")
    app.asyncCommands.use(ProvisionCommand(), as: "provision")
}

/// SQLite answers "database is locked" at once when two connections (one per event loop)
/// write together: every connection waits for the lock instead (busy_timeout; transactions
/// take it first, see `AppTransactions`), and the write-ahead log lets readers and
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
func migrate(_ app: Application, storage: AppConfig.Storage) async throws {
    guard case .postgres = storage, let sql = app.db as? any SQLDatabase else {
        try await app.autoMigrate()
        return
    }
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
}
