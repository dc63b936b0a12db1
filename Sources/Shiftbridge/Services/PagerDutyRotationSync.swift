import Fluent
import Foundation
import PagerDutyKit
import ShiftbridgeCore
import Vapor

/// Rotations that follow PagerDuty schedules. A sync is one complete read of the schedule
/// (layers and the final schedule for the next 14 days); only a complete read changes a
/// rotation. Between syncs, handoffs come from the held timeline, without calling PagerDuty.
struct PagerDutyRotationSync {
    let app: Application
    var db: any Database { app.db }
    static let lookAhead: TimeInterval = 14 * 86_400

    enum Outcome: Equatable {
        case synced(changedDuty: Bool)
        case stale(String)
        case sourceMissing
    }

    /// Binds a rotation to a schedule that must exist, then syncs it.
    func bind(_ rotation: Rotation, scheduleID: String, by user: User) async throws {
        guard let client = try await app.pagerDuty.client() else {
            throw APIError(status: .conflict, code: "not_connected", message: "Connect PagerDuty under Settings → Integrations before binding a rotation")
        }
        do {
            _ = try await client.schedule(id: scheduleID)
        } catch PagerDutyError.notFound {
            throw APIError.invalidField("schedule_id", "PagerDuty has no schedule \(scheduleID)")
        } catch let error as PagerDutyError {
            throw PagerDutyIntegration.explain(error, baseURL: client.configuration.baseURL, method: nil).apiError
        }
        let before = Rotations.describeSchedule(rotation)
        rotation.scheduleType = .pagerduty
        rotation.pagerDutyScheduleID = scheduleID
        rotation.scheduleTime = nil
        rotation.scheduleWeekdays = nil
        try await db.transaction { db in
            try await rotation.save(on: db)
            try await RotationSync.query(on: db).filter(\.$rotation.$id == rotation.requireID()).delete()
            try await AuditEvent.record(on: db, actor: user.email, action: "rotation.schedule_changed", rotation: rotation,
                                        before: before, after: Rotations.describeSchedule(rotation))
        }
        _ = await sync(rotation)
    }

    /// One sync. Failures keep the last good state and mark the rotation stale.
    @discardableResult
    func sync(_ rotation: Rotation) async -> Outcome {
        guard rotation.scheduleType == .pagerduty, let scheduleID = rotation.pagerDutyScheduleID else { return .stale("not bound") }
        let now = app.now()
        do {
            guard let client = try await app.pagerDuty.client() else { return await markStale(rotation, "PagerDuty is not connected", now: now) }
            let schedule: PDSchedule
            do {
                schedule = try await client.schedule(id: scheduleID, since: now, until: now.addingTimeInterval(Self.lookAhead), overflow: true)
            } catch PagerDutyError.notFound {
                return await markMissing(rotation, now: now)
            }
            let ids = schedule.layerUserIDs + schedule.finalEntries.compactMap { $0.user?.id }
            let users = try await pagerDutyUsers(Array(Set(ids)), client: client)
            func user(_ id: String, fallbackName: String?) -> PagerDutySyncPlanner.ScheduleUser {
                PagerDutySyncPlanner.ScheduleUser(id: id, email: users[id]?.email, name: users[id]?.name ?? fallbackName)
            }
            let snapshot = PagerDutySyncPlanner.Snapshot(
                layerUsers: schedule.layerUserIDs.map { user($0, fallbackName: nil) },
                entries: schedule.finalEntries.compactMap { entry in
                    entry.user.map { PagerDutySyncPlanner.Entry(start: entry.start, end: entry.end, user: user($0.id, fallbackName: $0.name)) }
                })
            let changed = try await apply(snapshot, to: rotation, now: now)
            await app.pagerDuty.record(.success(()))
            return .synced(changedDuty: changed)
        } catch {
            await app.pagerDuty.record(.failure(error))
            let message = (error as? PagerDutyError)?.description ?? String(describing: error)
            return await markStale(rotation, message, now: now)
        }
    }

    /// Emails and names for PagerDuty user ids: from the local record, else read from PagerDuty,
    /// one by one when few are missing, or the whole user list (100 a page) when several are,
    /// at most every ten minutes: the first syncs of a big account then cost one list read.
    private func pagerDutyUsers(_ ids: [String], client: PagerDutyClient) async throws -> [String: PagerDutyUserRecord] {
        var known = Dictionary(uniqueKeysWithValues: try await PagerDutyUserRecord.query(on: db).filter(\.$id ~~ ids).all().map { ($0.id!, $0) })
        let missing = ids.filter { known[$0] == nil }
        guard !missing.isEmpty else { return known }
        let now = app.now()
        var fetched: [PagerDutyUserRecord] = []
        func record(_ id: String, _ user: PDUser?) -> PagerDutyUserRecord {
            let record = PagerDutyUserRecord()
            record.id = id
            record.email = user?.email.map(User.normalize(email:))
            record.name = user?.name
            record.fetchedAt = now
            return record
        }
        // PagerDuty lists at most 10,000 users by offset: a bigger account is read one by one.
        let wholeList = missing.count > Self.wholeListThreshold ? await app.changeFeed.takeWholeUserListRead(now: now) : false
        let all: [PDUser]? = wholeList ? try await {
            do { return try await client.users().collect() } catch PagerDutyError.paginationLimitReached { return nil }
        }() : nil
        if let all {
            let byID = Dictionary(all.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            let already = Set(try await PagerDutyUserRecord.query(on: db).all(\.$id))
            // Remember everyone read, so the next schedules need no read at all.
            fetched = all.filter { !already.contains($0.id) }.map { record($0.id, $0) }
            // Named by a schedule but not listed: a deleted user, remembered without an email.
            fetched += missing.filter { byID[$0] == nil }.map { record($0, nil) }
        } else {
            for id in missing {
                do {
                    fetched.append(record(id, try await client.user(id: id)))
                } catch PagerDutyError.notFound {
                    fetched.append(record(id, nil))  // deleted: remembered without an email, not asked for again
                }
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

    static let wholeListThreshold = 3

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
                let person = Person(email: email, name: member.name ?? email, source: .pagerDuty)
                try await person.create(on: db)
                people.append(person)
            }
            let byEmail = Dictionary(people.map { ($0.email, $0) }, uniquingKeysWith: { first, _ in first })
            try await RotationMember.query(on: db).filter(\.$rotation.$id == rotationID).delete()
            for (index, member) in plan.members.enumerated() {
                guard let email = member.email.map(User.normalize(email:)), let person = byEmail[email] else { continue }
                try await RotationMember(rotationID: rotationID, personID: try person.requireID(), position: index).create(on: db)
            }
            let held = snapshot.entries.map {
                RotationSync.HeldEntry(start: $0.start, end: $0.end, email: $0.user.email.map(User.normalize(email:)), name: $0.user.name, pagerDutyUserID: $0.user.id)
            }
            let state = try await RotationSync.query(on: db).filter(\.$rotation.$id == rotationID).first() ?? {
                let state = RotationSync()
                state.$rotation.id = rotationID
                state.onDuty = ""
                return state
            }()
            let onDuty = plan.onDuty.map { $0.email.map(User.normalize(email:)) ?? "pagerduty:\($0.pagerDutyUserID)" }.joined(separator: ",")
            let changed = state.onDuty != onDuty
            let before = state.onDuty
            state.syncedAt = now
            state.staleSince = nil
            state.lastError = nil
            state.sourceMissing = false
            state.timeline = String(decoding: try JSONEncoder().encode(held), as: UTF8.self)
            state.onDuty = onDuty
            state.onDutyUntil = plan.until
            try await state.save(on: db)
            if changed {
                try await AuditEvent.record(on: db, actor: "pagerduty", action: "rotation.handoff", rotation: rotation,
                                            before: before.isEmpty ? nil : before, after: onDuty.isEmpty ? "nobody" : onDuty)
                try await Webhooks.dutyChanged(rotation, previous: Self.split(before), now: Self.split(onDuty), until: plan.until, at: now, on: db)
            }
            return changed
        }
    }

    /// Between syncs: moves each due rotation's on-duty set along its held timeline, all in
    /// one transaction, with an audit event and webhooks where the set changed. Written in
    /// batches: a thousand rotations handing over at once take one pass of a few statements.
    func applyHandoffs(_ states: [RotationSync], now: Date) async throws {
        try await db.transaction { db in
            let hooks = try await Webhook.query(on: db).all()
            var updates: [(id: UUID, onDuty: String, until: Date?)] = []
            var events: [AuditEvent] = []
            for state in states {
                let duty = state.duty(at: now)
                let onDuty = duty.onDuty.map { $0.email ?? "pagerduty:\($0.pagerDutyUserID)" }.joined(separator: ",")
                updates.append((try state.requireID(), onDuty, duty.until))
                guard state.onDuty != onDuty else { continue }
                let rotation = state.rotation
                events.append(AuditEvent(actor: "pagerduty", action: "rotation.handoff", rotation: rotation,
                                         before: state.onDuty.isEmpty ? nil : state.onDuty, after: onDuty.isEmpty ? "nobody" : onDuty))
                try await Webhooks.dutyChanged(rotation, previous: Self.split(state.onDuty), now: Self.split(onDuty), until: duty.until, at: now, on: db, allHooks: hooks)
            }
            try await RotationSync.setDuty(updates, on: db)
            app.dutyCache.removeAll()
            for start in stride(from: 0, to: events.count, by: 500) { try await Array(events[start..<min(start + 500, events.count)]).create(on: db) }
        }
    }

    private func markStale(_ rotation: Rotation, _ message: String, now: Date) async -> Outcome {
        await updateState(rotation) { state in
            state.staleSince = state.staleSince ?? now
            state.lastError = String(message.prefix(500))
        }
        return .stale(message)
    }

    private func markMissing(_ rotation: Rotation, now: Date) async -> Outcome {
        await updateState(rotation) { state in
            state.staleSince = state.staleSince ?? now
            state.sourceMissing = true
            state.lastError = "The PagerDuty schedule \(rotation.pagerDutyScheduleID ?? "") no longer exists; members are kept as they were."
        }
        return .sourceMissing
    }

    private func updateState(_ rotation: Rotation, _ change: (RotationSync) -> Void) async {
        guard let rotationID = rotation.id else { return }
        do {
            let state = try await RotationSync.query(on: db).filter(\.$rotation.$id == rotationID).first() ?? {
                let state = RotationSync()
                state.$rotation.id = rotationID
                state.onDuty = ""
                state.timeline = "[]"
                state.sourceMissing = false
                return state
            }()
            change(state)
            try await state.save(on: db)
        } catch {
            app.logger.error("could not record a rotation's sync state", metadata: ["rotation": "\(rotation.code)", "error": "\(error)"])
        }
    }

    static func split(_ onDuty: String) -> [String] {
        onDuty.split(separator: ",").map(String.init)
    }

    func state(_ rotation: Rotation) async throws -> RotationSync? {
        try await RotationSync.query(on: db).filter(\.$rotation.$id == rotation.requireID()).first()
    }

    /// Disconnecting PagerDuty: bound rotations become manual and keep their members.
    static func revertAll(on db: any Database, actor: String) async throws {
        for rotation in try await Rotation.query(on: db).filter(\.$scheduleType == .pagerduty).all() {
            rotation.scheduleType = .manual
            rotation.pagerDutyScheduleID = nil
            rotation.position = 0
            try await rotation.save(on: db)
            try await RotationSync.query(on: db).filter(\.$rotation.$id == rotation.requireID()).delete()
            try await AuditEvent.record(on: db, actor: actor, action: "rotation.schedule_changed", rotation: rotation,
                                        before: "PagerDuty schedule", after: "manual (PagerDuty was disconnected; members kept)")
        }
    }
}

extension Application {
    var pagerDutySync: PagerDutyRotationSync { PagerDutyRotationSync(app: self) }
}
