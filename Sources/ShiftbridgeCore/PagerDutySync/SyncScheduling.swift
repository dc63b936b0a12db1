import Foundation

/// Which PagerDuty-bound rotations to read now: those whose schedule changed (audit records,
/// or an on-call poll that disagreed with the held timeline), those never read, those whose
/// last read failed (again after a wait that grows with the failure), and the oldest few of the
/// hourly refresh, as many as the allowance lets through.
public enum SyncScheduling {
    public struct Bound: Equatable, Sendable {
        public var id: UUID
        public var scheduleIDs: [String]
        public var syncedAt: Date?
        public var staleSince: Date?
        /// The last read or attempt.
        public var attemptedAt: Date?

        public init(id: UUID, scheduleIDs: [String], syncedAt: Date?, staleSince: Date?, attemptedAt: Date? = nil) {
            self.id = id
            self.scheduleIDs = scheduleIDs
            self.syncedAt = syncedAt
            self.staleSince = staleSince
            self.attemptedAt = attemptedAt
        }

        /// A failing rotation is tried again after as long as it has failed (at least a quarter
        /// of the sync interval, at most `maxRetryWait`): retries thin out as a failure lasts.
        func retryDue(at now: Date, syncInterval: TimeInterval) -> Bool {
            guard let staleSince else { return false }
            guard let attemptedAt else { return age(at: now) >= syncInterval / 4 }
            let wait = min(SyncScheduling.maxRetryWait, max(syncInterval / 4, attemptedAt.timeIntervalSince(staleSince)))
            return now.timeIntervalSince(attemptedAt) >= wait
        }

        func age(at now: Date) -> TimeInterval { syncedAt.map { now.timeIntervalSince($0) } ?? .infinity }
    }

    public struct Decision: Equatable, Sendable {
        /// In the order to read them.
        public var due: [UUID]
        /// How many of them are the spread-out refresh (spent from the allowance).
        public var refreshes: Int
    }

    /// The longest a failing rotation waits between tries.
    public static let maxRetryWait: TimeInterval = 900

    public static func decide(_ rotations: [Bound], changedSchedules: Set<String>, refreshAllowance: Int, now: Date,
                              syncInterval: TimeInterval, refreshInterval: TimeInterval) -> Decision {
        var due: [UUID] = []
        var chosen = Set<UUID>()
        for rotation in rotations {
            let changed = rotation.scheduleIDs.contains { changedSchedules.contains($0) }
            let neverRead = rotation.syncedAt == nil
            let retry = rotation.retryDue(at: now, syncInterval: syncInterval)
            if changed || neverRead || retry, chosen.insert(rotation.id).inserted { due.append(rotation.id) }
        }
        let refresh = rotations.filter { !chosen.contains($0.id) && $0.age(at: now) >= refreshInterval / 2 }
            .sorted { $0.age(at: now) > $1.age(at: now) }.prefix(max(0, refreshAllowance))
        due += refresh.map(\.id)
        return Decision(due: due, refreshes: refresh.count)
    }
}
