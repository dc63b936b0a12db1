import Fluent
import Foundation

/// One HR import: counts only; the employees' history keeps what changed.
final class ProvisioningImport: Model, @unchecked Sendable {
    static let schema = "provisioning_imports"

    @ID(key: .id) var id: UUID?
    /// Who, as the audit log names them (`ImportOrigin.actor`).
    @Field(key: "actor") var actor: String
    @Enum(key: "origin") var origin: ImportOrigin.Kind
    @Field(key: "rows") var rows: Int
    @Field(key: "added") var added: Int
    @Field(key: "changed") var changed: Int
    @Field(key: "unchanged") var unchanged: Int
    /// Known employees missing from this file: left alone, never deprovisioned for it.
    @Field(key: "absent") var absent: Int
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(origin: ImportOrigin, rows: Int, at now: Date) {
        self.actor = origin.actor
        self.origin = origin.kind
        self.rows = rows
        added = 0
        changed = 0
        unchanged = 0
        absent = 0
        createdAt = now
    }

    /// "12 rows: 2 added, …": the same words on the page, in the CLI and in the audit log.
    var summary: String {
        "\(rows) rows: \(added) added, \(changed) changed, \(unchanged) unchanged, \(absent) absent"
    }
}
