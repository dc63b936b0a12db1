import Fluent

/// When each PagerDuty-bound rotation was last read (or tried): a failing one is tried again
/// after a wait that grows with how long it has failed, not at every pass.
struct AddSyncAttemptedAt: AsyncMigration {
    var name: String { "024_AddSyncAttemptedAt" }

    func prepare(on database: any Database) async throws {
        try await database.schema(RotationSync.schema).field("attempted_at", .datetime).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(RotationSync.schema).deleteField("attempted_at").update()
    }
}
