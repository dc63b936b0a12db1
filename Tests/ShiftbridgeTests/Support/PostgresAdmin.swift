import Fluent
import FluentPostgresDriver
import Foundation
import NIOHTTP1
@testable import Shiftbridge
import SQLKit
import Testing
import Vapor
import VaporTesting

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
