import Fluent
import Foundation

/// A rotation: who is on duty, in what order, and when it turns.
final class Rotation: Model, @unchecked Sendable {
    static let schema = "rotations"

    enum ScheduleType: String, Codable, Sendable, CaseIterable {
        case manual, daily, weekly, weekdays, pagerduty
    }

    @ID(key: .id) var id: UUID?
    /// Short handle: letters, digits and hyphens, stored upper-case, unique.
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @OptionalField(key: "description") var description: String?
    @Field(key: "is_public") var isPublic: Bool
    @Field(key: "duty_size") var dutySize: Int
    @Field(key: "enabled") var enabled: Bool
    @Enum(key: "schedule_type") var scheduleType: ScheduleType
    /// "HH:mm" local time for automatic schedules.
    @OptionalField(key: "schedule_time") var scheduleTime: String?
    /// ISO weekdays, comma-separated ("1,2,3,4,5"), for weekly and custom-day schedules.
    @OptionalField(key: "schedule_weekdays") var scheduleWeekdays: String?
    @Field(key: "time_zone") var timeZone: String
    @OptionalField(key: "pagerduty_schedule_id") var pagerDutyScheduleID: String?
    /// Index in the member list of the first person on duty, as of `positionAt`.
    @Field(key: "position") var position: Int
    @Field(key: "position_at") var positionAt: Date
    @Field(key: "created_by") var createdBy: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    @Children(for: \.$rotation) var members: [RotationMember]
    @Children(for: \.$rotation) var owners: [RotationOwner]

    init() {}
}

final class RotationMember: Model, @unchecked Sendable {
    static let schema = "rotation_members"

    @ID(key: .id) var id: UUID?
    @Parent(key: "rotation_id") var rotation: Rotation
    @Parent(key: "person_id") var person: Person
    @Field(key: "position") var position: Int

    init() {}

    init(rotationID: UUID, personID: UUID, position: Int) {
        self.$rotation.id = rotationID
        self.$person.id = personID
        self.position = position
    }
}

final class RotationOwner: Model, @unchecked Sendable {
    static let schema = "rotation_owners"

    @ID(key: .id) var id: UUID?
    @Parent(key: "rotation_id") var rotation: Rotation
    @Parent(key: "user_id") var user: User

    init() {}

    init(rotationID: UUID, userID: UUID) {
        self.$rotation.id = rotationID
        self.$user.id = userID
    }
}
