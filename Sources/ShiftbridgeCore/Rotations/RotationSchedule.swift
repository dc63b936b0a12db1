import Foundation

/// How a rotation turns: by hand, on a schedule of its own (daily, weekly, or on chosen
/// weekdays, at a local time in a time zone), or as PagerDuty says: one schedule, or the
/// union of several (primary and secondary, follow-the-sun regions). One value, validated
/// here; stored and sent as `{"type": …, "time": "09:00", "weekdays": […], "time_zone": …,
/// "schedule_id": …}` (`"schedule_ids": […]` for several).
public enum RotationSchedule: Equatable, Hashable, Sendable {
    case manual
    case daily(at: TimeOfDay, timeZone: String)
    case weekly(weekday: Int, at: TimeOfDay, timeZone: String)
    /// ISO weekdays (1 = Monday … 7 = Sunday).
    case customDays(Set<Int>, at: TimeOfDay, timeZone: String)
    /// Who is on call in any of these schedules (each person once); at least one, no repeats.
    case pagerDuty(scheduleIDs: [String])

    /// Everyone PagerDuty would page at levels 1…maxLevel of an escalation policy: on call in
    /// the schedules those levels target, and the users they target directly.
    case pagerDutyEscalationPolicy(id: String, maxLevel: Int)

    public static func pagerDuty(scheduleID: String) -> RotationSchedule { .pagerDuty(scheduleIDs: [scheduleID]) }

    /// How many schedules one rotation may follow.
    public static let maxScheduleIDs = 10
    /// PagerDuty allows 20 escalation levels.
    public static let maxLevels = 20

    public enum Kind: String, Codable, Sendable, CaseIterable {
        case manual, daily, weekly
        case customDays = "weekdays"
        case pagerDuty = "pagerduty"
        case pagerDutyEscalationPolicy = "pagerduty_escalation_policy"

        /// The kinds whose people come from PagerDuty.
        public static let followingPagerDuty: [Kind] = [.pagerDuty, .pagerDutyEscalationPolicy]
    }

    public var kind: Kind {
        switch self {
        case .manual: .manual
        case .daily: .daily
        case .weekly: .weekly
        case .customDays: .customDays
        case .pagerDuty: .pagerDuty
        case .pagerDutyEscalationPolicy: .pagerDutyEscalationPolicy
        }
    }

    /// When it hands over on its own; nil when people (or PagerDuty) decide.
    public var cadence: Cadence? {
        switch self {
        case .manual, .pagerDuty, .pagerDutyEscalationPolicy: nil
        case .daily(let time, _): .daily(at: time)
        case .weekly(let day, let time, _): .weekly(weekday: day, at: time)
        case .customDays(let days, let time, _): .weekdays(days, at: time)
        }
    }

    /// The zone an automatic schedule keeps its local time in.
    public var timeZoneIdentifier: String? {
        switch self {
        case .manual, .pagerDuty, .pagerDutyEscalationPolicy: nil
        case .daily(_, let zone), .weekly(_, _, let zone), .customDays(_, _, let zone): zone
        }
    }

    public var timeZone: TimeZone { timeZoneIdentifier.flatMap(TimeZone.init(identifier:)) ?? .gmt }

    /// The PagerDuty schedules followed; empty for every other kind.
    public var pagerDutyScheduleIDs: [String] {
        if case .pagerDuty(let ids) = self { return ids }
        return []
    }

    /// The escalation policy followed, and how many of its levels.
    public var escalationPolicy: (id: String, maxLevel: Int)? {
        if case .pagerDutyEscalationPolicy(let id, let maxLevel) = self { return (id, maxLevel) }
        return nil
    }

    public var followsPagerDuty: Bool { Kind.followingPagerDuty.contains(kind) }

    /// What PagerDuty changes to watch for this rotation: its schedules, or its policy.
    public var pagerDutySourceIDs: [String] { escalationPolicy.map { [$0.id] } ?? pagerDutyScheduleIDs }

    public var time: TimeOfDay? {
        switch self {
        case .manual, .pagerDuty, .pagerDutyEscalationPolicy: nil
        case .daily(let time, _), .weekly(_, let time, _), .customDays(_, let time, _): time
        }
    }

    public var weekdays: [Int] {
        switch self {
        case .weekly(let day, _, _): [day]
        case .customDays(let days, _, _): days.sorted()
        default: []
        }
    }

    /// In words, for people and the audit log.
    public var description: String {
        let names = ["", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        return switch self {
        case .manual: "manual"
        case .daily(let time, let zone): "daily at \(time) \(zone)"
        case .weekly(let day, let time, let zone): "weekly on \(names[day]) at \(time) \(zone)"
        case .customDays(let days, let time, let zone): "on \(days.sorted().map { names[$0] }.joined(separator: ", ")) at \(time) \(zone)"
        case .pagerDuty(let ids): ids.count == 1 ? "PagerDuty schedule \(ids[0])" : "PagerDuty schedules \(ids.joined(separator: " + "))"
        case .pagerDutyEscalationPolicy(let id, let maxLevel):
            maxLevel == 1 ? "PagerDuty escalation policy \(id), level 1" : "PagerDuty escalation policy \(id), levels 1–\(maxLevel)"
        }
    }

    /// A field that cannot be what the schedule needs, and why.
    public struct Problem: Error, Equatable, Sendable, CustomStringConvertible {
        public let field: String
        public let message: String
        public var description: String { "\(field): \(message)" }
    }

    /// What a form or the API sends, checked: each problem names its field. `timeZone`
    /// falls back to `defaultTimeZone` for automatic schedules.
    public static func parse(type: String, time: String?, weekday: Int?, weekdays: [Int]?, timeZone: String?, scheduleID: String?,
                             scheduleIDs: [String]? = nil, escalationPolicyID: String? = nil, maxLevel: Int? = nil,
                             defaultTimeZone: String = "Etc/UTC") throws(Problem) -> RotationSchedule {
        guard let kind = Kind(rawValue: type) else {
            throw Problem(field: "type", message: "expected manual, daily, weekly, weekdays, pagerduty or pagerduty_escalation_policy")
        }
        switch kind {
        case .manual:
            return .manual
        case .pagerDuty:
            let field = scheduleIDs == nil ? "schedule_id" : "schedule_ids"
            let given = (scheduleIDs ?? [scheduleID ?? ""]).map { $0.trimmingCharacters(in: .whitespaces) }
            guard scheduleIDs == nil || scheduleID == nil else {
                throw Problem(field: "schedule_ids", message: "send schedule_id for one schedule or schedule_ids for several, not both")
            }
            guard !given.isEmpty, given.count <= maxScheduleIDs else {
                throw Problem(field: field, message: "name 1 to \(maxScheduleIDs) PagerDuty schedules to follow, such as PABC123")
            }
            var ids: [String] = []
            for id in given {
                guard !id.isEmpty, id.unicodeScalars.count <= 64, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
                    throw Problem(field: field, message: "name the PagerDuty schedule to follow, such as PABC123")
                }
                guard !ids.contains(id) else { throw Problem(field: field, message: "\(id) is named twice") }
                ids.append(id)
            }
            return .pagerDuty(scheduleIDs: ids)
        case .pagerDutyEscalationPolicy:
            let id = (escalationPolicyID ?? "").trimmingCharacters(in: .whitespaces)
            guard !id.isEmpty, id.unicodeScalars.count <= 64, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
                throw Problem(field: "escalation_policy_id", message: "name the PagerDuty escalation policy to follow, such as PABC123")
            }
            let levels = maxLevel ?? 1
            guard (1...maxLevels).contains(levels) else {
                throw Problem(field: "max_level", message: "from 1 to \(maxLevels): the levels of the policy whose people are on duty")
            }
            return .pagerDutyEscalationPolicy(id: id, maxLevel: levels)
        case .daily, .weekly, .customDays:
            let zone = (timeZone?.isEmpty == false ? timeZone : nil) ?? defaultTimeZone
            guard zone.unicodeScalars.count <= 64, TimeZone(identifier: zone) != nil else {
                throw Problem(field: "time_zone", message: "'\(zone.prefix(64))' is not an IANA time zone, such as Europe/Berlin")
            }
            guard let text = time, let at = TimeOfDay(text) else { throw Problem(field: "time", message: "expected HH:mm, such as 09:00") }
            switch kind {
            case .daily:
                return .daily(at: at, timeZone: zone)
            case .weekly:
                guard let day = weekday ?? weekdays?.first, (1...7).contains(day) else {
                    throw Problem(field: "weekday", message: "expected 1 (Monday) to 7 (Sunday)")
                }
                return .weekly(weekday: day, at: at, timeZone: zone)
            default:
                let days = Set(weekdays ?? [])
                guard !days.isEmpty, days.allSatisfy({ (1...7).contains($0) }) else {
                    throw Problem(field: "weekdays", message: "choose at least one of 1 (Monday) to 7 (Sunday)")
                }
                return .customDays(days, at: at, timeZone: zone)
            }
        }
    }
}

extension RotationSchedule: Codable {
    enum CodingKeys: String, CodingKey { case type, time, weekdays, timeZone = "time_zone", scheduleID = "schedule_id", scheduleIDs = "schedule_ids"
        case escalationPolicyID = "escalation_policy_id", maxLevel = "max_level" }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind.rawValue, forKey: .type)
        try c.encodeIfPresent(time?.description, forKey: .time)
        if !weekdays.isEmpty { try c.encode(weekdays, forKey: .weekdays) }
        try c.encodeIfPresent(timeZoneIdentifier, forKey: .timeZone)
        switch pagerDutyScheduleIDs.count {
        case 0: break
        case 1: try c.encode(pagerDutyScheduleIDs[0], forKey: .scheduleID)
        default: try c.encode(pagerDutyScheduleIDs, forKey: .scheduleIDs)
        }
        if let policy = escalationPolicy {
            try c.encode(policy.id, forKey: .escalationPolicyID)
            try c.encode(policy.maxLevel, forKey: .maxLevel)
        }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let weekdays = try c.decodeIfPresent([Int].self, forKey: .weekdays)
        do {
            self = try Self.parse(type: try c.decode(String.self, forKey: .type), time: try c.decodeIfPresent(String.self, forKey: .time),
                                  weekday: weekdays?.first, weekdays: weekdays, timeZone: try c.decodeIfPresent(String.self, forKey: .timeZone),
                                  scheduleID: try c.decodeIfPresent(String.self, forKey: .scheduleID),
                                  scheduleIDs: try c.decodeIfPresent([String].self, forKey: .scheduleIDs),
                                  escalationPolicyID: try c.decodeIfPresent(String.self, forKey: .escalationPolicyID),
                                  maxLevel: try c.decodeIfPresent(Int.self, forKey: .maxLevel))
        } catch let problem as Problem {
            throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath, debugDescription: problem.description))
        }
    }
}
