import Fluent
import Foundation
import ShiftbridgeCore

extension AppDriver {
    package var rotationCount: Int {
        get async throws { try await Rotation.query(on: db).count() }
    }

    package func rotationExists(code: String) async throws -> Bool {
        try await Rotation.query(on: db).filter(\.$code == code).first() != nil
    }

    /// Adds a person to the directory unless someone has the email already.
    package func addPerson(email: String, name: String, timeZone: String?, actor: String) async throws {
        guard try await Person.query(on: db).filter(\.$email == User.normalize(email: email)).first() == nil else { return }
        _ = try await services.people(db).add(.init(email: email, name: name, time_zone: timeZone), actor: actor)
    }

    /// Creates a rotation owned by the administrator `owner`; returns its id.
    @discardableResult
    package func createRotation(code: String, name: String, description: String? = nil, members: [String] = [], owner: String) async throws -> UUID {
        let input = RotationInput(code: code, name: name, description: description, members: members)
        return try await services.rotationEditor(db).create(input, by: try await user(owner)).requireID()
    }

    /// Sets a rotation's schedule as its owner would (a PagerDuty schedule is read first).
    package func setSchedule(code: String, _ schedule: RotationSchedule, by owner: String) async throws {
        guard let rotation = try await Rotation.query(on: db).filter(\.$code == code).first() else { throw AppError.notFound("Rotation \(code)") }
        _ = try await services.rotationEditor(db).setSchedule(rotation, schedule, by: try await user(owner))
    }

    /// Binds a rotation to a PagerDuty schedule without reading it first: the sync pass
    /// reads it (benchmarks bind a thousand at once).
    package func bindWithoutReading(code: String, scheduleID: String) async throws {
        guard let rotation = try await Rotation.query(on: db).filter(\.$code == code).first() else { throw AppError.notFound("Rotation \(code)") }
        rotation.store(schedule: .pagerDuty(scheduleID: scheduleID))
        try await rotation.save(on: db)
    }

    /// One pass of following PagerDuty; returns how many rotations it read.
    package func runSyncPass() async throws -> Int {
        try await services.rotationSyncPass(db).run(holder: services.instanceID)
    }

    /// The sync pass starts afresh, as after a restart (a changed credential's abilities).
    package func resetChangeFeed() async {
        await services.changeFeed.reset()
    }

    package var syncedRotationCount: Int {
        get async throws { try await RotationSync.query(on: db).filter(\.$syncedAt != nil).count() }
    }

    /// The held timeline's shifts for one rotation: who (PagerDuty user id) from when.
    package func heldShifts(code: String) async throws -> [(pagerDutyUserID: String?, start: Date)] {
        guard let rotation = try await Rotation.query(on: db).filter(\.$code == code).first(),
              let state = try await RotationSync.query(on: db).filter(\.$rotation.$id == rotation.requireID()).first() else { return [] }
        return try state.timeline.entries.map { ($0.pagerDutyUserID, $0.start) }
    }

    /// Rotations whose held on-duty ends at or before `instant`: handoffs still to apply.
    package func handoffsPending(atOrBefore instant: Date) async throws -> Int {
        try await RotationSync.query(on: db).filter(\.$onDutyUntil <= instant).count()
    }

    package func handoffEvents(since instant: Date) async throws -> Int {
        try await AuditEvent.query(on: db).filter(\.$action == .rotationHandoff).filter(\.$occurredAt >= instant).count()
    }

    /// A webhook for every rotation's duty changes, made by the administrator `email`.
    package func addWebhook(url: String, by email: String) async throws {
        guard let user = try await User.query(on: db).filter(\.$email == email).first() else { throw AppError.notFound("User \(email)") }
        _ = try await services.webhookRegistry(db).create(url: url, rotation: nil, by: user)
    }

    /// Webhook deliveries enqueued since `instant`.
    package func webhookDeliveries(since instant: Date) async throws -> Int {
        try await WebhookDelivery.query(on: db).filter(\.$createdAt >= instant).count()
    }
}
