import Fluent
import Foundation
import ShiftbridgeCore
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
    /// The last read, or attempt to read (a failing rotation waits longer each time).
    @OptionalField(key: "attempted_at") var attemptedAt: Date?
    @Field(key: "source_missing") var sourceMissing: Bool
    /// JSON of the held timeline's entries: the final schedule over the look-ahead window.
    @Field(key: "timeline") private var timelineJSON: String
    /// JSON of who is on duty as last applied (`[DutyMember]`), for change detection.
    @Field(key: "on_duty") private var onDutyJSON: String
    /// When the held timeline next changes who is on duty.
    @OptionalField(key: "on_duty_until") var onDutyUntil: Date?

    init() {}

    init(rotationID: UUID) {
        self.$rotation.id = rotationID
        self.sourceMissing = false
        store(timeline: HeldTimeline(entries: []))
        store(onDuty: [])
    }

    /// The held timeline. One that does not read is an `UnreadableRecord`, never "nobody".
    var timeline: HeldTimeline {
        get throws { HeldTimeline(entries: try StoredJSON.decode([HeldTimeline.Entry].self, from: timelineJSON, table: Self.schema, id: id, field: "timeline")) }
    }

    func store(timeline: HeldTimeline) { timelineJSON = StoredJSON.encode(timeline.entries) }

    var onDuty: [DutyMember] {
        get throws { try StoredJSON.decode([DutyMember].self, from: onDutyJSON, table: Self.schema, id: id, field: "on_duty") }
    }

    func store(onDuty: [DutyMember]) { onDutyJSON = StoredJSON.encode(onDuty) }

    /// Sets who is on duty, and until when, for many rotations in a few statements.
    static func setDuty(_ updates: [(id: UUID, onDuty: [DutyMember], until: Date?)], on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else {
            for update in updates {
                try await RotationSync.query(on: db).filter(\.$id == update.id).set(\.$onDutyJSON, to: StoredJSON.encode(update.onDuty))
                    .set(\.$onDutyUntil, to: update.until).update()
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
                onDuty.appendInterpolation(bind: StoredJSON.encode(update.onDuty))
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
}
