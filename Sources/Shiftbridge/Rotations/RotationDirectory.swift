import Fluent
import Foundation
import ShiftbridgeCore

/// Finding rotations and who may do what with them: public ones are for everyone to see;
/// owners and administrators edit; a private rotation is invisible to everyone else.
struct RotationDirectory {
    let db: any Database

    /// The rotation with this id or code, if the user may see it.
    func find(_ idOrCode: String, for user: User) async throws -> Rotation {
        let rotation: Rotation?
        if let id = UUID(uuidString: idOrCode) {
            rotation = try await Rotation.find(id, on: db)
        } else {
            rotation = try await Rotation.query(on: db).filter(\.$code == idOrCode.uppercased()).first()
        }
        guard let rotation else { throw AppError.notFound("Rotation \(idOrCode.prefix(64))") }
        if !rotation.isPublic, !(try await canEdit(rotation, user)) { throw AppError.notFound("Rotation \(idOrCode.prefix(64))") }
        return rotation
    }

    /// Every rotation the user may see: public ones, and private ones they own (all, for admins).
    func visible(to user: User) async throws -> [Rotation] {
        let all = try await Rotation.query(on: db).sort(\.$code).all()
        if user.isAdmin { return all }
        let owned = Set(try await RotationOwner.query(on: db).filter(\.$user.$id == user.requireID()).all().map(\.$rotation.id))
        return all.filter { $0.isPublic || owned.contains($0.id!) }
    }

    func isOwner(_ rotation: Rotation, _ user: User) async throws -> Bool {
        try await RotationOwner.query(on: db).filter(\.$rotation.$id == rotation.requireID()).filter(\.$user.$id == user.requireID()).count() > 0
    }

    func canEdit(_ rotation: Rotation, _ user: User) async throws -> Bool {
        if user.isAdmin { return true }
        return try await isOwner(rotation, user)
    }

    /// Only owners and administrators edit a rotation.
    func requireEditor(_ rotation: Rotation, _ user: User) async throws {
        guard try await canEdit(rotation, user) else {
            throw AppError(.forbidden, code: "forbidden", "Only the rotation's owners and administrators may change it")
        }
    }

    func memberPeople(_ rotationID: UUID, on db: (any Database)? = nil) async throws -> [Person] {
        try await RotationMember.query(on: db ?? self.db).filter(\.$rotation.$id == rotationID).sort(\.$position).with(\.$person).all().map(\.person)
    }

    func ownerEmails(_ rotationID: UUID) async throws -> [String] {
        try await RotationOwner.query(on: db).filter(\.$rotation.$id == rotationID).with(\.$user).all().map(\.user.email).sorted()
    }

    /// A rotation as lists show it: owners, members and who is on duty; or, for a row that
    /// cannot be read, what cannot be.
    struct Overview {
        let rotation: Rotation
        let model: RotationModel?
        let unreadable: UnreadableRecord?
        let owners: [String]
        let members: [String]
        let onDuty: [String]
        let until: Date?
    }

    /// Overviews of many rotations in a fixed number of queries, whatever their count. Who is
    /// on duty comes from the same readers the on-duty endpoint uses.
    func overviews(_ rotations: [Rotation], duty: RotationDuty, at now: Date) async throws -> [Overview] {
        let ids = rotations.compactMap(\.id)
        guard !ids.isEmpty else { return [] }
        var owners: [UUID: [String]] = [:]
        for owner in try await RotationOwner.query(on: db).filter(\.$rotation.$id ~~ ids).with(\.$user).all() {
            owners[owner.$rotation.id, default: []].append(owner.user.email)
        }
        var members: [UUID: [String]] = [:]
        for member in try await RotationMember.query(on: db).filter(\.$rotation.$id ~~ ids).sort(\.$position).with(\.$person).all() {
            members[member.$rotation.id, default: []].append(member.person.email)
        }
        let models = try await duty.models(rotations)
        let readers = RotationDuty.readers(for: rotations, models)
        return rotations.map { rotation in
            let id = rotation.id!
            let now = readers[id]?(now)
            return Overview(rotation: rotation, model: models.byID[id], unreadable: models.unreadable[id], owners: (owners[id] ?? []).sorted(),
                            members: members[id] ?? [], onDuty: now?.people.compactMap(\.email) ?? [], until: now?.until)
        }
    }
}
