import Fluent
import Foundation
import Logging
import PagerDutyKit
import ShiftbridgeCore

/// Rotations that follow PagerDuty schedules. A sync is one complete read of the schedule
/// (layers and the final schedule for the next 14 days); only a complete read changes a
/// rotation. Between syncs, handoffs come from the held timeline (`RotationHandoffs`).
struct PagerDutyRotationSync {
    let db: any Database
    let clock: any AppClock
    let clients: PagerDutyClients
    let changeFeed: ChangeFeed
    let dutyChanges: DutyChanges
    let logger: Logger

    static let lookAhead: TimeInterval = 14 * 86_400
    /// More unknown users than this in one schedule: read the whole user list instead.
    static let wholeListThreshold = 3

    enum Outcome: Equatable {
        case synced(changedDuty: Bool)
        case stale(String)
        /// PagerDuty did not answer (down, unreachable, overloaded): marked stale, and a sign to wait.
        case unreachable(String)
        case sourceMissing
    }

    /// Throws unless PagerDuty has every schedule, or the policy, `schedule` names (before a
    /// rotation is bound to them).
    func checkSources(_ schedule: RotationSchedule) async throws {
        guard let client = try await clients.client(for: .handoff) else {
            throw AppError(.conflict, code: "not_connected", "Connect PagerDuty under Settings → Integrations before binding a rotation")
        }
        do {
            if let policy = schedule.escalationPolicy {
                do { _ = try await client.escalationPolicy(id: policy.id) } catch PagerDutyError.notFound {
                    throw AppError.invalidField("escalation_policy_id", "PagerDuty has no escalation policy \(policy.id)")
                }
            }
            for scheduleID in schedule.pagerDutyScheduleIDs {
                do { _ = try await client.schedule(id: scheduleID) } catch PagerDutyError.notFound {
                    throw AppError.invalidField(schedule.pagerDutyScheduleIDs.count == 1 ? "schedule_id" : "schedule_ids", "PagerDuty has no schedule \(scheduleID)")
                }
            }
        } catch let error as PagerDutyError {
            throw PagerDutyClients.explain(error, baseURL: client.configuration.baseURL, method: nil)
        }
    }

    /// One sync: every schedule the rotation follows, read whole; the union is what it holds.
    /// Any failed or missing read keeps the last good state and marks the rotation stale.
    @discardableResult
    func sync(_ rotation: Rotation, priority: RequestPriority = .handoff) async -> Outcome {
        let schedule: RotationSchedule
        do { schedule = try rotation.schedule } catch { return .stale(String(describing: error)) }
        guard schedule.followsPagerDuty else { return .stale("not bound") }
        let now = clock.now()
        do {
            guard let client = try await clients.client(for: priority) else { return await markStale(rotation, "PagerDuty is not connected", now: now) }
            // An escalation policy's levels name the schedules and the users paged directly.
            var scheduleIDs = schedule.pagerDutyScheduleIDs
            var directUserIDs: [String] = []
            var directLevel: [String: Int] = [:]
            if let policy = schedule.escalationPolicy {
                let read: PDEscalationPolicy
                do { read = try await client.escalationPolicy(id: policy.id) } catch PagerDutyError.notFound {
                    return await markMissing(rotation, scheduleID: policy.id, now: now)
                }
                for (level, targets) in read.levels.prefix(policy.maxLevel).enumerated() {
                    for target in targets {
                        if target.type?.hasPrefix("schedule") == true, !scheduleIDs.contains(target.id) { scheduleIDs.append(target.id) }
                        if target.type?.hasPrefix("user") == true, !directUserIDs.contains(target.id) {
                            directUserIDs.append(target.id)
                            directLevel[target.id] = level + 1
                        }
                    }
                }
            }
            var schedules: [PDSchedule] = []
            for scheduleID in scheduleIDs {
                do {
                    schedules.append(try await client.schedule(id: scheduleID, since: now, until: now.addingTimeInterval(Self.lookAhead), overflow: true))
                } catch PagerDutyError.notFound {
                    return await markMissing(rotation, scheduleID: scheduleID, now: now)
                }
            }
            let ids = schedules.flatMap { $0.layerUserIDs + $0.finalEntries.compactMap { $0.user?.id } } + directUserIDs
            let users = try await pagerDutyUsers(Array(Set(ids)), scheduleIDs: scheduleIDs, client: client, now: now)
            func user(_ id: String, fallbackName: String?) -> PagerDutySyncPlanner.ScheduleUser {
                PagerDutySyncPlanner.ScheduleUser(id: id, email: users[id]?.email, name: users[id]?.name ?? fallbackName)
            }
            var layerUsers: [PagerDutySyncPlanner.ScheduleUser] = []
            for id in schedules.flatMap(\.layerUserIDs) + directUserIDs where !layerUsers.contains(where: { $0.id == id }) {
                layerUsers.append(user(id, fallbackName: nil))
            }
            let snapshot = PagerDutySyncPlanner.Snapshot(
                layerUsers: layerUsers,
                entries: (schedules.flatMap { schedule in
                    schedule.finalEntries.compactMap { entry in
                        // An entry is an override's when an override puts the same person on over its start.
                        let overridden = schedule.overrideEntries.contains { override in
                            override.user?.id == entry.user?.id && override.start <= entry.start && (override.end.map { $0 > entry.start } ?? true)
                        }
                        return entry.user.map { PagerDutySyncPlanner.Entry(start: entry.start, end: entry.end, user: user($0.id, fallbackName: $0.name),
                                                                           isOverride: overridden, source: schedule.id) }
                    }
                }
                // Users a level targets directly are paged whenever the policy is: always on duty.
                + directUserIDs.map { PagerDutySyncPlanner.Entry(start: now, end: nil, user: user($0, fallbackName: nil),
                                                                 source: "level \(directLevel[$0] ?? 1)") })
                    .sorted { $0.start < $1.start })
            let changed = try await apply(snapshot, to: rotation, now: now)
            await clients.record(.success(()))
            return .synced(changedDuty: changed)
        } catch {
            await clients.record(.failure(error))
            let message = (error as? PagerDutyError)?.description ?? String(describing: error)
            let outcome = await markStale(rotation, message, now: now)
            return (error as? PagerDutyError)?.isOutage == true ? .unreachable(message) : outcome
        }
    }

    /// Emails and names for PagerDuty user ids: from the local record, else read from PagerDuty.
    /// When several are missing: the whole user list (100 a page, at most every ten minutes),
    /// so the first syncs of an account cost one list read; in an account too big to list
    /// (over 10,000), the schedules' own users for the held window, one read per schedule.
    /// Whoever is still missing is read one by one. Listing is only for emails: a user not in
    /// a cut-short list is never taken to be deleted.
    private func pagerDutyUsers(_ ids: [String], scheduleIDs: [String], client: PagerDutyClient, now: Date) async throws -> [String: PagerDutyUserRecord] {
        var known = Dictionary(uniqueKeysWithValues: try await PagerDutyUserRecord.query(on: db).filter(\.$id ~~ ids).all().map { ($0.id!, $0) })
        var missing = Set(ids.filter { known[$0] == nil })
        guard !missing.isEmpty else { return known }
        var fetched: [PagerDutyUserRecord] = []
        func record(_ id: String, _ user: PDUser?) -> PagerDutyUserRecord {
            PagerDutyUserRecord(id: id, email: user?.email.map(User.normalize(email:)), name: user?.name, fetchedAt: now)
        }
        if missing.count > Self.wholeListThreshold, await changeFeed.takeWholeUserListRead(now: now) {
            var listed: [PDUser] = []
            var complete = true
            var pages = client.users().makeAsyncIterator()
            do {
                while let user = try await pages.next() { listed.append(user) }
            } catch PagerDutyError.paginationLimitReached {
                complete = false
                await changeFeed.markUserListTooLong()
            }
            let already = Set(try await PagerDutyUserRecord.query(on: db).all(\.$id))
            // Remember everyone read, so the next schedules need no read at all.
            var seen = Set<String>()
            fetched = listed.filter { !already.contains($0.id) && seen.insert($0.id).inserted }.map { record($0.id, $0) }
            missing.subtract(listed.map(\.id))
            if complete {
                // Named by a schedule but not in the whole list: a deleted user, remembered without an email.
                fetched += missing.map { record($0, nil) }
                missing = []
            }
        }
        if missing.count > Self.wholeListThreshold {
            let until = now.addingTimeInterval(Self.lookAhead)
            for scheduleID in scheduleIDs where !missing.isEmpty {
                for user in try await client.scheduleUsers(id: scheduleID, since: now, until: until) where missing.remove(user.id) != nil {
                    fetched.append(record(user.id, user))
                }
            }
        }
        for id in missing.sorted() {
            do {
                fetched.append(record(id, try await client.user(id: id)))
            } catch PagerDutyError.notFound {
                fetched.append(record(id, nil))  // deleted: remembered without an email, not asked for again
            }
        }
        let toSave = fetched
        try await db.transaction { db in
            for chunk in stride(from: 0, to: toSave.count, by: 500) {
                try await Array(toSave[chunk..<min(chunk + 500, toSave.count)]).create(on: db)
            }
        }
        let wanted = Set(ids)
        for record in fetched where wanted.contains(record.id!) { known[record.id!] = record }
        return known
    }

    /// Applies a complete read in one transaction: members, unlinked people, the held timeline,
    /// who is on duty. Returns whether the on-duty set changed.
    private func apply(_ snapshot: PagerDutySyncPlanner.Snapshot, to rotation: Rotation, now: Date) async throws -> Bool {
        let rotationID = try rotation.requireID()
        return try await db.transaction { db in
            let named = Set((snapshot.layerUsers + snapshot.entries.map(\.user)).compactMap { $0.email.map(User.normalize(email:)) })
            var people = try await Person.query(on: db).filter(\.$email ~~ Array(named)).all()
            let plan = PagerDutySyncPlanner.plan(snapshot, people: people.map { .init(id: $0.id!.uuidString, email: $0.email) }, now: now)
            // Members whose email matches nobody are kept as unlinked people.
            for member in plan.members where member.personID == nil {
                guard let email = member.email, !people.contains(where: { $0.email == User.normalize(email: email) }) else { continue }
                let person = Person(email: email, name: member.name ?? email, source: .pagerDuty, createdAt: now)
                try await person.create(on: db)
                people.append(person)
            }
            let byEmail = Dictionary(people.map { ($0.email, $0) }, uniquingKeysWith: { first, _ in first })
            try await RotationMember.query(on: db).filter(\.$rotation.$id == rotationID).delete()
            for (index, member) in plan.members.enumerated() {
                guard let email = member.email.map(User.normalize(email:)), let person = byEmail[email] else { continue }
                try await RotationMember(rotationID: rotationID, personID: try person.requireID(), position: index).create(on: db)
            }
            let timeline = HeldTimeline(entries: snapshot.entries.map {
                HeldTimeline.Entry(start: $0.start, end: $0.end, email: $0.user.email.map(User.normalize(email:)), name: $0.user.name, pagerDutyUserID: $0.user.id,
                                   isOverride: $0.isOverride, source: $0.source)
            })
            // The held state under lock: the handoff job may be moving it at this moment.
            try await RowLocks.lock(RotationSync.schema, where: "rotation_id", in: [rotationID], on: db)
            let state = try await RotationSync.query(on: db).filter(\.$rotation.$id == rotationID).first() ?? RotationSync(rotationID: rotationID)
            let current = plan.onDuty.map { entry in entry.email.map { DutyMember.person(email: User.normalize(email: $0)) } ?? .pagerDutyUser(id: entry.pagerDutyUserID) }
            // A complete read replaces what was held; a held set that cannot be read counts as
            // nobody for the announcement (the read itself is whole).
            let previous = (try? state.onDuty) ?? []
            state.syncedAt = now
            state.attemptedAt = now
            state.staleSince = nil
            state.lastError = nil
            state.sourceMissing = false
            state.store(timeline: timeline)
            state.store(onDuty: current)
            state.onDutyUntil = plan.until
            try await state.save(on: db)
            try await dutyChanges.record(.init(rotation: rotation, previous: previous, current: current, until: plan.until, actor: "pagerduty",
                                               action: .rotationHandoff), at: now, on: db)
            return previous != current
        }
    }

    private func markStale(_ rotation: Rotation, _ message: String, now: Date) async -> Outcome {
        await updateState(rotation) { state in
            state.staleSince = state.staleSince ?? now
            state.attemptedAt = now
            state.lastError = String(message.prefix(500))
        }
        return .stale(message)
    }

    private func markMissing(_ rotation: Rotation, scheduleID: String, now: Date) async -> Outcome {
        await updateState(rotation) { state in
            state.staleSince = state.staleSince ?? now
            state.attemptedAt = now
            state.sourceMissing = true
            state.lastError = "The PagerDuty schedule \(scheduleID) no longer exists; members are kept as they were."
        }
        return .sourceMissing
    }

    private func updateState(_ rotation: Rotation, _ change: @escaping @Sendable (RotationSync) -> Void) async {
        guard let rotationID = rotation.id else { return }
        do {
            try await db.transaction { db in
                // The held state under lock, inside the write: the handoff job may be moving it at this moment.
                try await RowLocks.lock(RotationSync.schema, where: "rotation_id", in: [rotationID], on: db)
                let state = try await RotationSync.query(on: db).filter(\.$rotation.$id == rotationID).first() ?? RotationSync(rotationID: rotationID)
                change(state)
                try await state.save(on: db)
            }
        } catch {
            logger.error("could not record a rotation's sync state", metadata: ["rotation": "\(rotation.code)", "error": "\(error)"])
        }
    }
}
