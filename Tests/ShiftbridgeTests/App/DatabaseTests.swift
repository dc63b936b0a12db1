import Fluent
import Foundation
@testable import Shiftbridge
import SQLKit
import Testing
import Vapor
import VaporTesting

/// The same migrations and code on both databases.
@Suite struct DatabaseTests {
    static let expectedTables: Set<String> = ["users", "api_tokens", "audit_events", "web_sessions", "_fluent_migrations"]

    @Test func sqliteMigratesAndIsReady() async throws {
        try await checkMigrationsAndReadiness(.sqlite)
    }

    @Test(.enabled(if: TestDatabase.postgresURL != nil, TestDatabase.postgresSkipReason))
    func postgresMigratesAndIsReady() async throws {
        try await checkMigrationsAndReadiness(.postgres)
    }

    @Test(.enabled(if: TestDatabase.postgresURL != nil, TestDatabase.postgresSkipReason))
    func postgresSignInTokenAndAuditFlow() async throws {
        try await checkAccountFlow(.postgres)
    }

    @Test func sqliteSignInTokenAndAuditFlow() async throws {
        try await checkAccountFlow(.sqlite)
    }

    private func checkMigrationsAndReadiness(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let tables = try await tableNames(app)
            #expect(Self.expectedTables.isSubset(of: tables), "missing: \(Self.expectedTables.subtracting(tables))")
            // Running them again changes nothing and does not fail.
            try await Shiftbridge.migrate(app, storage: app.services.config.storage)
            let applied = try await (app.db as! any SQLDatabase).raw("SELECT COUNT(*) AS n FROM _fluent_migrations").first(decoding: Count.self)
            #expect(applied?.n == AppMigrations.all.count)

            let ready = try await app.testing().sendRequest(.GET, "/readyz")
            #expect(ready.status == .ok)
            #expect(ready.body.string.contains(database == .sqlite ? "\"database\":\"sqlite\"" : "\"database\":\"postgresql\""))
            #expect(try await app.testing().sendRequest(.GET, "/healthz").status == .ok)
        }
    }

    private func checkAccountFlow(_ database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try await app.createAdmin()
            let browser = Browser(app)
            #expect(try await browser.signIn(email: "ops@example.com", password: testPassword).status == .seeOther)
            let audit = try await browser.request(.GET, "/audit")
            #expect(audit.status == .ok)
            #expect(audit.body.string.contains("admin.created"))

            let token = try await app.issueToken(email: "ops@example.com", name: "ci")
            let events = try await app.testing().sendRequest(.GET, "/api/v1/audit-events?limit=1", headers: ["Authorization": "Bearer \(token)"])
            #expect(events.status == .ok)
            #expect(events.body.string.contains("api_token.created"))
            #expect(events.body.string.contains("\"more\":true"))
            // The token itself never lands in the audit trail, only its last four characters.
            #expect(!events.body.string.contains(token))
        }
    }

    private struct Count: Decodable { let n: Int }
    private struct Name: Decodable { let name: String }

    private func tableNames(_ app: Application) async throws -> Set<String> {
        let sql = try #require(app.db as? any SQLDatabase)
        let query: SQLQueryString = app.services.config.storage.kind == "sqlite"
            ? "SELECT name FROM sqlite_master WHERE type = 'table'"
            : "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'"
        return Set(try await sql.raw(query).all(decoding: Name.self).map(\.name))
    }
}
