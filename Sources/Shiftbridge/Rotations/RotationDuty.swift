import Fluent
import Foundation
import ShiftbridgeCore

/// Who is on duty, and when that changes, however a rotation turns. Reads only: handoffs
/// that came due are the handoff job's (and the write paths') to record.
struct RotationDuty {
    let db: any Database
    let clock: any AppClock
    let cache: ReadCache<Reader>

    /// Who is on duty at one instant, and how trustworthy that is.
    struct Duty: Sendable {
        struct Person: Sendable {
            let member: DutyMember
            let name: String
            let linked: Bool
            let reason: DutyReason
            var email: String? { member.email }
        }
        let people: [Person]
        let until: Date?
        let turnedBy: RotationTurner
        let syncedAt: Date?
        let staleSince: Date?
        let sourceMissing: Bool
        let lastError: String?
        var stale: Bool { staleSince != nil }
        var members: [DutyMember] { people.map(\.member) }
    }

    /// Who is on duty at any instant, from what was read once.
    typealias Reader = @Sendable (Date) -> Duty

    /// The rotations' models, read together, and the rows among them that cannot be read.
    struct Models {
        var byID: [UUID: RotationModel] = [:]
        var syncs: [UUID: RotationSync] = [:]
        var unreadable: [UUID: UnreadableRecord] = [:]
        /// Email → name and whether linked, for everyone the models name.
        var people: [String: (name: String, linked: Bool)] = [:]
        /// When PagerDuty last answered (for rotations following it): held data is current
        /// only while it keeps answering.
        var pagerDutyAnsweredAt: Date?
    }

    /// Held data older than this (PagerDuty silent for a sync interval and a little) is stale.
    static let heldFreshFor: TimeInterval = ChangeFeed.interval + 30

    func duty(_ rotation: Rotation) async throws -> Duty {
        try await reader(rotation)(clock.now())
    }

    /// The rotation's reader; an unreadable rotation throws what cannot be read.
    func reader(_ rotation: Rotation) async throws -> Reader {
        let id = try rotation.requireID()
        let models = try await models([rotation])
        if let unreadable = models.unreadable[id] { throw unreadable }
        guard let reader = Self.readers(for: [rotation], models)[id] else { throw AppError.notFound("Rotation \(rotation.code)") }
        return reader
    }

    /// Readers for many rotations at once, in a fixed number of queries. A rotation whose row
    /// cannot be read has none (lists mark it from `models`).
    func readers(_ rotations: [Rotation]) async throws -> [UUID: Reader] {
        Self.readers(for: rotations, try await models(rotations))
    }

    /// Each rotation's model: its members in order, or PagerDuty's held timeline.
    func models(_ rotations: [Rotation], on db: (any Database)? = nil) async throws -> Models {
        let db = db ?? self.db
        let bound = rotations.filter(\.followsPagerDuty).compactMap(\.id)
        let turning = rotations.filter { !$0.followsPagerDuty }.compactMap(\.id)
        var models = Models()
        if !bound.isEmpty {
            for sync in try await RotationSync.query(on: db).filter(\.$rotation.$id ~~ bound).all() { models.syncs[sync.$rotation.id] = sync }
            models.pagerDutyAnsweredAt = try await PagerDutyConnection.current(on: db)?.lastSuccessAt
        }
        var timelines: [UUID: HeldTimeline] = [:]
        for (id, sync) in models.syncs {
            do { timelines[id] = try sync.timeline } catch let error as UnreadableRecord { models.unreadable[id] = error }
        }
        var members: [UUID: [String]] = [:]
        if !turning.isEmpty {
            for member in try await RotationMember.query(on: db).filter(\.$rotation.$id ~~ turning).sort(\.$position).with(\.$person).all() {
                members[member.$rotation.id, default: []].append(member.person.email)
                models.people[member.person.email] = (member.person.name, !member.person.isUnlinked)
            }
        }
        // Only the people the timelines name, not the whole directory.
        let named = Array(Set(timelines.values.flatMap(\.entries).compactMap(\.email)).subtracting(models.people.keys))
        for start in stride(from: 0, to: named.count, by: 5000) {
            for person in try await Person.query(on: db).filter(\.$email ~~ Array(named[start..<min(start + 5000, named.count)])).all() {
                models.people[person.email] = (person.name, !person.isUnlinked)
            }
        }
        for rotation in rotations {
            guard let id = rotation.id, models.unreadable[id] == nil else { continue }
            do {
                models.byID[id] = try rotation.model(members: members[id] ?? [], timeline: timelines[id] ?? HeldTimeline(entries: []))
            } catch let error as UnreadableRecord {
                models.unreadable[id] = error
            }
        }
        return models
    }

    static func readers(for rotations: [Rotation], _ models: Models) -> [UUID: Reader] {
        var readers: [UUID: Reader] = [:]
        for rotation in rotations {
            guard let id = rotation.id, let model = models.byID[id] else { continue }
            readers[id] = reader(model, people: models.people, sync: models.syncs[id], answeredAt: models.pagerDutyAnsweredAt)
        }
        return readers
    }

    private static func reader(_ model: RotationModel, people: [String: (name: String, linked: Bool)], sync: RotationSync?, answeredAt: Date?) -> Reader {
        let syncedAt = sync?.syncedAt, failingSince = sync?.staleSince, missing = sync?.sourceMissing ?? false
        let lastError = sync?.lastError
        let follows = model.turnedBy == .pagerDuty
        return { now in
            // Stale once its last read failed, or once PagerDuty has been silent longer than a sync interval.
            let silentSince = answeredAt.flatMap { now.timeIntervalSince($0) > heldFreshFor ? $0.addingTimeInterval(ChangeFeed.interval) : nil }
            let staleSince = follows ? failingSince ?? silentSince : nil
            let problem = failingSince != nil ? lastError : silentSince.map { _ in "PagerDuty has not answered since \(answeredAt!.displayString)" }
            let duty = model.duty(at: now)
            return Duty(people: duty.onDuty.map { assignment in
                            let known = assignment.member.email.flatMap { people[$0] }
                            let name = known?.name ?? assignment.name ?? assignment.member.email ?? assignment.member.label
                            return .init(member: assignment.member, name: name, linked: known?.linked ?? false, reason: assignment.reason)
                        },
                        until: duty.until, turnedBy: model.turnedBy, syncedAt: syncedAt, staleSince: staleSince, sourceMissing: missing,
                        lastError: problem)
        }
    }

    /// The on-duty answer for a public rotation, by code or id, from this instance's cache
    /// (filled, at most once a cache lifetime, for every public rotation not cached already).
    /// A rotation following PagerDuty is kept `heldLifetime`: its answer is computed from the
    /// held timeline at each request, and only a sync (which clears this instance's cache)
    /// changes that timeline; a manual rotation, which another instance may turn, the default.
    func cachedReader(_ key: String) async throws -> Reader? {
        let now = clock.now()
        if let reader = cache.get(key, now: now) { return reader }
        guard cache.claimWarmUp(now: now) else { return nil }
        let rotations = try await Rotation.query(on: db).filter(\.$isPublic == true).all()
            .filter { !cache.contains($0.code, now: now) || $0.code == key || $0.id?.uuidString.uppercased() == key }
        let readers = try await readers(rotations)
        for rotation in rotations {
            guard let id = rotation.id, let reader = readers[id] else { continue }
            let lifetime = rotation.followsPagerDuty ? Self.heldLifetime : nil
            cache.set(rotation.code, reader, now: now, lifetime: lifetime, tag: Self.tag(id))
            cache.set(id.uuidString.uppercased(), reader, now: now, lifetime: lifetime, tag: Self.tag(id))
        }
        return cache.get(key, now: now)
    }

    static let heldLifetime: TimeInterval = 60

    /// What the cache files a rotation's answers under, so a write to it drops only them.
    static func tag(_ rotationID: UUID) -> String { rotationID.uuidString }

    func remember(_ reader: @escaping Reader, as key: String, for rotation: Rotation) {
        cache.set(key, reader, now: clock.now(), lifetime: rotation.followsPagerDuty ? Self.heldLifetime : nil, tag: rotation.id.map(Self.tag))
    }

    /// The rotation's model, read now (an unreadable row throws what cannot be read).
    func model(_ rotation: Rotation, on db: (any Database)? = nil) async throws -> RotationModel {
        let models = try await models([rotation], on: db)
        if let unreadable = models.unreadable[try rotation.requireID()] { throw unreadable }
        guard let model = models.byID[try rotation.requireID()] else { throw AppError.notFound("Rotation \(rotation.code)") }
        return model
    }

    /// Upcoming shifts: PagerDuty's held timeline, or the projection of the rotation's own schedule.
    func upcomingShifts(_ rotation: Rotation, days: Int) async throws -> [Shift] {
        let now = clock.now()
        return try await model(rotation).shifts(from: now, until: now.addingTimeInterval(TimeInterval(days) * 86_400))
    }
}
