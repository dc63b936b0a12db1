import Fluent
import Foundation
import ShiftbridgeCore
import Vapor

/// Rotations: creating, editing, scheduling and turning them. Handoffs of automatic
/// schedules are applied when a rotation is read, from the pure handoff maths, so a
/// restart never loses or doubles one.
struct Rotations {
    let app: Application
    var db: any Database { app.db }

    struct Input: Content {
        var code: String?
        var name: String?
        var description: String?
        var is_public: Bool?
        var duty_size: Int?
        var enabled: Bool?
        /// Member emails, in rotation order; each must be in the People directory.
        var members: [String]?
        /// Owner emails (administrators' accounts); the creator is always an owner.
        var owners: [String]?
    }

    struct ScheduleInput: Content {
        var type: String
        var time: String?
        var weekday: Int?
        var weekdays: [Int]?
        var time_zone: String?
        var schedule_id: String?
    }

    // MARK: Create and edit

    func create(_ input: Input, by user: User) async throws -> Rotation {
        let code = try Self.validCode(input.code)
        let name = try Self.validName(input.name)
        let dutySize = try Self.validDutySize(input.duty_size ?? 1)
        let description = try Self.validDescription(input.description)
        try Self.checkListSizes(input)
        let now = app.now()
        return try await db.transaction { db in
            guard try await Rotation.query(on: db).filter(\.$code == code).first() == nil else {
                throw APIError(status: .conflict, code: "duplicate_code", message: "code: \(code) is already used by another rotation")
            }
            let rotation = Rotation()
            rotation.code = code
            rotation.name = name
            rotation.description = description
            rotation.isPublic = input.is_public ?? true
            rotation.dutySize = dutySize
            rotation.enabled = input.enabled ?? true
            rotation.scheduleType = .manual
            rotation.timeZone = "Etc/UTC"
            rotation.position = 0
            rotation.positionAt = now
            rotation.createdBy = user.email
            try await rotation.create(on: db)
            let rotationID = try rotation.requireID()
            try await RotationOwner(rotationID: rotationID, userID: try user.requireID()).create(on: db)
            try await setOwners(input.owners ?? [], creator: user, rotationID: rotationID, on: db)
            try await setMembers(input.members ?? [], rotationID: rotationID, on: db)
            try await AuditEvent.record(on: db, actor: user.email, action: "rotation.created", rotation: rotation,
                                        after: "\(name); \(input.members?.count ?? 0) member(s); duty size \(dutySize)")
            return rotation
        }
    }

    func update(_ rotation: Rotation, _ input: Input, by user: User) async throws -> Rotation {
        try await requireEditor(rotation, user)
        try Self.checkListSizes(input)
        let before = try await summary(rotation, on: db)
        return try await db.transaction { db in
            if let code = input.code {
                let code = try Self.validCode(code)
                if code != rotation.code, try await Rotation.query(on: db).filter(\.$code == code).first() != nil {
                    throw APIError(status: .conflict, code: "duplicate_code", message: "code: \(code) is already used by another rotation")
                }
                rotation.code = code
            }
            if let name = input.name { rotation.name = try Self.validName(name) }
            if input.description != nil { rotation.description = try Self.validDescription(input.description) }
            if let isPublic = input.is_public { rotation.isPublic = isPublic }
            if let enabled = input.enabled { rotation.enabled = enabled }
            if let dutySize = input.duty_size { rotation.dutySize = try Self.validDutySize(dutySize) }
            let rotationID = try rotation.requireID()
            if let members = input.members {
                guard rotation.scheduleType != .pagerduty else {
                    throw APIError(status: .conflict, code: "members_read_only", message: "members: this rotation follows a PagerDuty schedule; its members come from PagerDuty")
                }
                // Whoever is on duty stays on duty if still a member.
                let state = try await currentState(rotation, on: db)
                try await setMembers(members, rotationID: rotationID, on: db)
                let emails = try await memberPeople(rotationID, on: db).map(\.email)
                rotation.position = state.replacingMembers(emails).position
                rotation.positionAt = app.now()
            }
            if let owners = input.owners { try await setOwners(owners, creator: user, rotationID: rotationID, on: db, replacing: true) }
            try await rotation.save(on: db)
            try await AuditEvent.record(on: db, actor: user.email, action: "rotation.updated", rotation: rotation,
                                        before: before, after: try await summary(rotation, on: db))
            return rotation
        }
    }

    func delete(_ rotation: Rotation, by user: User) async throws {
        try await requireEditor(rotation, user)
        try await db.transaction { db in
            try await rotation.delete(on: db)
            try await AuditEvent.record(on: db, actor: user.email, action: "rotation.deleted", rotation: rotation, before: rotation.name)
        }
    }

    /// Sets a manual or automatic schedule. Binding to PagerDuty needs the sync, which is not built yet.
    func setSchedule(_ rotation: Rotation, _ input: ScheduleInput, by user: User) async throws -> Rotation {
        try await requireEditor(rotation, user)
        guard let type = Rotation.ScheduleType(rawValue: input.type) else {
            throw APIError.invalidField("type", "expected manual, daily, weekly, weekdays or pagerduty")
        }
        if type == .pagerduty {
            guard let scheduleID = input.schedule_id?.trimmingCharacters(in: .whitespaces), !scheduleID.isEmpty else {
                throw APIError.invalidField("schedule_id", "name the PagerDuty schedule to follow, such as PABC123")
            }
            try await app.pagerDutySync.bind(rotation, scheduleID: scheduleID, by: user)
            return rotation
        }
        let zone = input.time_zone ?? rotation.timeZone
        guard TimeZone(identifier: zone) != nil else { throw APIError.invalidField("time_zone", "'\(zone)' is not an IANA time zone, such as Europe/Berlin") }
        var time: String?
        var weekdays: [Int] = []
        if type != .manual {
            guard let text = input.time, TimeOfDay(text) != nil else { throw APIError.invalidField("time", "expected HH:mm, such as 09:00") }
            time = text
        }
        switch type {
        case .weekly:
            guard let day = input.weekday, (1...7).contains(day) else { throw APIError.invalidField("weekday", "expected 1 (Monday) to 7 (Sunday)") }
            weekdays = [day]
        case .weekdays:
            weekdays = Array(Set(input.weekdays ?? [])).sorted()
            guard !weekdays.isEmpty, weekdays.allSatisfy({ (1...7).contains($0) }) else {
                throw APIError.invalidField("weekdays", "list at least one of 1 (Monday) to 7 (Sunday)")
            }
        default: break
        }
        let before = Self.describeSchedule(rotation)
        // Settle handoffs due under the old schedule before the new one takes over.
        let state = try await currentState(rotation, on: db)
        rotation.position = state.position
        rotation.positionAt = app.now()
        rotation.scheduleType = type
        rotation.scheduleTime = time
        rotation.scheduleWeekdays = weekdays.isEmpty ? nil : weekdays.map(String.init).joined(separator: ",")
        rotation.timeZone = zone
        rotation.pagerDutyScheduleID = nil
        try await db.transaction { db in
            try await rotation.save(on: db)
            try await AuditEvent.record(on: db, actor: user.email, action: "rotation.schedule_changed", rotation: rotation,
                                        before: before, after: Self.describeSchedule(rotation))
        }
        return rotation
    }

    // MARK: Duty

    /// Who is on duty, however the rotation turns, and how trustworthy that is.
    struct Duty: Sendable {
        struct Person: Sendable { let email: String?; let name: String; let linked: Bool }
        let people: [Person]
        let until: Date?
        let source: String
        let syncedAt: Date?
        let staleSince: Date?
        let sourceMissing: Bool
        let lastError: String?
        var stale: Bool { staleSince != nil }
    }

    /// Who is on duty at any instant, from what was read once: reads are pure, the scheduler
    /// applies and announces handoffs.
    typealias DutyReader = @Sendable (Date) -> Duty

    func duty(_ rotation: Rotation) async throws -> Duty {
        try await dutyReader(rotation)(app.now())
    }

    func dutyReader(_ rotation: Rotation) async throws -> DutyReader {
        let id = try rotation.requireID()
        guard let reader = try await dutyReaders([rotation])[id] else { throw APIError.notFound("Rotation \(rotation.code)") }
        return reader
    }

    /// Readers for many rotations at once, in a fixed number of queries.
    func dutyReaders(_ rotations: [Rotation]) async throws -> [UUID: DutyReader] {
        let bound = rotations.filter { $0.scheduleType == .pagerduty }.compactMap(\.id)
        let turning = rotations.filter { $0.scheduleType != .pagerduty }.compactMap(\.id)
        let syncs = bound.isEmpty ? [] : try await RotationSync.query(on: db).filter(\.$rotation.$id ~~ bound).all()
        let timelines = Dictionary(syncs.map { ($0.$rotation.id, $0) }, uniquingKeysWith: { first, _ in first })
        let entries = timelines.mapValues(\.entries)
        // Only the people the timelines name, not the whole directory.
        let emails = Array(Set(entries.values.joined().compactMap(\.email)))
        var known: [String: (name: String, linked: Bool)] = [:]
        for start in stride(from: 0, to: emails.count, by: 5000) {
            for person in try await Person.query(on: db).filter(\.$email ~~ Array(emails[start..<min(start + 5000, emails.count)])).all() {
                known[person.email] = (person.name, !person.isUnlinked)
            }
        }
        var members: [UUID: [(email: String, name: String, linked: Bool)]] = [:]
        if !turning.isEmpty {
            for member in try await RotationMember.query(on: db).filter(\.$rotation.$id ~~ turning).sort(\.$position).with(\.$person).all() {
                members[member.$rotation.id, default: []].append((member.person.email, member.person.name, !member.person.isUnlinked))
            }
        }
        var readers: [UUID: DutyReader] = [:]
        for rotation in rotations {
            guard let id = rotation.id else { continue }
            if rotation.scheduleType == .pagerduty {
                let state = timelines[id]
                readers[id] = Self.heldReader(entries[id] ?? [], known: known, syncedAt: state?.syncedAt, staleSince: state?.staleSince,
                                              sourceMissing: state?.sourceMissing ?? false, lastError: state?.lastError)
            } else {
                readers[id] = Self.turningReader(rotation, members: members[id] ?? [])
            }
        }
        return readers
    }

    private static func heldReader(_ entries: [RotationSync.HeldEntry], known: [String: (name: String, linked: Bool)], syncedAt: Date?, staleSince: Date?,
                                   sourceMissing: Bool, lastError: String?) -> DutyReader {
        { now in
            let (current, next) = RotationSync.duty(in: entries, at: now)
            return Duty(people: current.map { entry in
                            let person = entry.email.flatMap { known[$0] }
                            return .init(email: entry.email, name: person?.name ?? entry.name ?? entry.email ?? entry.pagerDutyUserID, linked: person?.linked ?? false)
                        },
                        until: next, source: "pagerduty", syncedAt: syncedAt, staleSince: staleSince, sourceMissing: sourceMissing, lastError: lastError)
        }
    }

    private static func turningReader(_ rotation: Rotation, members: [(email: String, name: String, linked: Bool)]) -> DutyReader {
        let byEmail = Dictionary(members.map { ($0.email, (name: $0.name, linked: $0.linked)) }, uniquingKeysWith: { first, _ in first })
        let saved = RotationState(members: members.map(\.email), dutySize: rotation.dutySize, position: rotation.position)
        let cadence = rotation.enabled ? cadence(rotation) : nil
        let zone = TimeZone(identifier: rotation.timeZone) ?? .gmt
        let positionAt = rotation.positionAt
        let source = rotation.scheduleType == .manual ? "manual" : "schedule"
        return { now in
            let state = turned(saved, cadence: cadence, zone: zone, since: positionAt, now: now)
            return Duty(people: state.onDuty.compactMap { email in byEmail[email].map { .init(email: email, name: $0.name, linked: $0.linked) } },
                        until: cadence.flatMap { Handoffs.next(after: now, cadence: $0, timeZone: zone) }, source: source,
                        syncedAt: nil, staleSince: nil, sourceMissing: false, lastError: nil)
        }
    }

    /// Fills the duty cache for every public rotation at once (at most once per cache
    /// lifetime): a miss then costs a few queries for all rotations, not a few per rotation.
    func warmDutyCache() async throws -> Bool {
        guard app.dutyCache.claimWarmUp() else { return false }
        let rotations = try await Rotation.query(on: db).filter(\.$isPublic == true).all()
        let readers = try await dutyReaders(rotations)
        for rotation in rotations {
            guard let id = rotation.id, let reader = readers[id] else { continue }
            app.dutyCache.set(rotation.code, reader)
            app.dutyCache.set(id.uuidString.uppercased(), reader)
        }
        return true
    }

    /// Upcoming shifts: PagerDuty's held timeline, or the projection of our own schedule.
    func upcomingShifts(_ rotation: Rotation, days: Int) async throws -> [Shift] {
        guard rotation.scheduleType == .pagerduty else { return try await shifts(rotation, days: days) }
        let now = app.now()
        let horizon = now.addingTimeInterval(TimeInterval(days) * 86_400)
        return (try await app.pagerDutySync.state(rotation)?.entries ?? [])
            .filter { ($0.end ?? .distantFuture) > now && $0.start < horizon }
            .map { Shift(start: $0.start, end: $0.end ?? horizon, people: [$0.email ?? $0.name ?? $0.pagerDutyUserID]) }
    }

    /// The rotation's state now, with every automatic handoff since it was last saved applied.
    func currentState(_ rotation: Rotation, on db: any Database) async throws -> RotationState {
        let saved = RotationState(members: try await memberPeople(try rotation.requireID(), on: db).map(\.email), dutySize: rotation.dutySize,
                                  position: rotation.position)
        return Self.turned(saved, cadence: rotation.enabled ? Self.cadence(rotation) : nil, zone: TimeZone(identifier: rotation.timeZone) ?? .gmt,
                           since: rotation.positionAt, now: app.now())
    }

    /// A saved state moved along by every handoff its schedule made since `positionAt`.
    static func turned(_ saved: RotationState, cadence: Cadence?, zone: TimeZone, since positionAt: Date, now: Date) -> RotationState {
        guard let cadence else { return saved }
        let due = Handoffs.between(positionAt, now, cadence: cadence, timeZone: zone)
        return due.isEmpty ? saved : saved.rotated(times: due.count)
    }

    /// Persists the handoffs that came due, with an audit event naming who took over.
    func settle(_ rotation: Rotation) async throws -> RotationState {
        let saved = RotationState(members: try await memberPeople(try rotation.requireID(), on: db).map(\.email), dutySize: rotation.dutySize, position: rotation.position)
        let state = try await currentState(rotation, on: db)
        if state.position != saved.position {
            rotation.position = state.position
            rotation.positionAt = app.now()
            try await db.transaction { db in
                try await rotation.save(on: db)
                try await AuditEvent.record(on: db, actor: "schedule", action: "rotation.handoff", rotation: rotation,
                                            before: saved.onDuty.joined(separator: ", "), after: state.onDuty.joined(separator: ", "))
                try await Webhooks.dutyChanged(rotation, previous: saved.onDuty, now: state.onDuty, until: nextHandoff(rotation), at: app.now(), on: db)
            }
        }
        return state
    }

    /// The Rotate button: the next group takes over now.
    func rotate(_ rotation: Rotation, by user: User) async throws -> RotationState {
        try await requireEditor(rotation, user)
        return try await rotate(rotation, actor: user.email)
    }

    /// Rotates for an already-authorised caller (a user, or a webhook holding the secret).
    func rotate(_ rotation: Rotation, actor: String) async throws -> RotationState {
        guard rotation.scheduleType != .pagerduty else {
            throw APIError(status: .conflict, code: "follows_pagerduty", message: "This rotation follows a PagerDuty schedule; change who is on call in PagerDuty")
        }
        let before = try await settle(rotation)
        guard !before.members.isEmpty else { throw APIError(status: .conflict, code: "no_members", message: "This rotation has no members to rotate") }
        let after = before.rotated()
        rotation.position = after.position
        rotation.positionAt = app.now()
        try await db.transaction { db in
            try await rotation.save(on: db)
            try await AuditEvent.record(on: db, actor: actor, action: "rotation.rotated", rotation: rotation,
                                        before: before.onDuty.joined(separator: ", "), after: after.onDuty.joined(separator: ", "))
            try await Webhooks.dutyChanged(rotation, previous: before.onDuty, now: after.onDuty, until: nextHandoff(rotation), at: app.now(), on: db)
        }
        return after
    }

    /// Puts a member first on duty (`setonduty`); manual and self-turning rotations only.
    func setOnDuty(_ rotation: Rotation, email: String, actor: String) async throws -> RotationState {
        guard rotation.scheduleType != .pagerduty else {
            throw APIError(status: .conflict, code: "follows_pagerduty", message: "This rotation follows a PagerDuty schedule; change who is on call in PagerDuty")
        }
        let before = try await settle(rotation)
        guard let after = before.settingOnDuty(User.normalize(email: email)) else {
            throw APIError.invalidField("email", "\(email) is not a member of \(rotation.code)")
        }
        rotation.position = after.position
        rotation.positionAt = app.now()
        try await db.transaction { db in
            try await rotation.save(on: db)
            try await AuditEvent.record(on: db, actor: actor, action: "rotation.set_on_duty", rotation: rotation,
                                        before: before.onDuty.joined(separator: ", "), after: after.onDuty.joined(separator: ", "))
            try await Webhooks.dutyChanged(rotation, previous: before.onDuty, now: after.onDuty, until: nextHandoff(rotation), at: app.now(), on: db)
        }
        return after
    }

    /// Issues a new secret of `kind` for the rotation, revoking the previous one. Returns it in clear, once.
    func issueSecret(_ kind: RotationSecret.Kind, for rotation: Rotation, by user: User) async throws -> String {
        try await requireEditor(rotation, user)
        let value = RotationSecret.generate()
        let rotationID = try rotation.requireID()
        try await db.transaction { db in
            try await RotationSecret.query(on: db).filter(\.$rotation.$id == rotationID).filter(\.$kind == kind).delete()
            let secret = RotationSecret()
            secret.$rotation.id = rotationID
            secret.kind = kind
            secret.digest = RotationSecret.digest(value)
            secret.last4 = String(value.suffix(4))
            try await secret.create(on: db)
            try await AuditEvent.record(on: db, actor: user.email, action: "rotation.\(kind.rawValue)_issued", rotation: rotation,
                                        after: "secret ending …\(secret.last4)")
        }
        return value
    }

    func revokeSecret(_ kind: RotationSecret.Kind, for rotation: Rotation, by user: User) async throws {
        try await requireEditor(rotation, user)
        try await db.transaction { db in
            try await RotationSecret.query(on: db).filter(\.$rotation.$id == rotation.requireID()).filter(\.$kind == kind).delete()
            try await AuditEvent.record(on: db, actor: user.email, action: "rotation.\(kind.rawValue)_revoked", rotation: rotation)
        }
    }

    /// The rotation a presented secret belongs to, or nil.
    func rotation(bySecret value: String, kind: RotationSecret.Kind) async throws -> Rotation? {
        guard let secret = try await RotationSecret.query(on: db).filter(\.$digest == RotationSecret.digest(value)).filter(\.$kind == kind)
            .with(\.$rotation).first() else { return nil }
        return secret.rotation
    }

    func nextHandoff(_ rotation: Rotation) -> Date? {
        guard rotation.enabled, let cadence = Self.cadence(rotation) else { return nil }
        return Handoffs.next(after: app.now(), cadence: cadence, timeZone: TimeZone(identifier: rotation.timeZone) ?? .gmt)
    }

    func shifts(_ rotation: Rotation, days: Int) async throws -> [Shift] {
        let state = try await settle(rotation)
        let now = app.now()
        let cadence = Self.cadence(rotation) ?? .manual
        return ShiftProjection.upcoming(state, cadence: rotation.enabled ? cadence : .manual, timeZone: TimeZone(identifier: rotation.timeZone) ?? .gmt,
                                        from: now, until: now.addingTimeInterval(TimeInterval(days) * 86_400))
    }

    // MARK: Lookups

    func find(_ idOrCode: String, for user: User) async throws -> Rotation {
        let rotation: Rotation?
        if let id = UUID(uuidString: idOrCode) {
            rotation = try await Rotation.find(id, on: db)
        } else {
            rotation = try await Rotation.query(on: db).filter(\.$code == idOrCode.uppercased()).first()
        }
        guard let rotation else { throw APIError.notFound("Rotation \(idOrCode)") }
        if !rotation.isPublic, !(try await canEdit(rotation, user)) { throw APIError.notFound("Rotation \(idOrCode)") }
        return rotation
    }

    func memberPeople(_ rotationID: UUID, on db: any Database) async throws -> [Person] {
        try await RotationMember.query(on: db).filter(\.$rotation.$id == rotationID).sort(\.$position).with(\.$person).all().map(\.person)
    }

    func ownerEmails(_ rotationID: UUID) async throws -> [String] {
        try await RotationOwner.query(on: db).filter(\.$rotation.$id == rotationID).with(\.$user).all().map(\.user.email).sorted()
    }

    func isOwner(_ rotation: Rotation, _ user: User) async throws -> Bool {
        try await RotationOwner.query(on: db).filter(\.$rotation.$id == rotation.requireID()).filter(\.$user.$id == user.requireID()).count() > 0
    }

    func canEdit(_ rotation: Rotation, _ user: User) async throws -> Bool {
        if user.isAdmin { return true }
        return try await isOwner(rotation, user)
    }

    /// Every rotation the user may see: public ones, and private ones they own (all, for admins).
    func visible(to user: User) async throws -> [Rotation] {
        let all = try await Rotation.query(on: db).sort(\.$code).all()
        if user.isAdmin { return all }
        let owned = Set(try await RotationOwner.query(on: db).filter(\.$user.$id == user.requireID()).all().map(\.$rotation.id))
        return all.filter { $0.isPublic || owned.contains($0.id!) }
    }

    /// Only owners and administrators edit a rotation.
    func requireEditor(_ rotation: Rotation, _ user: User) async throws {
        guard try await canEdit(rotation, user) else {
            throw APIError(status: .forbidden, code: "forbidden", message: "Only the rotation's owners and administrators may change it")
        }
    }

    // MARK: Helpers

    private func setMembers(_ emails: [String], rotationID: UUID, on db: any Database) async throws {
        let wanted = emails.map(User.normalize(email:))
        var seen = Set<String>()
        guard wanted.allSatisfy({ seen.insert($0).inserted }) else { throw APIError.invalidField("members", "each person may appear once") }
        let people = try await Person.query(on: db).filter(\.$email ~~ wanted).all()
        let byEmail = Dictionary(uniqueKeysWithValues: people.map { ($0.email, $0) })
        let unknown = wanted.filter { byEmail[$0] == nil }
        guard unknown.isEmpty else {
            throw APIError.invalidField("members", "not in the People directory: \(unknown.joined(separator: ", ")); add them under People first")
        }
        try await RotationMember.query(on: db).filter(\.$rotation.$id == rotationID).delete()
        for (index, email) in wanted.enumerated() {
            try await RotationMember(rotationID: rotationID, personID: try byEmail[email]!.requireID(), position: index).create(on: db)
        }
    }

    private func setOwners(_ emails: [String], creator: User, rotationID: UUID, on db: any Database, replacing: Bool = false) async throws {
        let wanted = Set(emails.map(User.normalize(email:)))
        let users = try await User.query(on: db).filter(\.$email ~~ Array(wanted)).all()
        let missing = wanted.subtracting(users.map(\.email))
        guard missing.isEmpty else { throw APIError.invalidField("owners", "no Shiftbridge account for: \(missing.sorted().joined(separator: ", "))") }
        if replacing {
            // You cannot remove yourself as an owner.
            let isOwner = try await RotationOwner.query(on: db).filter(\.$rotation.$id == rotationID).filter(\.$user.$id == creator.requireID()).count() > 0
            guard wanted.contains(creator.email) || !isOwner else {
                throw APIError.invalidField("owners", "you cannot remove yourself as an owner")
            }
            try await RotationOwner.query(on: db).filter(\.$rotation.$id == rotationID).delete()
        }
        let existing = Set(try await RotationOwner.query(on: db).filter(\.$rotation.$id == rotationID).all().map(\.$user.id))
        for user in users where !existing.contains(try user.requireID()) {
            try await RotationOwner(rotationID: rotationID, userID: try user.requireID()).create(on: db)
        }
    }

    private func summary(_ rotation: Rotation, on db: any Database) async throws -> String {
        let members = try await memberPeople(try rotation.requireID(), on: db).map(\.email)
        return "\(rotation.code) \(rotation.name); members: \(members.joined(separator: ", ")); duty size \(rotation.dutySize)\(rotation.enabled ? "" : "; disabled")"
    }

    static func cadence(_ rotation: Rotation) -> Cadence? {
        guard let text = rotation.scheduleTime, let time = TimeOfDay(text) else { return nil }
        let days = (rotation.scheduleWeekdays ?? "").split(separator: ",").compactMap { Int($0) }
        switch rotation.scheduleType {
        case .daily: return .daily(at: time)
        case .weekly: return days.first.map { .weekly(weekday: $0, at: time) }
        case .weekdays: return .weekdays(Set(days), at: time)
        case .manual, .pagerduty: return nil
        }
    }

    static func describeSchedule(_ rotation: Rotation) -> String {
        switch rotation.scheduleType {
        case .manual: "manual"
        case .daily: "daily at \(rotation.scheduleTime ?? "?") \(rotation.timeZone)"
        case .weekly: "weekly on day \(rotation.scheduleWeekdays ?? "?") at \(rotation.scheduleTime ?? "?") \(rotation.timeZone)"
        case .weekdays: "on days \(rotation.scheduleWeekdays ?? "?") at \(rotation.scheduleTime ?? "?") \(rotation.timeZone)"
        case .pagerduty: "PagerDuty schedule \(rotation.pagerDutyScheduleID ?? "?")"
        }
    }

    static func validCode(_ raw: String?) throws -> String {
        let code = (raw ?? "").trimmingCharacters(in: .whitespaces).uppercased()
        guard (1...32).contains(code.count), code.allSatisfy({ ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" }) else {
            throw APIError.invalidField("code", "use 1 to 32 letters, digits or hyphens, such as OPS-PRIMARY")
        }
        return code
    }

    static func validName(_ raw: String?) throws -> String {
        let name = (raw ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...200).contains(name.unicodeScalars.count) else { throw APIError.invalidField("name", "give the rotation a name (at most 200 characters)") }
        return name
    }

    static let maxDescriptionLength = 2000
    static let maxMembers = 1000

    static func validDescription(_ raw: String?) throws -> String? {
        guard let text = raw?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        guard text.unicodeScalars.count <= maxDescriptionLength else { throw APIError.invalidField("description", "at most \(maxDescriptionLength) characters") }
        return text
    }

    static func checkListSizes(_ input: Input) throws {
        if (input.members?.count ?? 0) > maxMembers { throw APIError.invalidField("members", "at most \(maxMembers) people") }
        if (input.owners?.count ?? 0) > 100 { throw APIError.invalidField("owners", "at most 100 owners") }
    }

    static func validDutySize(_ size: Int) throws -> Int {
        guard (1...50).contains(size) else { throw APIError.invalidField("duty_size", "must be between 1 and 50") }
        return size
    }
}

extension Application {
    var rotations: Rotations { Rotations(app: self) }
}
