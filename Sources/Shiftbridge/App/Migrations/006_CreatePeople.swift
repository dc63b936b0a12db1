import Fluent

struct CreatePeople: AsyncMigration {
    var name: String { "006_CreatePeople" }

    func prepare(on database: any Database) async throws {
        try await database.schema(Person.schema)
            .id()
            .field("email", .string, .required)
            .field("name", .string, .required)
            .field("chat_handle", .string)
            .field("time_zone", .string)
            .field("source", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "email")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Person.schema).delete()
    }
}
