import Fluent

struct CreatePagerDutyConnections: AsyncMigration {
    var name: String { "004_CreatePagerDutyConnections" }

    func prepare(on database: any Database) async throws {
        try await database.schema(PagerDutyConnection.schema)
            .id()
            .field("provider", .string, .required)
            .field("method", .string, .required)
            .field("region", .string, .required)
            .field("base_url", .string, .required)
            .field("identity_url", .string)
            .field("sealed_api_key", .string)
            .field("client_id", .string)
            .field("sealed_client_secret", .string)
            .field("sealed_access_token", .string)
            .field("sealed_refresh_token", .string)
            .field("token_expires_at", .datetime)
            .field("secret_last4", .string, .required)
            .field("scopes", .string, .required)
            .field("requested_scopes", .string, .required)
            .field("read_only", .bool, .required)
            .field("account", .string)
            .field("status", .string, .required)
            .field("status_detail", .string)
            .field("connected_at", .datetime, .required)
            .field("connected_by", .string, .required)
            .field("last_success_at", .datetime)
            .field("token_version", .int, .required)
            .unique(on: "provider")
            .create()
        try await database.schema(Lease.schema)
            .field("name", .string, .identifier(auto: false))
            .field("holder", .string, .required)
            .field("expires_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Lease.schema).delete()
        try await database.schema(PagerDutyConnection.schema).delete()
    }
}
