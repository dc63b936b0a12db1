import Fluent
import Foundation
import ShiftbridgeCore
import SQLKit

/// Who is on duty, as each PagerDuty-bound rotation last applied it, becomes typed JSON
/// (`[DutyMember]`) instead of comma-joined emails with `pagerduty:<id>` placeholders.
struct TypedDutyMembers: AsyncMigration {
    var name: String { "022_TypedDutyMembers" }

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for row in try await sql.raw("SELECT id, on_duty FROM rotation_syncs").all() {
            let id = try row.decode(column: "id", as: UUID.self)
            let text = try row.decode(column: "on_duty", as: String.self)
            guard !text.hasPrefix("[") else { continue }
            let members = text.split(separator: ",").map { part -> DutyMember in
                part.hasPrefix("pagerduty:") ? .pagerDutyUser(id: String(part.dropFirst("pagerduty:".count))) : .person(email: String(part))
            }
            try await sql.raw("UPDATE rotation_syncs SET on_duty = \(bind: StoredJSON.encode(members)) WHERE id = \(bind: id)").run()
        }
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for row in try await sql.raw("SELECT id, on_duty FROM rotation_syncs").all() {
            let id = try row.decode(column: "id", as: UUID.self)
            let members = try JSONDecoder().decode([DutyMember].self, from: Data(try row.decode(column: "on_duty", as: String.self).utf8))
            try await sql.raw("UPDATE rotation_syncs SET on_duty = \(bind: members.map(\.label).joined(separator: ",")) WHERE id = \(bind: id)").run()
        }
    }
}
