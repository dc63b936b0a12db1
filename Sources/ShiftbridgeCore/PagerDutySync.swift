import Foundation

/// What a rotation bound to a PagerDuty schedule should look like, worked out from one
/// complete read of the schedule. Pure: the caller does the reading and the writing.
public enum PagerDutySyncPlanner {
    /// A PagerDuty user as the schedule names them.
    public struct ScheduleUser: Equatable, Hashable, Sendable {
        public var id: String
        public var email: String?
        public var name: String?
        public init(id: String, email: String?, name: String?) {
            self.id = id
            self.email = email
            self.name = name
        }
    }

    public struct Entry: Equatable, Sendable {
        public var start: Date
        public var end: Date?
        public var user: ScheduleUser
        /// The entry comes from an override, not from the layers.
        public var isOverride: Bool
        /// Where it comes from, when a rotation has several sources: a schedule's id, or the
        /// escalation level that targets the user directly.
        public var source: String?
        public init(start: Date, end: Date?, user: ScheduleUser, isOverride: Bool = false, source: String? = nil) {
            self.start = start
            self.end = end
            self.user = user
            self.isOverride = isOverride
            self.source = source
        }
    }

    /// One complete read of a schedule. Never build one from a partial or failed read.
    public struct Snapshot: Equatable, Sendable {
        /// Everyone on any layer, in layer order.
        public var layerUsers: [ScheduleUser]
        /// The final schedule (overrides included) over the look-ahead window.
        public var entries: [Entry]
        public init(layerUsers: [ScheduleUser], entries: [Entry]) {
            self.layerUsers = layerUsers
            self.entries = entries
        }
    }

    /// A person already in Shiftbridge's directory.
    public struct Person: Equatable, Sendable {
        public var id: String
        public var email: String
        public init(id: String, email: String) {
            self.id = id
            self.email = email
        }
    }

    public struct Member: Equatable, Sendable {
        public var email: String?
        public var name: String?
        /// The matching person in the directory; nil means "unlinked".
        public var personID: String?
        public var pagerDutyUserID: String
        public var linked: Bool { personID != nil }
    }

    public struct Plan: Equatable, Sendable {
        public var members: [Member]
        public var onDuty: [Member]
        /// When the current on-duty set next changes, if the window shows it.
        public var until: Date?
        public var linkedCount: Int { members.filter(\.linked).count }
    }

    /// Members: everyone on a layer plus anyone on an override in the window, once each, in
    /// order of appearance. On duty: everyone the final schedule has at `now` (several where
    /// PagerDuty says so). People match by email, case-insensitively.
    public static func plan(_ snapshot: Snapshot, people: [Person], now: Date) -> Plan {
        var byEmail: [String: String] = [:]
        for person in people { byEmail[normalize(person.email)] = person.id }
        func member(_ user: ScheduleUser) -> Member {
            Member(email: user.email, name: user.name, personID: user.email.flatMap { byEmail[normalize($0)] }, pagerDutyUserID: user.id)
        }
        var seen = Set<String>()
        let members = (snapshot.layerUsers + snapshot.entries.map(\.user))
            .filter { seen.insert($0.id).inserted }
            .map(member)
        let current = snapshot.entries.filter { $0.start <= now && ($0.end.map { $0 > now } ?? true) }
        var onDutySeen = Set<String>()
        let onDuty = current.map(\.user).filter { onDutySeen.insert($0.id).inserted }.map(member)
        // The set changes when a current entry ends or a new one begins, whichever is first.
        let endings = current.compactMap(\.end)
        let beginnings = snapshot.entries.map(\.start).filter { $0 > now }
        let until = (endings + beginnings).min()
        return Plan(members: members, onDuty: onDuty, until: until)
    }

    static func normalize(_ email: String) -> String {
        email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }
}

/// Whether two descriptions of who is on call agree over a window. PagerDuty may split or
/// merge the same shifts differently in `/oncalls` and in the final schedule, so they are
/// compared instant by instant, not entry by entry.
public enum OnCallCoverage {
    public struct Span: Equatable, Sendable {
        public var start: Date?
        public var end: Date?
        public var userID: String
        public init(start: Date?, end: Date?, userID: String) {
            self.start = start
            self.end = end
            self.userID = userID
        }
        func covers(_ instant: Date) -> Bool {
            (start.map { $0 <= instant } ?? true) && (end.map { $0 > instant } ?? true)
        }
    }

    /// True when, at some instant in `[from, until)`, the two name different sets of people.
    public static func differ(_ a: [Span], _ b: [Span], from: Date, until: Date) -> Bool {
        // Who is on call can only change at a span's edge: checking each edge in the window
        // (and its start) checks every elementary interval.
        var instants: Set<Date> = [from]
        for span in a + b {
            for edge in [span.start, span.end].compactMap({ $0 }) where edge > from && edge < until { instants.insert(edge) }
        }
        for instant in instants {
            let left = Set(a.filter { $0.covers(instant) }.map(\.userID))
            let right = Set(b.filter { $0.covers(instant) }.map(\.userID))
            if left != right { return true }
        }
        return false
    }
}
