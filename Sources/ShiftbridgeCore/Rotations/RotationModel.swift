import Foundation

/// A rotation as one value. From its schedule, its members, where it stood when last saved
/// and (for one following PagerDuty) the timeline held from the last complete read, it answers
/// who is on duty at any instant and why, when the next handoff is, who turns it, and where
/// its members come from. Duty, handoffs, the editor, Slack, the calendar feed, the Overview
/// and the rotation page all ask it; none works these out on its own.
///
/// A new schedule source is a new `RotationSchedule` case: `turnedBy` says who turns it, and
/// `duty(at:)` reads it from the saved state or the held timeline.
public struct RotationModel: Sendable, Equatable {
    public let schedule: RotationSchedule
    public let enabled: Bool
    /// Members in order (emails), the duty size and the first on duty, as last saved.
    public let saved: RotationState
    /// When `saved` was saved: handoffs of its own schedule since then have happened.
    public let savedAt: Date
    /// For a rotation following PagerDuty: who PagerDuty has on call, as last read whole.
    public let timeline: HeldTimeline

    public init(schedule: RotationSchedule, enabled: Bool, members: [String], dutySize: Int, position: Int, savedAt: Date,
                timeline: HeldTimeline = HeldTimeline(entries: [])) {
        self.schedule = schedule
        self.enabled = enabled
        self.saved = RotationState(members: members, dutySize: dutySize, position: position)
        self.savedAt = savedAt
        self.timeline = timeline
    }

    public struct Assignment: Equatable, Sendable {
        public let member: DutyMember
        public let reason: DutyReason
        /// The name PagerDuty gave, when it gave one.
        public let name: String?

        public init(member: DutyMember, reason: DutyReason, name: String? = nil) {
            self.member = member
            self.reason = reason
            self.name = name
        }
    }

    public struct Duty: Equatable, Sendable {
        public let onDuty: [Assignment]
        /// When who is on duty next changes; nil when nothing changes it on its own.
        public let until: Date?

        public init(onDuty: [Assignment], until: Date?) {
            self.onDuty = onDuty
            self.until = until
        }

        public var members: [DutyMember] { onDuty.map(\.member) }
    }

    // MARK: Who turns it

    public var turnedBy: RotationTurner {
        if schedule.followsPagerDuty { return .pagerDuty }
        return schedule.cadence == nil ? .people : .schedule
    }

    /// Whether people may move it on (Rotate, set on duty): not when PagerDuty decides.
    public var canRotate: Bool { turnedBy != .pagerDuty }

    /// Its members are whoever PagerDuty names, not a list kept here.
    public var membersFromPagerDuty: Bool { turnedBy == .pagerDuty }

    /// The cadence handoffs follow: none when people turn it, or while it is disabled.
    private var activeCadence: Cadence? { enabled ? schedule.cadence : nil }

    // MARK: Answers

    /// Who is on duty at `instant`, why, and until when.
    public func duty(at instant: Date) -> Duty {
        if turnedBy == .pagerDuty {
            let (current, until) = timeline.duty(at: instant)
            return Duty(onDuty: current.map { entry in
                Assignment(member: entry.email.map { .person(email: $0) } ?? .pagerDutyUser(id: entry.pagerDutyUserID),
                           reason: entry.isOverride == true ? .override : .pagerDuty, name: entry.name)
            }, until: until)
        }
        let reason: DutyReason = turnedBy == .schedule ? .schedule : .turn
        return Duty(onDuty: state(at: instant).onDuty.map { Assignment(member: .person(email: $0), reason: reason) },
                    until: nextHandoff(after: instant))
    }

    /// A self-turning rotation's state at `instant`: the saved one moved on by every handoff its
    /// schedule made since it was saved. (A rotation following PagerDuty keeps its saved state.)
    public func state(at instant: Date) -> RotationState {
        let due = handoffs(after: savedAt, through: instant)
        return due.isEmpty ? saved : saved.rotated(times: due.count)
    }

    /// The handoffs in `(start, end]`.
    public func handoffs(after start: Date, through end: Date) -> [Date] {
        guard let cadence = activeCadence else { return [] }
        return Handoffs.between(start, end, cadence: cadence, timeZone: schedule.timeZone)
    }

    /// The first moment after `instant` when who is on duty changes on its own.
    public func nextHandoff(after instant: Date) -> Date? {
        if turnedBy == .pagerDuty { return timeline.duty(at: instant).until }
        guard let cadence = activeCadence else { return nil }
        return Handoffs.next(after: instant, cadence: cadence, timeZone: schedule.timeZone)
    }

    /// Who is on duty from `start` until `end`, shift by shift (PagerDuty's shifts as it has
    /// them, overrides marked; a self-turning rotation's projected turns).
    public func shifts(from start: Date, until end: Date) -> [Shift] {
        if turnedBy == .pagerDuty { return timeline.shifts(from: start, until: end) }
        return ShiftProjection.upcoming(state(at: start), cadence: activeCadence ?? .manual, timeZone: schedule.timeZone, from: start, until: end)
    }
}
