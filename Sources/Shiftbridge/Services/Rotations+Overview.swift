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
        // Who is on duty comes from the same readers the on-duty endpoint uses.
        let readers = try await dutyReaders(rotations)
        return rotations.map { rotation in
            let id = rotation.id!
            return Overview(rotation: rotation, owners: (owners[id] ?? []).sorted(), members: members[id] ?? [],
                            onDuty: readers[id].map { $0(now).people.compactMap(\.email) } ?? [])
        }
    }
}
