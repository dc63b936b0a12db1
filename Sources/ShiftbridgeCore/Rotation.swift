import Foundation

/// Who is on duty in a rotation that Shiftbridge turns itself: an ordered member list, a
/// duty size, and the position of the first person on duty.
public struct RotationState: Equatable, Sendable {
    public private(set) var members: [String]
    public private(set) var dutySize: Int
    public private(set) var position: Int

    public init(members: [String], dutySize: Int = 1, position: Int = 0) {
        var seen = Set<String>()
        self.members = members.filter { seen.insert($0).inserted }
        self.dutySize = max(1, dutySize)
        self.position = self.members.isEmpty ? 0 : ((position % self.members.count) + self.members.count) % self.members.count
    }

    /// The people on duty now: `dutySize` members from `position`, wrapping, never repeating.
    public var onDuty: [String] {
        guard !members.isEmpty else { return [] }
        return (0..<min(dutySize, members.count)).map { members[(position + $0) % members.count] }
    }

    /// The next group takes over: the position moves on by the duty size.
    public func rotated(times: Int = 1) -> RotationState {
        RotationState(members: members, dutySize: dutySize, position: position + dutySize * times)
    }

    /// Puts `member` first on duty (`setonduty`); nil when they are not a member.
    public func settingOnDuty(_ member: String) -> RotationState? {
        guard let index = members.firstIndex(of: member) else { return nil }
        return RotationState(members: members, dutySize: dutySize, position: index)
    }

    /// The same rotation with a new member list; whoever was first on duty stays on duty if
    /// still a member, else the position is kept within bounds.
    public func replacingMembers(_ newMembers: [String]) -> RotationState {
        let first = onDuty.first
        var next = RotationState(members: newMembers, dutySize: dutySize, position: 0)
        if let first, let index = next.members.firstIndex(of: first) {
            next.position = index
        } else if !next.members.isEmpty {
            next.position = min(position, next.members.count - 1)
        }
        return next
    }
}

/// One stretch of time with the same people on duty.
public struct Shift: Equatable, Sendable {
    public var start: Date
    public var end: Date
    public var people: [String]
    /// Someone stands in for the regular turn (a PagerDuty override).
    public var isOverride: Bool

    public init(start: Date, end: Date, people: [String], isOverride: Bool = false) {
        self.start = start
        self.end = end
        self.people = people
        self.isOverride = isOverride
    }
}

public enum ShiftProjection {
    /// Upcoming shifts of a self-turning rotation from `now` to `until`: the current group
    /// until the next handoff, then each following group. Manual rotations: one open shift.
    public static func upcoming(_ state: RotationState, cadence: Cadence, timeZone: TimeZone, from now: Date, until: Date) -> [Shift] {
        guard !state.members.isEmpty else { return [] }
        var shifts: [Shift] = []
        var current = state
        var start = now
        for handoff in Handoffs.between(now, until, cadence: cadence, timeZone: timeZone) {
            shifts.append(Shift(start: start, end: handoff, people: current.onDuty))
            current = current.rotated()
            start = handoff
        }
        if start < until { shifts.append(Shift(start: start, end: until, people: current.onDuty)) }
        return shifts
    }
}
