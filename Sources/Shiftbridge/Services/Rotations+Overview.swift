import Fluent
import Foundation
import ShiftbridgeCore
import Vapor

extension Rotations {
    /// A rotation as lists show it. Built for many rotations at once with a fixed number of
    /// queries, whatever their count. Read-only: due handoffs are the scheduler's to apply.
    struct Overview {
        let rotation: Rotation
        let owners: [String]
        let members: [String]
        let onDuty: [String]
    }

    func overviews(_ rotations: [Rotation]) async throws -> [Overview] {
        let ids = rotations.compactMap(\.id)
        guard !ids.isEmpty else { return [] }
        let now = app.now()
        var owners: [UUID: [String]] = [:]
        for owner in try await RotationOwner.query(on: db).filter(\.$rotation.$id ~~ ids).with(\.$user).all() {
            owners[owner.$rotation.id, default: []].append(owner.user.email)
        }
        var members: [UUID: [String]] = [:]
        for member in try await RotationMember.query(on: db).filter(\.$rotation.$id ~~ ids).sort(\.$position).with(\.$person).all() {
            members[member.$rotation.id, default: []].append(member.person.email)
        }
        let bound = rotations.filter { $0.scheduleType == .pagerduty }.compactMap(\.id)
        let syncs = bound.isEmpty ? [] : try await RotationSync.query(on: db).filter(\.$rotation.$id ~~ bound).all()
        let held = Dictionary(syncs.map { ($0.$rotation.id, $0.duty(at: now).onDuty) }, uniquingKeysWith: { first, _ in first })
        return rotations.map { rotation in
            let id = rotation.id!
            let emails = members[id] ?? []
            let onDuty: [String]
            if rotation.scheduleType == .pagerduty {
                onDuty = (held[id] ?? []).compactMap(\.email)
            } else {
                onDuty = state(rotation, members: emails, now: now).onDuty
            }
            return Overview(rotation: rotation, owners: (owners[id] ?? []).sorted(), members: emails, onDuty: onDuty)
        }
    }

    /// The rotation's state at `now` from its saved position and its own schedule (pure).
    func state(_ rotation: Rotation, members: [String], now: Date) -> RotationState {
        let saved = RotationState(members: members, dutySize: rotation.dutySize, position: rotation.position)
        guard rotation.enabled, let cadence = Self.cadence(rotation) else { return saved }
        let due = Handoffs.between(rotation.positionAt, now, cadence: cadence, timeZone: TimeZone(identifier: rotation.timeZone) ?? .gmt)
        return due.isEmpty ? saved : saved.rotated(times: due.count)
    }
}

extension Rotations {
    /// The rotation's history: duty changes and edits, newest first.
    func history(_ rotation: Rotation, limit: Int = 50) async throws -> [AuditEvent] {
        try await AuditEvent.query(on: db).filter(\.$target == "rotation:\(rotation.code)").sort(\.$occurredAt, .descending).limit(limit).all()
    }
}
