import Fluent
import Foundation
import PagerDutyKit
import ShiftbridgeCore
import Vapor

/// Runs rotations under the app's lifecycle:
/// - Handoffs that came due are applied at their boundary, from the held PagerDuty timeline or from the
///   rotation's own schedule, without calling PagerDuty. One instance does this at a time
///   (a database lease), so a handoff is recorded and announced once.
/// - Changes in PagerDuty are followed through its audit records: one read a minute names
///   the schedules that changed, and only those are read again. Where audit records cannot
///   be read, one batched `/oncalls` poll a minute (many `schedule_ids[]` per request) is
///   compared with the held timelines, and only schedules that disagree are read again.
/// - Every rotation is also re-read about once an hour, spread evenly, to extend its held
///   window. Each rotation's sync is leased to one instance at a time.
enum RotationSyncScheduler {
    static let syncInterval: TimeInterval = 60
    static let refreshInterval: TimeInterval = 3600
    /// How far ahead the `/oncalls` poll compares; later edits arrive with the hourly refresh.
    static let pollWindow: TimeInterval = 24 * 3600
    static let schedulesPerPoll = 100
    /// Schedules `/oncalls` cannot see (on no escalation policy) are re-read this often instead.
    static let unobservableInterval: TimeInterval = 600

    /// One pass of both: due handoffs, then due syncs. Returns how many rotations were read
    /// from PagerDuty. (The server runs them as two loops: `HandoffJob` and `syncOnce`.)
    @discardableResult
    static func runOnce(_ app: Application) async -> Int {
        do {
            try await applyDueHandoffs(app, now: app.now())
        } catch {
            app.logger.warning("handoff pass failed", metadata: ["error": "\(String(describing: error).prefix(200))"])
        }
        return await syncOnce(app)
    }

    @discardableResult
    static func syncOnce(_ app: Application) async -> Int {
        do {
            return try await syncDue(app, now: app.now())
        } catch {
            app.logger.warning("rotation sync pass failed", metadata: ["error": "\(String(describing: error).prefix(200))"])
            return 0
        }
    }

    /// Applies every handoff due by `now`, PagerDuty-bound or self-turning. Returns when the
    /// next one is due, so the caller can wake for it.
    @discardableResult
    static func applyDueHandoffs(_ app: Application, now: Date) async throws -> Date? {
        guard try await Leases.acquire("rotation-handoffs", ttl: 10, on: app.db, now: now) else { return nil }
        let due = try await RotationSync.query(on: app.db).filter(\.$onDutyUntil <= now).with(\.$rotation).all()
            .filter { $0.rotation.enabled && $0.rotation.scheduleType == .pagerduty }
        if !due.isEmpty { try await app.pagerDutySync.applyHandoffs(due, now: now) }
        var next = try await RotationSync.query(on: app.db).filter(\.$onDutyUntil > now).sort(\.$onDutyUntil).first()?.onDutyUntil
        let turning = try await Rotation.query(on: app.db).filter(\.$scheduleType ~~ [.daily, .weekly, .weekdays]).filter(\.$enabled == true).all()
        for rotation in turning {
            guard let cadence = Rotations.cadence(rotation) else { continue }
            let zone = TimeZone(identifier: rotation.timeZone) ?? .gmt
            guard let handoff = Handoffs.next(after: rotation.positionAt, cadence: cadence, timeZone: zone) else { continue }
            if handoff <= now {
                _ = try await app.rotations.settle(rotation)
                if let following = Handoffs.next(after: now, cadence: cadence, timeZone: zone) { next = min(next ?? following, following) }
            } else {
                next = min(next ?? handoff, handoff)
            }
        }
        return next
    }

    /// The handoff loop: a pass, then sleep until the next handoff is due (at most a second),
    /// so a handoff lands within milliseconds of its boundary, not up to a second late.
    struct HandoffJob: LifecycleHandler {
        private let task = TaskBox()

        func didBootAsync(_ application: Application) async throws {
            task.start {
                while !Task.isCancelled {
                    var wait: TimeInterval = 1
                    do {
                        if let next = try await RotationSyncScheduler.applyDueHandoffs(application, now: application.now()) {
                            wait = min(1, max(0.01, next.timeIntervalSince(application.now()) + 0.005))
                        }
                    } catch {
                        application.logger.warning("handoff pass failed", metadata: ["error": "\(String(describing: error).prefix(200))"])
                    }
                    try? await Task.sleep(nanoseconds: UInt64(wait * 1_000_000_000))
                }
            }
        }

        func shutdownAsync(_ application: Application) async {
            await task.cancel()
        }
    }

    static func syncDue(_ app: Application, now: Date) async throws -> Int {
        let changes = await app.changeFeed.poll(app, now: now)
        guard await app.changeFeed.scanDue(now: now, changes: changes) else { return 0 }
        let bound = try await Rotation.query(on: app.db).filter(\.$scheduleType == .pagerduty).filter(\.$enabled == true).all()
        guard !bound.isEmpty else { return 0 }
        let states = Dictionary(try await RotationSync.query(on: app.db).filter(\.$rotation.$id ~~ bound.compactMap(\.id)).all().map { ($0.$rotation.id, $0) },
                                uniquingKeysWith: { first, _ in first })
        func age(_ rotation: Rotation) -> TimeInterval {
            states[rotation.id!]?.syncedAt.map { now.timeIntervalSince($0) } ?? .infinity
        }
        var due = Set<UUID>()
        switch changes {
        case .following(let scheduleIDs):
            for rotation in bound where scheduleIDs.contains(rotation.pagerDutyScheduleID ?? "") { due.insert(rotation.id!) }
        case .unavailable:
            let disagreeing = await pollOnCalls(app, bound: bound, states: states, now: now)
            for rotation in bound where disagreeing.contains(rotation.pagerDutyScheduleID ?? "") { due.insert(rotation.id!) }
        case .notYetDue:
            break
        }
        for rotation in bound {
            let state = states[rotation.id!]
            // Never read, or a failed read to retry soon.
            if state?.syncedAt == nil || (state?.staleSince != nil && age(rotation) >= syncInterval / 4) { due.insert(rotation.id!) }
        }
        // The hourly refresh, spread evenly: the oldest first, as many as the allowance permits.
        let allowance = await app.changeFeed.refreshAllowance(rotations: bound.count, now: now)
        let refresh = bound.filter { !due.contains($0.id!) && age($0) >= refreshInterval / 2 }.sorted { age($0) > age($1) }.prefix(allowance)
        due.formUnion(refresh.map { $0.id! })
        await app.changeFeed.spendRefreshes(refresh.count)

        var synced = 0
        for rotation in bound where due.contains(rotation.id!) {
            guard try await Leases.acquire("rotation-sync:\(rotation.id!)", ttl: syncInterval - 5, on: app.db, now: now) else { continue }
            await app.pagerDutySync.sync(rotation)
            synced += 1
        }
        return synced
    }

    /// Schedules whose on-call, per one batched `/oncalls` read, differs from the held timeline
    /// over the next `pollWindow`. An incomplete read names none: nothing is acted on partially.
    static func pollOnCalls(_ app: Application, bound: [Rotation], states: [UUID: RotationSync], now: Date) async -> Set<String> {
        guard await app.changeFeed.onCallPollDue(now: now) else { return [] }
        let until = now.addingTimeInterval(pollWindow)
        let scheduleIDs = Array(Set(bound.compactMap(\.pagerDutyScheduleID))).sorted()
        var observed: [String: [OnCallCoverage.Span]] = [:]
        do {
            guard let client = try await app.pagerDuty.client() else { return [] }
            for start in stride(from: 0, to: scheduleIDs.count, by: schedulesPerPoll) {
                let batch = Array(scheduleIDs[start..<min(start + schedulesPerPoll, scheduleIDs.count)])
                for try await onCall in client.onCalls(scheduleIDs: batch, since: now, until: until) {
                    guard let scheduleID = onCall.schedule?.id, let userID = onCall.user?.id else { continue }
                    observed[scheduleID, default: []].append(.init(start: onCall.start, end: onCall.end, userID: userID))
                }
            }
            await app.changeFeed.onCallPollSucceeded(now: now)
        } catch {
            app.logger.warning("PagerDuty on-call poll failed; rotations keep their state", metadata: ["error": "\(String(describing: error).prefix(200))"])
            return []
        }
        var disagreeing = Set<String>()
        for rotation in bound {
            guard let scheduleID = rotation.pagerDutyScheduleID, let state = states[rotation.id!], state.syncedAt != nil else { continue }
            let held = state.entries.map { OnCallCoverage.Span(start: $0.start, end: $0.end, userID: $0.pagerDutyUserID) }
            guard let seen = observed[scheduleID] else {
                // Not on any escalation policy, so `/oncalls` cannot show it: re-read it now and then.
                let age = state.syncedAt.map { now.timeIntervalSince($0) } ?? .infinity
                if !held.isEmpty && age >= unobservableInterval { disagreeing.insert(scheduleID) }
                continue
            }
            if OnCallCoverage.differ(held, seen, from: now, until: until) { disagreeing.insert(scheduleID) }
        }
        return disagreeing
    }
}

/// What changed in PagerDuty since the last look, from its audit records; and the pacing of
/// this instance's reads.
actor ChangeFeed {
    enum Changes: Equatable {
        /// Audit records were read: these schedules changed.
        case following(Set<String>)
        /// Read less than a minute ago; nothing new to say.
        case notYetDue
        /// The credential cannot read audit records: poll `/oncalls` instead.
        case unavailable
    }

    private var lastRead: Date?
    private var unavailableUntil: Date?
    /// Records already acted on: the overlap between reads must not count them twice.
    private var seen: Set<String> = []
    private var lastScan: Date?
    private var lastOnCallPoll: Date?
    private var refreshCredit: Double = 0
    private var lastCredit: Date?

    func poll(_ app: Application, now: Date) async -> Changes {
        if let until = unavailableUntil, until > now { return .unavailable }
        if let lastRead, now.timeIntervalSince(lastRead) < RotationSyncScheduler.syncInterval { return .notYetDue }
        guard let client = try? await app.pagerDuty.client() else { return .notYetDue }
        do {
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
        } catch let error as PagerDutyError {
            switch error {
            case .forbidden, .paymentRequired, .notFound:
                // No audit access (missing scope, or an account without the ability): poll for an hour, then look again.
                unavailableUntil = now.addingTimeInterval(RotationSyncScheduler.refreshInterval)
                app.logger.info("PagerDuty audit records unavailable; polling on-calls instead", metadata: ["error": "\(String(describing: error).prefix(120))"])
                return .unavailable
            default:
                // A passing failure: the next look starts from the last good read, so nothing is missed.
                app.logger.warning("reading PagerDuty audit records failed", metadata: ["error": "\(String(describing: error).prefix(120))"])
                return .notYetDue
            }
        } catch {
            app.logger.warning("reading PagerDuty audit records failed", metadata: ["error": "\(String(describing: error).prefix(120))"])
            return .notYetDue
        }
    }

    /// Whether this pass should look at the bound rotations at all: when there is news, and
    /// otherwise every few seconds (retries of stale rotations, the spread-out refresh).
    func scanDue(now: Date, changes: Changes) -> Bool {
        let news = switch changes {
        case .following: true
        case .unavailable: onCallPollDue(now: now)
        case .notYetDue: false
        }
        if news || lastScan.map({ now.timeIntervalSince($0) >= 5 || now < $0 }) ?? true {
            lastScan = now
            return true
        }
        return false
    }

    func onCallPollDue(now: Date) -> Bool {
        lastOnCallPoll.map { now.timeIntervalSince($0) >= RotationSyncScheduler.syncInterval || now < $0 } ?? true
    }

    func onCallPollSucceeded(now: Date) { lastOnCallPoll = now }

    /// How many rotations may be refreshed now so that each is refreshed about hourly, evenly
    /// over time rather than all in the minute their hour is up.
    func refreshAllowance(rotations: Int, now: Date) -> Int {
        let elapsed = lastCredit.map { max(0, now.timeIntervalSince($0)) } ?? 0
        lastCredit = now
        let perSecond = Double(rotations) / RotationSyncScheduler.refreshInterval
        refreshCredit = min(refreshCredit + elapsed * perSecond, perSecond * 60 + 1)
        return Int(refreshCredit)
    }

    func spendRefreshes(_ count: Int) { refreshCredit = max(0, refreshCredit - Double(count)) }

    private var wholeUserListReadAt: Date?

    /// Whether a sync may read PagerDuty's whole user list now (at most every ten minutes).
    func takeWholeUserListRead(now: Date) -> Bool {
        if let last = wholeUserListReadAt, now.timeIntervalSince(last) < 600, now >= last { return false }
        wholeUserListReadAt = now
        return true
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
