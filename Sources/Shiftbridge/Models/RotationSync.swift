import Fluent
import Foundation
import SQLKit

/// What the last sync of a PagerDuty-bound rotation found, and how fresh it is. The held
/// timeline lets handoffs happen on time between syncs, without asking PagerDuty.
final class RotationSync: Model, @unchecked Sendable {
    static let schema = "rotation_syncs"

    @ID(key: .id) var id: UUID?
    @Parent(key: "rotation_id") var rotation: Rotation
    @OptionalField(key: "synced_at") var syncedAt: Date?
    /// Set on the first failed read after a good one; cleared by the next good one.
    @OptionalField(key: "stale_since") var staleSince: Date?
    @OptionalField(key: "last_error") var lastError: String?
    @Field(key: "source_missing") var sourceMissing: Bool
    /// JSON of `[HeldEntry]`: the final schedule over the look-ahead window.
    @Field(key: "timeline") var timeline: String
    /// Emails on duty as last applied, comma-separated, for change detection.
    @Field(key: "on_duty") var onDuty: String
    /// When the held timeline next changes who is on duty.
    @OptionalField(key: "on_duty_until") var onDutyUntil: Date?

    init() {}

    struct HeldEntry: Codable, Equatable, Sendable {
        var start: Date
        var end: Date?
        var email: String?
        var name: String?
        var pagerDutyUserID: String
    }

    var entries: [HeldEntry] {
        (try? JSONDecoder().decode([HeldEntry].self, from: Data(timeline.utf8))) ?? []
    }

    /// Sets who is on duty, and until when, for many rotations in a few statements.
    static func setDuty(_ updates: [(id: UUID, onDuty: String, until: Date?)], on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else {
            for update in updates {
                try await RotationSync.query(on: db).filter(\.$id == update.id).set(\.$onDuty, to: update.onDuty).set(\.$onDutyUntil, to: update.until).update()
            }
            return
        }
        for start in stride(from: 0, to: updates.count, by: 200) {
            let chunk = updates[start..<min(start + 200, updates.count)]
            var onDuty = SQLQueryString("CASE id")
            var until = SQLQueryString("CASE id")
            for update in chunk {
                onDuty.appendInterpolation(unsafeRaw: " WHEN ")
                onDuty.appendInterpolation(bind: update.id)
                onDuty.appendInterpolation(unsafeRaw: " THEN ")
                onDuty.appendInterpolation(bind: update.onDuty)
                until.appendInterpolation(unsafeRaw: " WHEN ")
                until.appendInterpolation(bind: update.id)
                until.appendInterpolation(unsafeRaw: " THEN ")
                until.appendInterpolation(bind: update.until)
            }
            onDuty.appendInterpolation(unsafeRaw: " END")
            until.appendInterpolation(unsafeRaw: " END")
            try await sql.update(schema).set(SQLIdentifier("on_duty"), to: onDuty).set(SQLIdentifier("on_duty_until"), to: until)
                .where(SQLIdentifier("id"), .in, chunk.map(\.id)).run()
        }
    }

    /// Who the held timeline has on duty at `now` (each PagerDuty user once), and until when.
    func duty(at now: Date) -> (onDuty: [HeldEntry], until: Date?) {
        Self.duty(in: entries, at: now)
    }

    static func duty(in entries: [HeldEntry], at now: Date) -> (onDuty: [HeldEntry], until: Date?) {
        var seen = Set<String>()
        let current = entries.filter { $0.start <= now && ($0.end.map { $0 > now } ?? true) }.filter { seen.insert($0.pagerDutyUserID).inserted }
        let next = (current.compactMap(\.end) + entries.map(\.start).filter { $0 > now }).min()
        return (current, next)
    }
}

/// PagerDuty users seen in schedules: schedule layers name users without their email.
final class PagerDutyUserRecord: Model, @unchecked Sendable {
    static let schema = "pagerduty_users"

    @ID(custom: "pagerduty_id", generatedBy: .user) var id: String?
    @OptionalField(key: "email") var email: String?
    @OptionalField(key: "name") var name: String?
    @Field(key: "fetched_at") var fetchedAt: Date

    init() {}
}
