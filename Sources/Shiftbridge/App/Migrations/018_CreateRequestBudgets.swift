import Fluent

/// Requests each outside credential spent per minute, shared by every instance on the database.
struct CreateRequestBudgets: AsyncMigration {
    var name: String { "018_CreateRequestBudgets" }

    func prepare(on database: any Database) async throws {
        try await database.schema(DatabaseRequestLedger.schema)
            .field("credential", .string, .required)
            .field("minute", .int64, .required)
            .field("used", .int, .required)
            .unique(on: "credential", "minute")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DatabaseRequestLedger.schema).delete()
    }
}
