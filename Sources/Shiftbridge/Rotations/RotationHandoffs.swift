import Fluent
import Foundation
import ShiftbridgeCore

/// Handoffs at their boundary: rotations that follow PagerDuty move along their held
/// timeline, self-turning ones along their schedule, without asking PagerDuty. Each is
/// recorded (and announced) once: the handoff job runs on one instance at a time, and the
/// write paths record what came due before they change anything. When handoffs happen comes
/// from each rotation's `RotationModel`; a row that cannot be read is skipped.
struct RotationHandoffs {
    let db: any Database
    let clock: any AppClock
    let dutyChanges: DutyChanges
    let unreadable: UnreadableRecords

    /// Records every handoff due by now; returns when the next one is due.
    func applyDue() async throws -> Date? {
        let now = clock.now()
        let dueHeld = try await RotationSync.query(on: db).filter(\.$onDutyUntil <= now).all(\.$id)
        if !dueHeld.isEmpty { try await applyHeld(dueHeld, at: now) }
        var next = try await RotationSync.query(on: db).filter(\.$onDutyUntil > now).sort(\.$onDutyUntil).first()?.onDutyUntil
        let turning = try await Rotation.query(on: db).filter(\.$scheduleKind ~~ [.daily, .weekly, .customDays]).filter(\.$enabled == true).all()
        for rotation in turning {
            let model: RotationModel
            do { model = try rotation.model(members: []) } catch let error as UnreadableRecord {
                unreadable.skip(error, by: "handoffs")
                continue
            }
            guard let handoff = model.nextHandoff(after: rotation.positionAt) else { continue }
            if handoff <= now {
                try await db.transaction { db in _ = try await Self.settle(rotation, at: now, dutyChanges: dutyChanges, on: db) }
                if let following = model.nextHandoff(after: now) { next = min(next ?? following, following) }
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
            var updates: [(id: UUID, onDuty: [DutyMember], until: Date?)] = []
            var changes: [DutyChanges.Change] = []
            for state in states {
                let model: RotationModel, previous: [DutyMember]
                do {
                    model = try state.rotation.model(members: [], timeline: try state.timeline)
                    previous = try state.onDuty
                } catch let error as UnreadableRecord {
                    unreadable.skip(error, by: "handoffs")
                    continue
                }
                let duty = model.duty(at: now)
                updates.append((try state.requireID(), duty.members, duty.until))
                changes.append(.init(rotation: state.rotation, previous: previous, current: duty.members, until: duty.until, actor: "pagerduty",
                                     action: .rotationHandoff))
            }
            try await RotationSync.setDuty(updates, on: db)
            try await dutyChanges.record(changes, at: now, on: db)
        }
        // The cached answers stay: they are computed from the held timeline for the instant
        // of each read, which a handoff does not change.
    }

    /// A self-turning rotation's model as the database has it (members in order).
    static func model(_ rotation: Rotation, on db: any Database) async throws -> RotationModel {
        let members = try await RotationMember.query(on: db).filter(\.$rotation.$id == rotation.requireID()).sort(\.$position).with(\.$person).all()
            .map(\.person.email)
        return try rotation.model(members: members)
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
        let model = try await model(rotation, on: db)
        let state = model.state(at: now)
        guard state.position != model.saved.position else { return state }
        rotation.position = state.position
        rotation.positionAt = now
        try await rotation.save(on: db)
        try await dutyChanges.record(.init(rotation: rotation, previous: model.saved.onDuty.map { .person(email: $0) },
                                           current: state.onDuty.map { .person(email: $0) }, until: model.nextHandoff(after: now),
                                           actor: "schedule", action: .rotationHandoff), at: now, on: db)
        return state
    }
}
