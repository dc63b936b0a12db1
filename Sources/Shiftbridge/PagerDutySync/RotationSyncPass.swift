import Fluent
import Foundation
import Logging
import PagerDutyKit
import ShiftbridgeCore

/// One pass of following PagerDuty: what changed (audit records, or where they cannot be
/// read, one batched `/oncalls` poll compared with the held timelines), which rotations to
/// read now (the pure `SyncScheduling`), and those reads, each under a lease of its own.
struct RotationSyncPass {
    let db: any Database
    let clock: any AppClock
    let sync: PagerDutyRotationSync
    let clients: PagerDutyClients
    let changeFeed: ChangeFeed
    let unreadable: UnreadableRecords
    let logger: Logger

    /// How far ahead the `/oncalls` poll compares; later edits arrive with the hourly refresh.
    static let pollWindow: TimeInterval = 24 * 3600
    static let schedulesPerPoll = 100
    /// Schedules `/oncalls` cannot see (on no escalation policy) are re-read this often instead.
    static let unobservableInterval: TimeInterval = 600

    /// Returns how many rotations were read from PagerDuty.
    @discardableResult
    func run(holder: String) async throws -> Int {
        let now = clock.now()
        // While PagerDuty fails, passes wait (doubling): an outage is not a storm. Handoffs go
        // on from the held timelines meanwhile.
        guard await !changeFeed.backingOff(now: now) else { return 0 }
        let client = try? await clients.client(for: .handoff)
        let changes = await changeFeed.poll(client, db: db, now: now, logger: logger)
        if changes == .failing {
            await changeFeed.recordOutage(now: now)
            return 0
        }
        if case .following = changes { await clients.record(.success(())) }
        guard await changeFeed.scanDue(now: now, changes: changes) else { return 0 }
        var bound: [Rotation] = []
        var schedules: [UUID: RotationSchedule] = [:]
        for rotation in try await Rotation.query(on: db).filter(\.$scheduleKind ~~ RotationSchedule.Kind.followingPagerDuty).filter(\.$enabled == true).all() {
            do {
                schedules[try rotation.requireID()] = try rotation.schedule
                bound.append(rotation)
            } catch let error as UnreadableRecord {
                unreadable.skip(error, by: "pagerduty-sync")
            }
        }
        guard !bound.isEmpty else { return 0 }
        let states = Dictionary(try await RotationSync.query(on: db).filter(\.$rotation.$id ~~ bound.compactMap(\.id)).all().map { ($0.$rotation.id, $0) },
                                uniquingKeysWith: { first, _ in first })
        let changed: Set<String> = switch changes {
        case .following(let schedules): schedules
        case .unavailable: await pollOnCalls(client, bound: bound, schedules: schedules, states: states, now: now)
        case .notYetDue, .failing: []
        }
        let allowance = await changeFeed.refreshAllowance(rotations: bound.count, now: now)
        let decision = SyncScheduling.decide(
            bound.map { .init(id: $0.id!, scheduleIDs: schedules[$0.id!]?.pagerDutySourceIDs ?? [], syncedAt: states[$0.id!]?.syncedAt,
                              staleSince: states[$0.id!]?.staleSince, attemptedAt: states[$0.id!]?.attemptedAt) },
            changedSchedules: changed, refreshAllowance: allowance, now: now,
            syncInterval: ChangeFeed.interval, refreshInterval: await changeFeed.currentRefreshInterval(now: now, rotations: bound.count))
        await changeFeed.spendRefreshes(decision.refreshes)
        let byID = Dictionary(uniqueKeysWithValues: bound.map { ($0.id!, $0) })
        var synced = 0
        // The refreshes come last in `due`; what changed (or was never read) comes first and
        // is what handoffs depend on.
        let urgent = decision.due.count - decision.refreshes
        for (index, id) in decision.due.enumerated() {
            guard let rotation = byID[id],
                  // Stamped when taken: a long pass must not hand out leases already expired.
                  try await Leases.acquire("rotation-sync:\(id)", ttl: ChangeFeed.interval - 5, on: db, holder: holder, now: clock.now()) else { continue }
            let outcome = await sync.sync(rotation, priority: index < urgent ? .handoff : .sync)
            synced += 1
            // PagerDuty stopped answering: the rest wait for the outage backoff, not each their own failure.
            if case .unreachable = outcome {
                await changeFeed.recordOutage(now: clock.now())
                break
            }
        }
        return synced
    }

    /// Schedules whose on-call, per one batched `/oncalls` read, differs from the held timeline
    /// over the next `pollWindow`. An incomplete read names none: nothing is acted on partially.
    private func pollOnCalls(_ client: PagerDutyClient?, bound: [Rotation], schedules: [UUID: RotationSchedule], states: [UUID: RotationSync],
                             now: Date) async -> Set<String> {
        guard let client, await changeFeed.onCallPollDue(now: now) else { return [] }
        let until = now.addingTimeInterval(Self.pollWindow)
        let scheduleIDs = Array(Set(schedules.values.flatMap(\.pagerDutyScheduleIDs))).sorted()
        var observed: [String: [OnCallCoverage.Span]] = [:]
        do {
            for start in stride(from: 0, to: scheduleIDs.count, by: Self.schedulesPerPoll) {
                let batch = Array(scheduleIDs[start..<min(start + Self.schedulesPerPoll, scheduleIDs.count)])
                for try await onCall in client.onCalls(scheduleIDs: batch, since: now, until: until) {
                    guard let scheduleID = onCall.schedule?.id, let userID = onCall.user?.id else { continue }
                    observed[scheduleID, default: []].append(.init(start: onCall.start, end: onCall.end, userID: userID))
                }
            }
            await changeFeed.onCallPollSucceeded(now: now)
        } catch {
            logger.warning("PagerDuty on-call poll failed; rotations keep their state", metadata: ["error": "\(String(describing: error).prefix(200))"])
            if (error as? PagerDutyError)?.isOutage ?? true { await changeFeed.recordOutage(now: now) }
            return []
        }
        await clients.record(.success(()))
        var disagreeing = Set<String>()
        for rotation in bound {
            let followed = schedules[rotation.id!]?.pagerDutyScheduleIDs ?? []
            guard !followed.isEmpty, let state = states[rotation.id!], state.syncedAt != nil else { continue }
            let timeline: HeldTimeline
            do { timeline = try state.timeline } catch let error as UnreadableRecord {
                unreadable.skip(error, by: "pagerduty-sync")
                continue
            } catch {
                continue
            }
            let held = timeline.entries.map { OnCallCoverage.Span(start: $0.start, end: $0.end, userID: $0.pagerDutyUserID) }
            // The held timeline is the union of the schedules followed; so is what is compared.
            guard followed.allSatisfy({ observed[$0] != nil }) else {
                // One is on no escalation policy, so `/oncalls` cannot show it: re-read now and then.
                let age = state.syncedAt.map { now.timeIntervalSince($0) } ?? .infinity
                if !held.isEmpty && age >= Self.unobservableInterval { disagreeing.formUnion(followed) }
                continue
            }
            if OnCallCoverage.differ(held, followed.flatMap { observed[$0] ?? [] }, from: now, until: until) { disagreeing.formUnion(followed) }
        }
        return disagreeing
    }
}
