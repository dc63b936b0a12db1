import Fluent
import Foundation
import Vapor

/// Runs the PagerDuty sync under the app's lifecycle: every second, handoffs due on the held
/// timeline are applied (no PagerDuty call). Changes in PagerDuty are followed through its
/// audit records: one read a minute names the schedules that changed, and only those are read
/// again; every rotation is also re-read hourly to extend its held window. Where audit
/// records cannot be read, each bound rotation is re-read once a minute. A rotation's sync is
/// leased to one instance at a time.
enum RotationSyncScheduler {
    static let syncInterval: TimeInterval = 60
    static let refreshInterval: TimeInterval = 3600

    /// One pass over the bound rotations. Returns how many were read from PagerDuty.
    @discardableResult
    static func runOnce(_ app: Application) async -> Int {
        do {
            let now = app.now()
            let bound = try await Rotation.query(on: app.db).filter(\.$scheduleType == .pagerduty).filter(\.$enabled == true).all()
            guard !bound.isEmpty else { return 0 }
            let states = Dictionary(try await RotationSync.query(on: app.db).all().map { ($0.$rotation.id, $0) }, uniquingKeysWith: { first, _ in first })
            let changed = await app.changeFeed.poll(app, now: now)
            var synced = 0
            for rotation in bound {
                guard let id = rotation.id else { continue }
                let state = states[id]
                if let until = state?.onDutyUntil, until <= now {
                    try await app.pagerDutySync.applyHeldTimeline(rotation)
                }
                let age = state?.syncedAt.map { now.timeIntervalSince($0) } ?? .infinity
                let due: Bool = switch changed {
                case .following(let scheduleIDs): scheduleIDs.contains(rotation.pagerDutyScheduleID ?? "") || age >= refreshInterval
                case .notYetDue: age >= refreshInterval
                case .unavailable: age >= syncInterval
                }
                let retryStale = state?.staleSince != nil && (state?.syncedAt.map { now.timeIntervalSince($0) >= syncInterval / 4 } ?? true)
                guard due || retryStale, try await Leases.acquire("rotation-sync:\(id)", ttl: syncInterval - 5, on: app.db, now: now) else { continue }
                await app.pagerDutySync.sync(rotation)
                synced += 1
            }
            return synced
        } catch {
            app.logger.warning("rotation sync pass failed", metadata: ["error": "\(String(describing: error).prefix(200))"])
            return 0
        }
    }
}

/// What changed in PagerDuty since the last look, from its audit records.
actor ChangeFeed {
    enum Changes {
        /// Audit records were read: these schedules changed.
        case following(Set<String>)
        /// Read less than a minute ago; nothing new to say.
        case notYetDue
        /// The credential cannot read audit records: poll instead.
        case unavailable
    }

    private var lastRead: Date?
    private var unavailableUntil: Date?
    /// Records already acted on: the overlap between reads must not count them twice.
    private var seen: Set<String> = []

    func poll(_ app: Application, now: Date) async -> Changes {
        if let until = unavailableUntil, until > now { return .unavailable }
        if let lastRead, now.timeIntervalSince(lastRead) < RotationSyncScheduler.syncInterval { return .notYetDue }
        do {
            guard let client = try await app.pagerDuty.client() else { return .unavailable }
            // A few seconds of overlap: records are stamped by PagerDuty's clock, not ours.
            let since = (lastRead ?? now.addingTimeInterval(-RotationSyncScheduler.syncInterval)).addingTimeInterval(-10)
            let records = try await client.auditRecords(since: since, rootResourceTypes: ["schedules", "users"]).collect()
            lastRead = now
            let fresh = records.filter { !seen.contains($0.id) }
            seen = Set(records.map(\.id))
            var schedules = Set<String>()
            var users: [String] = []
            for record in fresh {
                guard let id = record.rootResource?.id else { continue }
                if record.rootResource?.type?.hasPrefix("schedule") == true { schedules.insert(id) } else { users.append(id) }
            }
            // A changed user's email or name is read again on the next sync that needs it.
            if !users.isEmpty { try await PagerDutyUserRecord.query(on: app.db).filter(\.$id ~~ users).delete() }
            return .following(schedules)
        } catch {
            // No audit access (403, or an account without the ability): poll for an hour, then look again.
            unavailableUntil = now.addingTimeInterval(RotationSyncScheduler.refreshInterval)
            app.logger.info("PagerDuty audit records unavailable; polling schedules instead", metadata: ["error": "\(String(describing: error).prefix(120))"])
            return .unavailable
        }
    }
}

extension Application {
    private struct ChangeFeedKey: StorageKey { typealias Value = ChangeFeed }

    /// This instance's view of PagerDuty's audit records (set up in `configure`).
    var changeFeed: ChangeFeed {
        get { storage[ChangeFeedKey.self]! }
        set { storage[ChangeFeedKey.self] = newValue }
    }
}
