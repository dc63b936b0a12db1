import Fluent
import ShiftbridgeCore
import Vapor

/// `/api/v1/rotations` (contract). GETs only read: handoffs that came due are the handoff
/// job's to record.
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

    func list(req: Request) async throws -> RotationList {
        let services = req.services
        let rotations = try await services.rotationDirectory(req.db).visible(to: try req.requireUser())
        return RotationList(rotations: try await overviews(rotations, req).map(RotationDTO.init))
    }

    func create(req: Request) async throws -> Response {
        let rotation = try await req.services.rotationEditor(req.db).create(try req.content.decode(RotationInput.self), by: try req.requireUser())
        let response = try await dto(rotation, req).encodeResponse(for: req)
        response.status = .created
        return response
    }

    func show(req: Request) async throws -> RotationDTO {
        try await dto(try await find(req), req)
    }

    func update(req: Request) async throws -> RotationDTO {
        let rotation = try await req.services.rotationEditor(req.db).update(try await find(req), try req.content.decode(RotationInput.self), by: try req.requireUser())
        return try await dto(rotation, req)
    }

    func delete(req: Request) async throws -> HTTPStatus {
        try await req.services.rotationEditor(req.db).delete(try await find(req), by: try req.requireUser())
        return .noContent
    }

    func schedule(req: Request) async throws -> RotationDTO {
        let rotation = try await find(req)
        // A stored schedule that cannot be read is what this replaces: its zone is not needed.
        let schedule = try req.content.decode(ScheduleInput.self).schedule(defaultTimeZone: (try? rotation.schedule)?.timeZoneIdentifier ?? "Etc/UTC")
        return try await dto(try await req.services.rotationEditor(req.db).setSchedule(rotation, schedule, by: try req.requireUser()), req)
    }

    /// The hottest read: a public rotation's answer is computed from what was read a little
    /// earlier (five seconds; a minute for one following PagerDuty, which only a sync changes).
    /// This instance's writes drop it at once, another instance's show within that time, and
    /// handoffs show at once, computed for the instant of the read.
    func onDuty(req: Request) async throws -> OnDuty {
        let key = (req.parameters.get("rotation") ?? "").uppercased()
        let duty = req.services.rotationDuty(req.db)
        let now = req.services.clock.now()
        if let reader = try await duty.cachedReader(key) { return OnDuty(reader(now)) }
        let rotation = try await find(req)
        let reader = try await duty.reader(rotation)
        if rotation.isPublic { duty.remember(reader, as: key, for: rotation) }
        return OnDuty(reader(now))
    }

    func members(req: Request) async throws -> Roster {
        let rotation = try await find(req)
        let onDuty = Set(try await req.services.rotationDuty(req.db).duty(rotation).people.compactMap(\.email))
        let people = try await req.services.rotationDirectory(req.db).memberPeople(try rotation.requireID())
        let members = people.map { MemberDTO(email: $0.email, name: $0.name, linked: !$0.isUnlinked, on_duty: onDuty.contains($0.email)) }
        return Roster(members: members, linked: members.filter(\.linked).count, total: members.count,
                      read_only: try rotation.model(members: []).membersFromPagerDuty)
    }

    func shifts(req: Request) async throws -> ShiftList {
        let rotation = try await find(req)
        let days = try req.queryInteger("days", in: 1...90) ?? 14
        let people = try await req.services.rotationDirectory(req.db).memberPeople(try rotation.requireID())
        let byEmail = Dictionary(uniqueKeysWithValues: people.map { ($0.email, $0) })
        let shifts = try await req.services.rotationDuty(req.db).upcomingShifts(rotation, days: days)
        return ShiftList(shifts: shifts.map { ShiftDTO(start: $0.start, end: $0.end, people: $0.people.compactMap { byEmail[$0] }.map(PersonRef.init)) })
    }

    func rotate(req: Request) async throws -> OnDuty {
        let rotation = try await find(req)
        _ = try await req.services.rotationEditor(req.db).rotate(rotation, by: try req.requireUser())
        return OnDuty(try await req.services.rotationDuty(req.db).duty(rotation))
    }

    /// Sync now: one complete read of the bound PagerDuty schedule.
    /// Reads PagerDuty now for one rotation: its owners and administrators only (a sync
    /// spends the shared request budget).
    func sync(req: Request) async throws -> OnDuty {
        let rotation = try await find(req)
        try await req.services.rotationDirectory(req.db).requireEditor(rotation, try req.requireUser())
        guard rotation.followsPagerDuty else {
            throw AppError(.conflict, code: "not_bound", "\(rotation.code) does not follow PagerDuty, so there is nothing to sync")
        }
        _ = await req.services.pagerDutySync(req.db).sync(rotation)
        return OnDuty(try await req.services.rotationDuty(req.db).duty(rotation))
    }

    private func find(_ req: Request) async throws -> Rotation {
        try await req.services.rotationDirectory(req.db).find(req.parameters.get("rotation") ?? "", for: try req.requireUser())
    }

    private func overviews(_ rotations: [Rotation], _ req: Request) async throws -> [RotationDirectory.Overview] {
        try await req.services.rotationDirectory(req.db).overviews(rotations, duty: req.services.rotationDuty(req.db), at: req.services.clock.now())
    }

    /// One rotation's answer; one whose row cannot be read answers 500 `unreadable_record`.
    private func dto(_ rotation: Rotation, _ req: Request) async throws -> RotationDTO {
        guard let overview = try await overviews([rotation], req).first else { throw AppError.notFound("Rotation \(rotation.code)") }
        if let unreadable = overview.unreadable { throw unreadable }
        return RotationDTO(overview)
    }
}
