import Fluent
import SQLKit

/// SCIM: the tokens identity providers push with, and the users they pushed.
struct CreateSCIM: AsyncMigration {
    var name: String { "019_CreateSCIM" }

    func prepare(on database: any Database) async throws {
        try await database.schema(SCIMToken.schema)
            .id()
            .field("name", .string, .required)
            .field("token_hash", .string, .required)
            .field("last4", .string, .required)
            .field("created_by", .string, .required)
            .field("created_at", .datetime, .required)
            .field("last_used_at", .datetime)
            .field("revoked_at", .datetime)
            .unique(on: "token_hash")
            .create()
        try await database.schema(SCIMUser.schema)
            .id()
            .field("user_name", .string, .required)
            .field("external_id", .string)
            .field("employee_id", .string, .required)
            .field("active", .bool, .required)
            .field("document", .string, .required)
            .field("version", .int, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "user_name")
            .unique(on: "employee_id")
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "scim_users_external_id").on(SCIMUser.schema).column("external_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SCIMUser.schema).delete()
        try await database.schema(SCIMToken.schema).delete()
    }
}
