import Fluent
import Foundation
import ShiftbridgeCore

/// A rotation: who is on duty, in what order, and when it turns.
final class Rotation: Model, @unchecked Sendable {
    static let schema = "rotations"

    @ID(key: .id) var id: UUID?
    /// Short handle: letters, digits and hyphens, stored upper-case, unique.
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @OptionalField(key: "description") var description: String?
    @Field(key: "is_public") var isPublic: Bool
    @Field(key: "duty_size") var dutySize: Int
    @Field(key: "enabled") var enabled: Bool
    /// The schedule's kind, kept beside it for queries ("every rotation that follows PagerDuty").
    @Enum(key: "schedule_type") private(set) var scheduleKind: RotationSchedule.Kind
    /// JSON of `RotationSchedule`.
    @Field(key: "schedule") private var scheduleJSON: String
    /// Index in the member list of the first person on duty, as of `positionAt`.
    @Field(key: "position") var position: Int
    @Field(key: "position_at") var positionAt: Date
    @Field(key: "created_by") var createdBy: String
    @OptionalField(key: "created_at") var createdAt: Date?

    @Children(for: \.$rotation) var members: [RotationMember]
    @Children(for: \.$rotation) var owners: [RotationOwner]

    init() {}

    init(code: String, name: String, description: String?, isPublic: Bool, dutySize: Int, enabled: Bool, createdBy: String, at: Date) {
        self.code = code
        self.name = name
        self.description = description
        self.isPublic = isPublic
        self.dutySize = dutySize
        self.enabled = enabled
        self.createdBy = createdBy
        self.createdAt = at
        self.position = 0
        self.positionAt = at
        store(schedule: .manual)
    }

    /// How it turns: one value, stored as JSON. A stored value that does not read is an
    /// `UnreadableRecord`, never taken for a manual rotation.
    var schedule: RotationSchedule {
        get throws { try StoredJSON.decode(RotationSchedule.self, from: scheduleJSON, table: Self.schema, id: id, field: "schedule") }
    }

    func store(schedule: RotationSchedule) {
        scheduleJSON = StoredJSON.encode(schedule)
        scheduleKind = schedule.kind
    }

    var followsPagerDuty: Bool { RotationSchedule.Kind.followingPagerDuty.contains(scheduleKind) }

    /// The rotation as Core reasons about it: `members` in order, and what PagerDuty last said.
    func model(members: [String], timeline: HeldTimeline = HeldTimeline(entries: [])) throws -> RotationModel {
        RotationModel(schedule: try schedule, enabled: enabled, members: members, dutySize: dutySize, position: position, savedAt: positionAt,
                      timeline: timeline)
    }
}
