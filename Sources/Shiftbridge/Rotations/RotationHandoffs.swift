import Fluent
import Foundation
import ShiftbridgeCore

/// Handoffs at their boundary: rotations that follow PagerDuty move along their held
/// timeline, self-turning ones along their schedule, without asking PagerDuty. Each is
/// recorded (and announced) once: the handoff job runs on one instance at a time, and the
/// write paths record what came due before they change anything.
struct RotationHandoffs {
    let db: any Database
    let clock: any AppClock
    let dutyChanges: DutyChanges

    /// Records every handoff due by now; returns when the next one is due.
    func applyDue() async throws -> Date? {
        let now = clock.now()
        let dueHeld = try await RotationSync.query(on: db).filter(\.$onDutyUntil <= now).all(\.$id)
        if !dueHeld.isEmpty { try await applyHeld(dueHeld, at: now) }
        var next = try await RotationSync.query(on: db).filter(\.$onDutyUntil > now).sort(\.$onDutyUntil).first()?.onDutyUntil
        let turning = try await Rotation.query(on: db).filter(\.$scheduleKind ~~ [.daily, .weekly, .customDays]).filter(\.$enabled == true).all()
        for rotation in turning {
            guard let handoff = Self.nextHandoff(rotation, after: rotation.positionAt) else { continue }
            if handoff <= now {
                try await db.transaction { db in _ = try await Self.settle(rotation, at: now, dutyChanges: dutyChanges, on: db) }
                if let following = Self.nextHandoff(rotation, after: now) { next = min(next ?? following, following) }
            } else {
                next = min(next ?? handoff, handoff)
            }
        }
        return next
    }

    /// Moves each due rotation along its held timeline, in one transaction and a few
    /// statements: a thousand rotations handing over at once take one pass.
    private func applyHeld(_ ids: [UUID], at now: Date) async throws {
        try await db.transaction { db in
            // Read under lock: a sync (here or on another instance) may have moved them on.
            try await RowLocks.lock(RotationSync.schema, in: ids, on: db)
            let states = try await RotationSync.query(on: db).filter(\.$id ~~ ids).filter(\.$onDutyUntil <= now).with(\.$rotation).all()
                .filter { $0.rotation.enabled && $0.rotation.followsPagerDuty }
            var updates: [(id: UUID, onDuty: [String], until: Date?)] = []
            var changes: [DutyChanges.Change] = []
            for state in states {
                let (onDuty, until) = state.timeline.duty(at: now)
                let current = HeldTimeline.key(onDuty)
                updates.append((try state.requireID(), current, until))
                changes.append(.init(rotation: state.rotation, previous: state.onDuty, current: current, until: until, actor: "pagerduty", action: .rotationHandoff))
            }
            try await RotationSync.setDuty(updates, on: db)
            try await dutyChanges.record(changes, at: now, on: db)
        }
        // The cached answers stay: they are computed from the held timeline for the instant
        // of each read, which a handoff does not change.
    }

    /// A self-turning rotation's state at `now`, counting the handoffs its schedule made since
    /// it was saved (nothing saved).
    static func state(_ rotation: Rotation, at now: Date, on db: any Database) async throws -> RotationState {
        turned(try await saved(rotation, on: db), rotation, at: now)
    }

    /// Where the rotation was saved: its members in order and its position.
    private static func saved(_ rotation: Rotation, on db: any Database) async throws -> RotationState {
        let members = try await RotationMember.query(on: db).filter(\.$rotation.$id == rotation.requireID()).sort(\.$position).with(\.$person).all()
            .map(\.person.email)
        return RotationState(members: members, dutySize: rotation.dutySize, position: rotation.position)
    }

    private static func turned(_ saved: RotationState, _ rotation: Rotation, at now: Date) -> RotationState {
        let schedule = rotation.schedule
        return RotationDuty.turned(saved, cadence: rotation.enabled ? schedule.cadence : nil, zone: schedule.timeZone, since: rotation.positionAt, now: now)
    }

    /// Saves the handoffs that came due, with who took over; returns the state now. Call
    /// inside the transaction of whatever changes the rotation next.
    static func settle(_ rotation: Rotation, at now: Date, dutyChanges: DutyChanges, on db: any Database) async throws -> RotationState {
        // Where the rotation stands as the database has it now, under lock: another instance's
        // handoff job, or an admin's rotate, may have moved it since it was read.
        let rotationID = try rotation.requireID()
        try await RowLocks.lock(Rotation.schema, in: [rotationID], on: db)
        guard let stored = try await Rotation.find(rotationID, on: db) else { throw AppError.notFound("Rotation \(rotation.code)") }
        rotation.position = stored.position
        rotation.positionAt = stored.positionAt
        let before = try await saved(rotation, on: db)
        let state = turned(before, rotation, at: now)
        guard state.position != before.position else { return state }
        rotation.position = state.position
        rotation.positionAt = now
        try await rotation.save(on: db)
        try await dutyChanges.record(.init(rotation: rotation, previous: before.onDuty, current: state.onDuty, until: nextHandoff(rotation, after: now),
                                           actor: "schedule", action: .rotationHandoff), at: now, on: db)
        return state
    }

    /// The first handoff of a self-turning rotation after `instant`.
    static func nextHandoff(_ rotation: Rotation, after instant: Date) -> Date? {
        let schedule = rotation.schedule
        guard rotation.enabled, let cadence = schedule.cadence else { return nil }
        return Handoffs.next(after: instant, cadence: cadence, timeZone: schedule.timeZone)
    }
}
