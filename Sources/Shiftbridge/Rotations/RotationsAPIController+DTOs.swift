import Fluent
import ShiftbridgeCore
import Vapor

/// What the API answers with: the contract its clients decode.
extension RotationsAPIController {
    struct PersonRef: Content, Equatable {
        let email: String
        let name: String
        let linked: Bool
        init(_ person: Person) {
            email = person.email
            name = person.name
            linked = !person.isUnlinked
        }
    }

    struct ScheduleDTO: Content, Equatable {
        let type: String
        let time: String?
        let weekdays: [Int]?
        let time_zone: String
        let schedule_id: String?
        /// Every PagerDuty schedule followed (several: their union).
        let schedule_ids: [String]?
        let escalation_policy_id: String?
        let max_level: Int?
        let next_handoff: Date?

        init(_ schedule: RotationSchedule, nextHandoff: Date?) {
            type = schedule.kind.rawValue
            time = schedule.time?.description
            weekdays = schedule.weekdays.isEmpty ? nil : schedule.weekdays
            time_zone = schedule.timeZoneIdentifier ?? "Etc/UTC"
            schedule_id = schedule.pagerDutyScheduleIDs.first
            schedule_ids = schedule.pagerDutyScheduleIDs.isEmpty ? nil : schedule.pagerDutyScheduleIDs
            escalation_policy_id = schedule.escalationPolicy?.id
            max_level = schedule.escalationPolicy?.maxLevel
            next_handoff = nextHandoff
        }
    }

    struct RotationDTO: Content, Equatable {
        let id: UUID?
        let code: String
        let name: String
        let description: String?
        let is_public: Bool
        let duty_size: Int
        let enabled: Bool
        /// Nil only for a rotation whose stored schedule cannot be read (see `unreadable`).
        let schedule: ScheduleDTO?
        let owners: [String]
        let members: [String]
        let on_duty: [String]
        /// Set when the stored row cannot be read: what, and that nothing was assumed.
        let unreadable: ErrorBody.Detail?

        init(_ overview: RotationDirectory.Overview) {
            let rotation = overview.rotation
            id = rotation.id
            code = rotation.code
            name = rotation.name
            description = rotation.description
            is_public = rotation.isPublic
            duty_size = rotation.dutySize
            enabled = rotation.enabled
            schedule = overview.model.map { ScheduleDTO($0.schedule, nextHandoff: $0.turnedBy == .pagerDuty ? nil : overview.until) }
            unreadable = overview.unreadable.map { ErrorBody.Detail(message: $0.description, code: "unreadable_record") }
            owners = overview.owners
            members = overview.members
            on_duty = overview.onDuty
        }
    }

    struct RotationList: Content { let rotations: [RotationDTO] }

    struct DutyPerson: Content, Equatable {
        let email: String?
        let name: String
        let linked: Bool
        /// Why they are on duty: `turn`, `schedule`, `pagerduty` or `override`.
        let reason: DutyReason
    }

    struct OnDuty: Content, Equatable {
        let on_duty: [DutyPerson]
        let until: Date?
        let source: String
        let synced_at: Date?
        let stale: Bool
        let stale_since: Date?
        let source_missing: Bool
        let problem: String?

        init(_ duty: RotationDuty.Duty) {
            on_duty = duty.people.map { DutyPerson(email: $0.email, name: $0.name, linked: $0.linked, reason: $0.reason) }
            until = duty.until
            source = duty.turnedBy.rawValue
            synced_at = duty.syncedAt
            stale = duty.stale
            stale_since = duty.staleSince
            source_missing = duty.sourceMissing
            problem = duty.lastError
        }
    }

    struct MemberDTO: Content, Equatable {
        let email: String
        let name: String
        let linked: Bool
        let on_duty: Bool
    }

    struct Roster: Content, Equatable {
        let members: [MemberDTO]
        let linked: Int
        let total: Int
        let read_only: Bool
    }

    struct ShiftDTO: Content, Equatable {
        let start: Date
        let end: Date
        let people: [PersonRef]
    }

    struct ShiftList: Content { let shifts: [ShiftDTO] }
}
