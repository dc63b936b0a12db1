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
        self.schedule = .manual
    }

    /// How it turns: one value, stored as JSON.
    var schedule: RotationSchedule {
        get { (try? JSONDecoder().decode(RotationSchedule.self, from: Data(scheduleJSON.utf8))) ?? .manual }
        set {
            scheduleJSON = (try? String(decoding: JSONEncoder().encode(newValue), as: UTF8.self)) ?? #"{"type":"manual"}"#
            scheduleKind = newValue.kind
        }
    }

    var followsPagerDuty: Bool { RotationSchedule.Kind.followingPagerDuty.contains(scheduleKind) }
}
