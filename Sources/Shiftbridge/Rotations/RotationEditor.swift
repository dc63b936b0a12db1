import Fluent
import Foundation
import ShiftbridgeCore

/// Changing rotations: create, edit, delete, set the schedule, rotate, put someone on duty.
/// Every change is one transaction with its audit event (and, when who is on duty changes,
/// its webhook deliveries).
struct RotationEditor {
    let db: any Database
    let clock: any AppClock
    let directory: RotationDirectory
    let dutyChanges: DutyChanges
    let binding: PagerDutyBinding

    func create(_ input: RotationInput, by user: User) async throws -> Rotation {
        let code = try RotationRules.code(input.code)
        let name = try RotationRules.name(input.name)
        let dutySize = try RotationRules.dutySize(input.duty_size ?? 1)
        let description = try RotationRules.description(input.description)
        try RotationRules.listSizes(input)
        let now = clock.now()
        return try await db.transaction { db in
            guard try await Rotation.query(on: db).filter(\.$code == code).first() == nil else {
                throw AppError(.conflict, code: "duplicate_code", "code: \(code) is already used by another rotation")
            }
            let rotation = Rotation(code: code, name: name, description: description, isPublic: input.is_public ?? true, dutySize: dutySize,
                                    enabled: input.enabled ?? true, createdBy: user.email, at: now)
            try await rotation.create(on: db)
            let rotationID = try rotation.requireID()
            try await RotationOwner(rotationID: rotationID, userID: try user.requireID()).create(on: db)
            try await setOwners(input.owners ?? [], editor: user, rotationID: rotationID, on: db)
            try await setMembers(input.members ?? [], rotationID: rotationID, on: db)
            try await AuditEvent.record(on: db, at: now, actor: user.email, .rotationCreated, .rotation(rotation),
                                        after: "\(name); \(input.members?.count ?? 0) member(s); duty size \(dutySize)")
            return rotation
        }
    }

    func update(_ rotation: Rotation, _ input: RotationInput, by user: User) async throws -> Rotation {
        try await directory.requireEditor(rotation, user)
        try RotationRules.listSizes(input)
        let before = try await summary(rotation, on: db)
        let now = clock.now()
        return try await db.transaction { db in
            if let code = input.code {
                let code = try RotationRules.code(code)
                if code != rotation.code, try await Rotation.query(on: db).filter(\.$code == code).first() != nil {
                    throw AppError(.conflict, code: "duplicate_code", "code: \(code) is already used by another rotation")
                }
                rotation.code = code
            }
            if let name = input.name { rotation.name = try RotationRules.name(name) }
            if input.description != nil { rotation.description = try RotationRules.description(input.description) }
            if let isPublic = input.is_public { rotation.isPublic = isPublic }
            if let enabled = input.enabled { rotation.enabled = enabled }
            if let dutySize = input.duty_size { rotation.dutySize = try RotationRules.dutySize(dutySize) }
            let rotationID = try rotation.requireID()
            if let members = input.members {
                guard !rotation.followsPagerDuty else {
                    throw AppError(.conflict, code: "members_read_only", "members: this rotation follows PagerDuty; its members come from PagerDuty")
                }
                // Whoever is on duty stays on duty if still a member.
                let state = try await RotationHandoffs.model(rotation, on: db).state(at: now)
                try await setMembers(members, rotationID: rotationID, on: db)
                let emails = try await directory.memberPeople(rotationID, on: db).map(\.email)
                rotation.position = state.replacingMembers(emails).position
                rotation.positionAt = now
                try await SlackOutbox.rotationEdited(rotationID, at: now, on: db)
            }
            if let owners = input.owners { try await setOwners(owners, editor: user, rotationID: rotationID, on: db, replacing: true) }
            try await rotation.save(on: db)
            try await AuditEvent.record(on: db, at: now, actor: user.email, .rotationUpdated, .rotation(rotation),
                                        before: before, after: try await summary(rotation, on: db))
            return rotation
        }
    }

    func delete(_ rotation: Rotation, by user: User) async throws {
        try await directory.requireEditor(rotation, user)
        try await db.transaction { db in
            try await rotation.delete(on: db)
            try await AuditEvent.record(on: db, at: clock.now(), actor: user.email, .rotationDeleted, .rotation(rotation), before: rotation.name)
        }
    }

    /// Sets how the rotation turns. Handoffs due under the old schedule are recorded first;
    /// binding to PagerDuty checks the schedule exists, then reads it.
    func setSchedule(_ rotation: Rotation, _ schedule: RotationSchedule, by user: User) async throws -> Rotation {
        try await directory.requireEditor(rotation, user)
        if schedule.followsPagerDuty { try await binding.check(schedule) }
        // A schedule that cannot be read is replaced (that is the fix), not read.
        let readable = try? rotation.schedule
        let now = clock.now()
        try await db.transaction { db in
            if readable != nil, !rotation.followsPagerDuty {
                rotation.position = try await RotationHandoffs.model(rotation, on: db).state(at: now).position
            }
            rotation.positionAt = now
            rotation.store(schedule: schedule)
            try await rotation.save(on: db)
            // A new source: what the last one held no longer says who is on duty.
            try await RotationSync.query(on: db).filter(\.$rotation.$id == rotation.requireID()).delete()
            try await AuditEvent.record(on: db, at: now, actor: user.email, .rotationScheduleChanged, .rotation(rotation),
                                        before: readable?.description ?? "unreadable", after: schedule.description)
        }
        if schedule.followsPagerDuty { await binding.sync(rotation) }
        return rotation
    }

    /// The Rotate button: the next group takes over now.
    func rotate(_ rotation: Rotation, by user: User) async throws -> RotationState {
        try await directory.requireEditor(rotation, user)
        return try await rotate(rotation, actor: user.email)
    }

    /// Rotates for an already-authorised caller (a user, or a webhook holding the secret).
    func rotate(_ rotation: Rotation, actor: String) async throws -> RotationState {
        try await turn(rotation, actor: actor, action: .rotationRotated) { state in
            guard !state.members.isEmpty else { throw AppError(.conflict, code: "no_members", "This rotation has no members to rotate") }
            return state.rotated()
        }
    }

    /// Puts a member first on duty (`setonduty`); manual and self-turning rotations only.
    func setOnDuty(_ rotation: Rotation, email: String, actor: String) async throws -> RotationState {
        try await turn(rotation, actor: actor, action: .rotationSetOnDuty) { state in
            guard let next = state.settingOnDuty(User.normalize(email: email)) else {
                throw AppError.invalidField("email", "\(email.prefix(254)) is not a member of \(rotation.code)")
            }
            return next
        }
    }

    private func turn(_ rotation: Rotation, actor: String, action: AuditAction, _ change: @escaping @Sendable (RotationState) throws -> RotationState) async throws -> RotationState {
        guard try rotation.model(members: []).canRotate else {
            throw AppError(.conflict, code: "follows_pagerduty", "This rotation follows PagerDuty; change who is on call in PagerDuty")
        }
        let now = clock.now()
        return try await db.transaction { db in
            // Handoffs due since the last save are recorded first, as the handoff job would.
            let before = try await RotationHandoffs.settle(rotation, at: now, dutyChanges: dutyChanges, on: db)
            let after = try change(before)
            rotation.position = after.position
            rotation.positionAt = now
            try await rotation.save(on: db)
            try await dutyChanges.record(.init(rotation: rotation, previous: before.onDuty.map { .person(email: $0) }, current: after.onDuty.map { .person(email: $0) },
                                               until: try rotation.model(members: []).nextHandoff(after: now), actor: actor, action: action), at: now, on: db)
            return after
        }
    }

    /// Disconnecting PagerDuty: bound rotations become manual and keep their members.
    static func revertPagerDutyBound(on db: any Database, actor: String, at now: Date) async throws {
        for rotation in try await Rotation.query(on: db).filter(\.$scheduleKind ~~ RotationSchedule.Kind.followingPagerDuty).all() {
            let before = (try? rotation.schedule)?.description ?? "unreadable"
            rotation.store(schedule: .manual)
            rotation.position = 0
            rotation.positionAt = now
            try await rotation.save(on: db)
            try await RotationSync.query(on: db).filter(\.$rotation.$id == rotation.requireID()).delete()
            try await AuditEvent.record(on: db, at: now, actor: actor, .rotationScheduleChanged, .rotation(rotation),
                                        before: before, after: "manual (PagerDuty was disconnected; members kept)")
        }
    }

    // MARK: Members and owners

    private func setMembers(_ emails: [String], rotationID: UUID, on db: any Database) async throws {
        let wanted = emails.map(User.normalize(email:))
        var seen = Set<String>()
        guard wanted.allSatisfy({ seen.insert($0).inserted }) else { throw AppError.invalidField("members", "each person may appear once") }
        let people = try await Person.query(on: db).filter(\.$email ~~ wanted).all()
        let byEmail = Dictionary(uniqueKeysWithValues: people.map { ($0.email, $0) })
        let unknown = wanted.filter { byEmail[$0] == nil }
        guard unknown.isEmpty else {
            throw AppError.invalidField("members", "not in the People directory: \(unknown.joined(separator: ", ")); add them under People first")
        }
        try await RotationMember.query(on: db).filter(\.$rotation.$id == rotationID).delete()
        for (index, email) in wanted.enumerated() {
            try await RotationMember(rotationID: rotationID, personID: try byEmail[email]!.requireID(), position: index).create(on: db)
        }
    }

    private func setOwners(_ emails: [String], editor: User, rotationID: UUID, on db: any Database, replacing: Bool = false) async throws {
        let wanted = Set(emails.map(User.normalize(email:)))
        let users = try await User.query(on: db).filter(\.$email ~~ Array(wanted)).all()
        let missing = wanted.subtracting(users.map(\.email))
        guard missing.isEmpty else { throw AppError.invalidField("owners", "no Shiftbridge account for: \(missing.sorted().joined(separator: ", "))") }
        if replacing {
            // You cannot remove yourself as an owner.
            let isOwner = try await RotationOwner.query(on: db).filter(\.$rotation.$id == rotationID).filter(\.$user.$id == editor.requireID()).count() > 0
            guard wanted.contains(editor.email) || !isOwner else { throw AppError.invalidField("owners", "you cannot remove yourself as an owner") }
            try await RotationOwner.query(on: db).filter(\.$rotation.$id == rotationID).delete()
        }
        let existing = Set(try await RotationOwner.query(on: db).filter(\.$rotation.$id == rotationID).all().map(\.$user.id))
        for user in users where !existing.contains(try user.requireID()) {
            try await RotationOwner(rotationID: rotationID, userID: try user.requireID()).create(on: db)
        }
    }

    private func summary(_ rotation: Rotation, on db: any Database) async throws -> String {
        let members = try await directory.memberPeople(try rotation.requireID(), on: db).map(\.email)
        return "\(rotation.code) \(rotation.name); members: \(members.joined(separator: ", ")); duty size \(rotation.dutySize)\(rotation.enabled ? "" : "; disabled")"
    }
}
