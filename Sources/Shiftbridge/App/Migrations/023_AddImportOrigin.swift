import Fluent
import SQLKit

/// Each HR import says where it came from (upload, HR source, SCIM) in a column of its own.
struct AddImportOrigin: AsyncMigration {
    var name: String { "023_AddImportOrigin" }

    func prepare(on database: any Database) async throws {
        try await database.schema(ProvisioningImport.schema).field("origin", .string, .required, .sql(.default("upload"))).update()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("UPDATE provisioning_imports SET origin = 'scim' WHERE actor LIKE 'scim:%'").run()
        try await sql.raw("UPDATE provisioning_imports SET origin = 'hr_source' WHERE actor LIKE 'source:%'").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ProvisioningImport.schema).deleteField("origin").update()
    }
}
