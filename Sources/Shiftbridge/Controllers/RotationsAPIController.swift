import Fluent
import ShiftbridgeCore
import Vapor

/// `/api/v1/rotations` (contract).
struct RotationsAPIController {
    func boot(api: any RoutesBuilder) {
        let rotations = api.grouped("rotations")
        rotations.get(use: list)
        rotations.post(use: create)
        let one = rotations.grouped(":rotation")
        one.get(use: show)
        one.patch(use: update)
        one.delete(use: delete)
        one.put("schedule", use: schedule)
        one.get("on-duty", use: onDuty)
        one.get("members", use: members)
        one.get("shifts", use: shifts)
        one.post("rotate", use: rotate)
        one.post("sync", use: sync)
    }

    struct PersonRef: Content {
        let email: String
        let name: String
        let linked: Bool
        init(_ person: Person) {
            email = person.email
            name = person.name
            linked = !person.isUnlinked
        }
    }

    struct ScheduleDTO: Content {
        let type: String
        let time: String?
        let weekdays: [Int]?
        let time_zone: String
        let schedule_id: String?
        let next_handoff: Date?
    }

    struct RotationDTO: Content {
        let id: UUID?
        let code: String
        let name: String
        let description: String?
        let is_public: Bool
        let duty_size: Int
        let enabled: Bool
        let schedule: ScheduleDTO
        let owners: [String]
        let members: [String]
        let on_duty: [String]
    }

    private func dto(_ rotation: Rotation, _ req: Request) async throws -> RotationDTO {
        let service = req.application.rotations
        _ = try await service.settle(rotation)
        guard let overview = try await service.overviews([rotation]).first else { throw APIError.notFound("Rotation \(rotation.code)") }
        return dto(overview, service)
    }

    private func dto(_ overview: Rotations.Overview, _ service: Rotations) -> RotationDTO {
        let rotation = overview.rotation
        return RotationDTO(
            id: rotation.id, code: rotation.code, name: rotation.name, description: rotation.description, is_public: rotation.isPublic,
            duty_size: rotation.dutySize, enabled: rotation.enabled,
            schedule: ScheduleDTO(type: rotation.scheduleType.rawValue, time: rotation.scheduleTime,
                                  weekdays: rotation.scheduleWeekdays.map { $0.split(separator: ",").compactMap { Int($0) } },
                                  time_zone: rotation.timeZone, schedule_id: rotation.pagerDutyScheduleID, next_handoff: service.nextHandoff(rotation)),
            owners: overview.owners, members: overview.members, on_duty: overview.onDuty)
    }

    struct RotationList: Content { let rotations: [RotationDTO] }

    func list(req: Request) async throws -> RotationList {
        let user = try req.auth.require(User.self)
        let service = req.application.rotations
        return RotationList(rotations: try await service.overviews(try await service.visible(to: user)).map { dto($0, service) })
    }

    func create(req: Request) async throws -> Response {
        let user = try req.auth.require(User.self)
        let rotation = try await req.application.rotations.create(try req.content.decode(Rotations.Input.self), by: user)
        let response = try await dto(rotation, req).encodeResponse(for: req)
        response.status = .created
        return response
    }

    func show(req: Request) async throws -> RotationDTO {
        try await dto(try await find(req), req)
    }

    func update(req: Request) async throws -> RotationDTO {
        let user = try req.auth.require(User.self)
        let rotation = try await req.application.rotations.update(try await find(req), try req.content.decode(Rotations.Input.self), by: user)
        return try await dto(rotation, req)
    }

    func delete(req: Request) async throws -> HTTPStatus {
        try await req.application.rotations.delete(try await find(req), by: try req.auth.require(User.self))
        return .noContent
    }

    func schedule(req: Request) async throws -> RotationDTO {
        let user = try req.auth.require(User.self)
        let rotation = try await req.application.rotations.setSchedule(try await find(req), try req.content.decode(Rotations.ScheduleInput.self), by: user)
        return try await dto(rotation, req)
    }

    struct DutyPerson: Content {
        let email: String?
        let name: String
        let linked: Bool
    }

    struct OnDuty: Content {
        let on_duty: [DutyPerson]
        let until: Date?
        let source: String
        let synced_at: Date?
        let stale: Bool
        let stale_since: Date?
        let source_missing: Bool
        let problem: String?
    }

    /// The hottest read: a public rotation's answer is computed from what was read in the
    /// last five seconds. This instance's writes clear it at once; another instance's show
    /// within five seconds; handoffs show at once, computed for the instant of the read.
    func onDuty(req: Request) async throws -> OnDuty {
        let key = (req.parameters.get("rotation") ?? "").uppercased()
        let cache = req.application.dutyCache
        if let reader = cache.get(key) { return Self.onDuty(reader(req.application.now())) }
        if try await req.application.rotations.warmDutyCache(), let reader = cache.get(key) { return Self.onDuty(reader(req.application.now())) }
        let rotation = try await find(req)
        let reader = try await req.application.rotations.dutyReader(rotation)
        if rotation.isPublic { cache.set(key, reader) }
        return Self.onDuty(reader(req.application.now()))
    }

    static func onDuty(_ duty: Rotations.Duty) -> OnDuty {
        OnDuty(on_duty: duty.people.map { DutyPerson(email: $0.email, name: $0.name, linked: $0.linked) }, until: duty.until, source: duty.source,
               synced_at: duty.syncedAt, stale: duty.stale, stale_since: duty.staleSince, source_missing: duty.sourceMissing, problem: duty.lastError)
    }

    struct MemberDTO: Content {
        let email: String
        let name: String
        let linked: Bool
        let on_duty: Bool
    }

    struct Roster: Content {
        let members: [MemberDTO]
        let linked: Int
        let total: Int
        let read_only: Bool
    }

    func members(req: Request) async throws -> Roster {
        let rotation = try await find(req)
        let service = req.application.rotations
        let onDuty = Set(try await service.duty(rotation).people.compactMap(\.email))
        let people = try await service.memberPeople(try rotation.requireID(), on: req.db)
        let members = people.map { MemberDTO(email: $0.email, name: $0.name, linked: !$0.isUnlinked, on_duty: onDuty.contains($0.email)) }
        return Roster(members: members, linked: members.filter(\.linked).count, total: members.count, read_only: rotation.scheduleType == .pagerduty)
    }

    struct ShiftDTO: Content {
        let start: Date
        let end: Date
        let people: [PersonRef]
    }

    struct ShiftList: Content { let shifts: [ShiftDTO] }

    func shifts(req: Request) async throws -> ShiftList {
        let rotation = try await find(req)
        let days = try req.queryInteger("days", in: 1...90) ?? 14
        let service = req.application.rotations
        let people = try await service.memberPeople(try rotation.requireID(), on: req.db)
        let byEmail = Dictionary(uniqueKeysWithValues: people.map { ($0.email, $0) })
        let shifts = try await service.upcomingShifts(rotation, days: days)
        return ShiftList(shifts: shifts.map { ShiftDTO(start: $0.start, end: $0.end, people: $0.people.compactMap { byEmail[$0] }.map(PersonRef.init)) })
    }

    func rotate(req: Request) async throws -> OnDuty {
        let user = try req.auth.require(User.self)
        _ = try await req.application.rotations.rotate(try await find(req), by: user)
        return try await onDuty(req: req)
    }

    /// Sync now: one complete read of the bound PagerDuty schedule.
    func sync(req: Request) async throws -> OnDuty {
        let rotation = try await find(req)
        guard rotation.scheduleType == .pagerduty else {
            throw APIError(status: .conflict, code: "not_bound", message: "\(rotation.code) does not follow a PagerDuty schedule, so there is nothing to sync")
        }
        await req.application.pagerDutySync.sync(rotation)
        return Self.onDuty(try await req.application.rotations.duty(rotation))
    }

    private func find(_ req: Request) async throws -> Rotation {
        try await req.application.rotations.find(req.parameters.get("rotation") ?? "", for: try req.auth.require(User.self))
    }
}
