import Fluent

/// HR sources fetched on a schedule: drop folders, report URLs, BambooHR.
struct CreateHRSources: AsyncMigration {
    var name: String { "020_CreateHRSources" }

    func prepare(on database: any Database) async throws {
        try await database.schema(HRSource.schema)
            .id()
            .field("name", .string, .required)
            .field("kind", .string, .required)
            .field("every_minutes", .int, .required)
            .field("settings", .string, .required)
            .field("sealed_secret", .string)
            .field("secret_last4", .string)
            .field("last_run_at", .datetime)
            .field("last_result", .string)
            .field("last_message", .string)
            .field("failing_since", .datetime)
            .field("next_run_at", .datetime, .required)
            .field("imported_digests", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "name")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(HRSource.schema).delete()
    }
}
