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
            let email: String?
            let name: String
            let linked: Bool
        }
        let people: [Person]
        let until: Date?
        let source: String
        let syncedAt: Date?
        let staleSince: Date?
        let sourceMissing: Bool
        let lastError: String?
        var stale: Bool { staleSince != nil }
    }

    /// Who is on duty at any instant, from what was read once.
    typealias Reader = @Sendable (Date) -> Duty

    func duty(_ rotation: Rotation) async throws -> Duty {
        try await reader(rotation)(clock.now())
    }

    func reader(_ rotation: Rotation) async throws -> Reader {
        let id = try rotation.requireID()
        guard let reader = try await readers([rotation])[id] else { throw AppError.notFound("Rotation \(rotation.code)") }
        return reader
    }

    /// Readers for many rotations at once, in a fixed number of queries.
    func readers(_ rotations: [Rotation]) async throws -> [UUID: Reader] {
        let bound = rotations.filter(\.followsPagerDuty).compactMap(\.id)
        let turning = rotations.filter { !$0.followsPagerDuty }.compactMap(\.id)
        let syncs = bound.isEmpty ? [] : try await RotationSync.query(on: db).filter(\.$rotation.$id ~~ bound).all()
        let states = Dictionary(syncs.map { ($0.$rotation.id, $0) }, uniquingKeysWith: { first, _ in first })
        let timelines = states.mapValues(\.timeline)
        // Only the people the timelines name, not the whole directory.
        let emails = Array(Set(timelines.values.flatMap(\.entries).compactMap(\.email)))
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
        var readers: [UUID: Reader] = [:]
        for rotation in rotations {
            guard let id = rotation.id else { continue }
            if rotation.followsPagerDuty {
                readers[id] = Self.heldReader(timelines[id] ?? HeldTimeline(entries: []), known: known, sync: states[id])
            } else {
                readers[id] = Self.turningReader(rotation, members: members[id] ?? [])
            }
        }
        return readers
    }

    private static func heldReader(_ timeline: HeldTimeline, known: [String: (name: String, linked: Bool)], sync: RotationSync?) -> Reader {
        let syncedAt = sync?.syncedAt, staleSince = sync?.staleSince, missing = sync?.sourceMissing ?? false, lastError = sync?.lastError
        return { now in
            let (current, next) = timeline.duty(at: now)
            return Duty(people: current.map { entry in
                            let person = entry.email.flatMap { known[$0] }
                            return .init(email: entry.email, name: person?.name ?? entry.name ?? entry.label, linked: person?.linked ?? false)
                        },
                        until: next, source: "pagerduty", syncedAt: syncedAt, staleSince: staleSince, sourceMissing: missing, lastError: lastError)
        }
    }

    private static func turningReader(_ rotation: Rotation, members: [(email: String, name: String, linked: Bool)]) -> Reader {
        let byEmail = Dictionary(members.map { ($0.email, (name: $0.name, linked: $0.linked)) }, uniquingKeysWith: { first, _ in first })
        let saved = RotationState(members: members.map(\.email), dutySize: rotation.dutySize, position: rotation.position)
        let schedule = rotation.schedule
        let cadence = rotation.enabled ? schedule.cadence : nil
        let positionAt = rotation.positionAt
        let source = schedule.kind == .manual ? "manual" : "schedule"
        return { now in
            let state = turned(saved, cadence: cadence, zone: schedule.timeZone, since: positionAt, now: now)
            return Duty(people: state.onDuty.compactMap { email in byEmail[email].map { .init(email: email, name: $0.name, linked: $0.linked) } },
                        until: cadence.flatMap { Handoffs.next(after: now, cadence: $0, timeZone: schedule.timeZone) }, source: source,
                        syncedAt: nil, staleSince: nil, sourceMissing: false, lastError: nil)
        }
    }

    /// A saved state moved along by every handoff its schedule made since `positionAt`.
    static func turned(_ saved: RotationState, cadence: Cadence?, zone: TimeZone, since positionAt: Date, now: Date) -> RotationState {
        guard let cadence else { return saved }
        let due = Handoffs.between(positionAt, now, cadence: cadence, timeZone: zone)
        return due.isEmpty ? saved : saved.rotated(times: due.count)
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

    /// The rotation's state now, with every automatic handoff since it was last saved counted
    /// (not saved: that is the handoff job's).
    func currentState(_ rotation: Rotation, on db: (any Database)? = nil) async throws -> RotationState {
        let members = try await RotationMember.query(on: db ?? self.db).filter(\.$rotation.$id == rotation.requireID()).sort(\.$position)
            .with(\.$person).all().map(\.person.email)
        let saved = RotationState(members: members, dutySize: rotation.dutySize, position: rotation.position)
        let schedule = rotation.schedule
        return Self.turned(saved, cadence: rotation.enabled ? schedule.cadence : nil, zone: schedule.timeZone, since: rotation.positionAt, now: clock.now())
    }

    func nextHandoff(_ rotation: Rotation) -> Date? {
        let schedule = rotation.schedule
        guard rotation.enabled, let cadence = schedule.cadence else { return nil }
        return Handoffs.next(after: clock.now(), cadence: cadence, timeZone: schedule.timeZone)
    }

    /// Upcoming shifts: PagerDuty's held timeline, or the projection of the rotation's own schedule.
    func upcomingShifts(_ rotation: Rotation, days: Int) async throws -> [Shift] {
        let now = clock.now()
        let horizon = now.addingTimeInterval(TimeInterval(days) * 86_400)
        if rotation.followsPagerDuty {
            let timeline = try await RotationSync.query(on: db).filter(\.$rotation.$id == rotation.requireID()).first()?.timeline
            return timeline?.shifts(from: now, until: horizon) ?? []
        }
        let state = try await currentState(rotation)
        let schedule = rotation.schedule
        return ShiftProjection.upcoming(state, cadence: rotation.enabled ? (schedule.cadence ?? .manual) : .manual, timeZone: schedule.timeZone,
                                        from: now, until: horizon)
    }
}
