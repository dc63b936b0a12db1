import Fluent
import FluentPostgresDriver
import Foundation
import NIOHTTP1
@testable import Shiftbridge
import SQLKit
import Testing
import Vapor
import VaporTesting

/// Runs `body` against a fully configured app on a fresh database of its own: a new SQLite
/// file in a temporary folder, or a new PostgreSQL database that is dropped afterwards.
func withTestApp(
    _ database: TestDatabase = .sqlite,
    environment extra: [String: String] = [:],
    _ body: (Application) async throws -> Void
) async throws {
    try await withTestInstances(1, database, environment: extra) { apps in try await body(apps[0]) }
}

/// Runs `body` against `count` instances of the app sharing one fresh database (and one
/// clock), as several servers on one PostgreSQL do.
func withTestInstances(
    _ count: Int,
    _ database: TestDatabase = .sqlite,
    environment extra: [String: String] = [:],
    _ body: ([Application]) async throws -> Void
) async throws {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("shiftbridge-test-\(UUID().uuidString)").path
    // Tests meet the emulators and receivers on loopback; the outbound-target tests narrow these again.
    var environment = ["SHIFTBRIDGE_DATA_DIR": directory, "SHIFTBRIDGE_ALLOW_CUSTOM_API_HOSTS": "1",
                       "SHIFTBRIDGE_ALLOW_PRIVATE_TARGETS": "1", "SHIFTBRIDGE_ALLOW_HTTP_HOSTS": "127.0.0.1,localhost",
                       "SHIFTBRIDGE_HR_DROP_ROOTS": FileManager.default.temporaryDirectory.path,
                       // Where links point (invitations, OAuth, feeds, SCIM); one test unsets it.
                       "SHIFTBRIDGE_PUBLIC_URL": "http://127.0.0.1:8080"]
    var scratchDatabase: (admin: String, name: String)?
    if database == .postgres {
        let admin = try #require(TestDatabase.postgresURL, TestDatabase.postgresSkipReason)
        let name = "sb_test_\(UUID().uuidString.prefix(8).lowercased())"
        try await PostgresAdmin.run(url: admin, "CREATE DATABASE \(name)")
        scratchDatabase = (admin, name)
        environment["DATABASE_URL"] = PostgresAdmin.url(admin, database: name)
    }
    environment.merge(extra) { _, new in new }

    var apps: [Application] = []
    let clock = TestClock()
    do {
        for _ in 0..<count {
            let app = try await Application.make(.testing)
            apps.append(app)
            app.logger.logLevel = .warning
            let parts = TestParts(clock: clock)
            app.testParts = parts
            try await configure(app, config: AppConfig.load(environment: environment), parts: parts.appParts)
        }
        try await body(apps)
    } catch {
        for app in apps { try? await app.asyncShutdown() }
        try? await cleanUp(directory: directory, scratchDatabase)
        throw error
    }
    for app in apps { try await app.asyncShutdown() }
    try await cleanUp(directory: directory, scratchDatabase)
}

private func cleanUp(directory: String, _ scratch: (admin: String, name: String)?) async throws {
    try? FileManager.default.removeItem(atPath: directory)
    if let scratch {
        try await PostgresAdmin.run(url: scratch.admin, "DROP DATABASE IF EXISTS \(scratch.name) WITH (FORCE)")
    }
}

let testPassword = "correct horse battery staple"

extension Application {
    /// Creates an administrator the way the CLI does.
    @discardableResult
    func createAdmin(email: String = "ops@example.com", password: String = testPassword) async throws -> User {
        try await services.userAccounts(db).createAdministrator(email: email, password: password, actor: "test")
    }

    /// A plain user (not an administrator), invited and joined as the dashboard does it.
    @discardableResult
    func createUser(email: String, invitedBy admin: String = "ops@example.com") async throws -> User {
        let accounts = services.userAccounts(db)
        let inviter = try #require(try await User.query(on: db).filter(\.$email == admin).first())
        let (_, token) = try await accounts.invite(email: email, role: .user, by: inviter)
        return try await accounts.accept(token: token, password: "a long user passphrase")
    }

    /// An API token for the account with `email`, as `shiftbridge admin token` makes it.
    func issueToken(email: String = "ops@example.com", name: String = "t") async throws -> String {
        let user = try #require(try await User.query(on: db).filter(\.$email == email).first())
        return try await services.apiTokens(db).issue(for: user, name: name, actor: "test").1
    }
}

extension Application {
    /// One pass of the background job `name`, as this instance's runner makes it (under the
    /// job's lease when it runs on one instance at a time).
    func runJobPass(_ name: String) async {
        guard let job = AppJobs.all(services).first(where: { $0.name == name }) else {
            Issue.record("no job named \(name)")
            return
        }
        let runner = JobRunner(jobs: [job], database: { [db] in db }, clock: services.clock, holder: services.instanceID, logger: logger)
        _ = await runner.runPass(job)
    }
}

extension Application {
    /// The handoff job's pass, then the sync job's, as the server runs them. Returns how many
    /// rotations were read from PagerDuty.
    @discardableResult
    func followPagerDuty() async throws -> Int {
        _ = try await services.rotationHandoffs(db).applyDue()
        return try await services.rotationSyncPass(db).run(holder: services.instanceID)
    }

    /// The handoff job's pass.
    func applyDueHandoffs() async throws {
        _ = try await services.rotationHandoffs(db).applyDue()
    }
}

extension Application {
    /// The webhook job's pass on this instance; returns how many deliveries it attempted.
    @discardableResult
    func deliverWebhooks() async throws -> Int {
        try await services.webhookSender(db).deliverDue(holder: services.instanceID)
    }
}

extension Application {
    /// Applies a provisioning run here until nothing of it is left to apply.
    func applyProvisioning(_ runID: UUID) async throws {
        try await AppDriver(self).applyProvisioningRun(runID)
    }
}
