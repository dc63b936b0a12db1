import ShiftbridgeCore
import Vapor

/// A schedule as a form or the API sends it: `RotationSchedule.parse` checks it.
struct ScheduleInput: Content {
    var type: String
    var time: String?
    var weekday: Int?
    var weekdays: [Int]?
    var time_zone: String?
    var schedule_id: String?
    /// Several PagerDuty schedules, followed as their union.
    var schedule_ids: [String]?
    /// An escalation policy: everyone it would page at levels 1…max_level.
    var escalation_policy_id: String?
    var max_level: Int?

    func schedule(defaultTimeZone: String) throws -> RotationSchedule {
        do {
            return try RotationSchedule.parse(type: type, time: time, weekday: weekday, weekdays: weekdays, timeZone: time_zone, scheduleID: schedule_id,
                                              scheduleIDs: schedule_ids, escalationPolicyID: escalation_policy_id, maxLevel: max_level,
                                              defaultTimeZone: defaultTimeZone)
        } catch {
            throw AppError.invalidField(error.field, error.message)
        }
    }
}
