import Fluent
import FluentPostgresDriver
import Foundation
import NIOHTTP1
@testable import Shiftbridge
import SQLKit
import Testing
import Vapor
import VaporTesting

/// Which real database a test runs on. PostgreSQL tests need `SHIFTBRIDGE_TEST_DATABASE_URL`
/// (`.ci/run` sets it); without it they are skipped, and say so.
enum TestDatabase: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    static var postgresURL: String? {
        ProcessInfo.processInfo.environment["SHIFTBRIDGE_TEST_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    static let postgresSkipReason: Comment = "PostgreSQL tests skipped: set SHIFTBRIDGE_TEST_DATABASE_URL=postgres://… (the CI script does)"

    var testDescription: String { rawValue }
}

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
                       "SHIFTBRIDGE_ALLOW_PRIVATE_TARGETS": "1", "SHIFTBRIDGE_ALLOW_HTTP_HOSTS": "127.0.0.1,localhost"]
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

/// Statements that must run outside any app database (creating and dropping test databases).
enum PostgresAdmin {
    static func run(url: String, _ statement: String) async throws {
        let app = try await Application.make(.testing)
        do {
            try app.databases.use(.postgres(url: url), as: .psql)
            let sql = try #require(app.db as? any SQLDatabase)
            try await sql.raw(SQLQueryString(statement)).run()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    static func url(_ base: String, database: String) -> String {
        var components = URLComponents(string: base)!
        components.path = "/\(database)"
        return components.string!
    }
}

/// A cookie-keeping client for the in-memory tester: what a browser would carry between pages.
final class Browser: @unchecked Sendable {
    let app: Application
    private(set) var cookies: [String: String] = [:]

    init(_ app: Application) { self.app = app }

    /// Puts a cookie in the jar, as another site or person could.
    func setCookie(_ name: String, _ value: String) { cookies[name] = value }

    @discardableResult
    func request(_ method: HTTPMethod, _ path: String, form: [String: String]? = nil, headers extra: HTTPHeaders = [:]) async throws -> TestingHTTPResponse {
        var headers = extra
        if !cookies.isEmpty {
            headers.replaceOrAdd(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        var body: ByteBuffer?
        if let form {
            headers.contentType = .urlEncodedForm
            let encoded = form.map { key, value in
                "\(key.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)"
            }.joined(separator: "&")
            body = ByteBuffer(string: encoded)
        }
        let response = try await app.testing().sendRequest(method, path, headers: headers, body: body)
        for header in response.headers[.setCookie] {
            let pair = header.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            if pair.count == 2 { cookies[String(pair[0])] = String(pair[1]) }
            // A cookie the server expires is dropped.
            if header.contains("Max-Age=0") || header.contains("1970") { cookies[String(header.split(separator: "=")[0])] = nil }
        }
        return response
    }

    /// The CSRF token a page embeds in its forms.
    func csrfToken(from response: TestingHTTPResponse) throws -> String {
        let html = response.body.string
        let marker = "name=\"_csrf\" value=\""
        let start = try #require(html.range(of: marker), "no CSRF field on the page")
        let rest = html[start.upperBound...]
        return String(rest[..<rest.firstIndex(of: "\"")!])
    }

    /// Signs in through the real form, CSRF token included.
    func signIn(email: String, password: String) async throws -> TestingHTTPResponse {
        let page = try await request(.GET, "/sign-in")
        return try await request(.POST, "/sign-in", form: ["email": email, "password": password, "_csrf": csrfToken(from: page)])
    }
}

let testPassword = "correct horse battery staple"

extension Application {
    /// Creates an administrator the way the CLI does.
    @discardableResult
    func createAdmin(email: String = "ops@example.com", password: String = testPassword) async throws -> User {
        try await services.userAccounts(db).createAdministrator(email: email, password: password, actor: "test")
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
