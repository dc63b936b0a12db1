import Foundation

/// What a rotation that follows PagerDuty holds from its last complete read: who PagerDuty
/// has on call from when to when. Handoffs, the on-duty answer and upcoming shifts are all
/// read from it, between syncs and without asking PagerDuty.
public struct HeldTimeline: Equatable, Sendable, Codable {
    public struct Entry: Codable, Equatable, Sendable {
        public var start: Date
        public var end: Date?
        public var email: String?
        public var name: String?
        public var pagerDutyUserID: String
        /// From an override in PagerDuty (nil in timelines held before this was recorded).
        public var isOverride: Bool?
        /// Which source it comes from (a schedule id, or `level N`), when there are several.
        public var source: String?

        public init(start: Date, end: Date?, email: String?, name: String?, pagerDutyUserID: String, isOverride: Bool? = nil, source: String? = nil) {
            self.start = start
            self.end = end
            self.email = email
            self.name = name
            self.pagerDutyUserID = pagerDutyUserID
            self.isOverride = isOverride
            self.source = source
        }

        /// How the entry names its person: email, else name, else the PagerDuty id.
        public var label: String { email ?? name ?? pagerDutyUserID }
    }

    public var entries: [Entry]

    public init(entries: [Entry]) {
        self.entries = entries
    }

    /// Who is on duty at `instant` (each PagerDuty user once, several at once where PagerDuty
    /// says so), and when that next changes.
    public func duty(at instant: Date) -> (onDuty: [Entry], until: Date?) {
        var seen = Set<String>()
        let current = entries.filter { $0.start <= instant && ($0.end.map { $0 > instant } ?? true) }.filter { seen.insert($0.pagerDutyUserID).inserted }
        let next = (current.compactMap(\.end) + entries.map(\.start).filter { $0 > instant }).min()
        return (current, next)
    }

    /// Who is on duty, as change detection compares it: people by email, else PagerDuty users.
    public static func members(_ onDuty: [Entry]) -> [DutyMember] {
        onDuty.map { entry in entry.email.map { .person(email: $0) } ?? .pagerDutyUser(id: entry.pagerDutyUserID) }
    }

    /// Shifts from `now` until `horizon`, as PagerDuty has them.
    public func shifts(from now: Date, until horizon: Date) -> [Shift] {
        entries.filter { ($0.end ?? .distantFuture) > now && $0.start < horizon }
            .map { Shift(start: $0.start, end: $0.end ?? horizon, people: [$0.label], isOverride: $0.isOverride ?? false) }
    }

    /// Spans of one unchanging on-duty set from `now` until `horizon` (at most `limit`): what
    /// a rotation following these entries would say, change by change.
    public func segments(from now: Date, until horizon: Date, limit: Int = 50) -> [Segment] {
        var segments: [Segment] = []
        var instant = now
        while instant < horizon, segments.count < limit {
            let (onDuty, until) = duty(at: instant)
            // A shift that ends where the same person's next begins is no change.
            if let last = segments.last, Set(last.onDuty.map(\.pagerDutyUserID)) == Set(onDuty.map(\.pagerDutyUserID)) {
                segments[segments.count - 1].end = until
            } else {
                segments.append(Segment(start: instant, end: until, onDuty: onDuty))
            }
            guard let until, until > instant else { break }
            instant = until
        }
        return segments
    }

    public struct Segment: Equatable, Sendable {
        public var start: Date
        /// Nil when nothing ever changes it.
        public var end: Date?
        public var onDuty: [Entry]
    }
}
