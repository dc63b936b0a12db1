import Fluent
import PagerDutyKit
import ShiftbridgeCore
import Vapor

/// The Rotations pages: list and create, a rotation's page, its schedule form, Rotate.
struct RotationsController {
    func boot(pages: any RoutesBuilder) {
        pages.get("rotations", use: list)
        pages.post("rotations", use: create)
        pages.get("rotations", ":rotation", use: show)
        pages.post("rotations", ":rotation", "rotate", use: rotate)
        pages.post("rotations", ":rotation", "schedule", use: schedule)
    }

    func list(req: Request) async throws -> Response {
        try await renderList(req, error: nil, input: nil)
    }

    private func renderList(_ req: Request, error: String?, input: RotationInput?, status: HTTPResponseStatus = .ok) async throws -> Response {
        let user = try req.requireUser()
        let directory = req.services.rotationDirectory(req.db)
        let overviews = try await directory.overviews(try await directory.visible(to: user), duty: req.services.rotationDuty(req.db), at: req.services.clock.now())
        let rows = overviews.map { overview in
            RotationsPage.Row(code: overview.rotation.code, name: overview.rotation.name,
                              schedule: overview.model?.schedule.description ?? "unreadable: \(overview.unreadable?.reason ?? "")",
                              onDuty: overview.onDuty, members: overview.members.count, enabled: overview.rotation.enabled, unreadable: overview.unreadable != nil)
        }
        return HTMLResponse.make(status: status, html: RotationsPage.render(.init(rows: rows, error: error, input: input),
                                                                            context: req.pageContext(title: "Rotations", section: .rotations)))
    }

    struct CreateForm: Content {
        var code: String?
        var name: String?
        var duty_size: String?
        var members_text: String?
    }

    func create(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let form = try req.content.decode(CreateForm.self)
        let members = (form.members_text ?? "").split(whereSeparator: { $0 == "\n" || $0 == "," || $0 == "\r" })
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let input = RotationInput(code: form.code, name: form.name, duty_size: form.duty_size.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } ?? 0,
                                  members: members)
        do {
            let rotation = try await req.services.rotationEditor(req.db).create(input, by: user)
            req.flash(.success, "Created rotation \(rotation.code).")
            return req.redirect(to: "/rotations/\(rotation.code)")
        } catch let error as AppError {
            return try await renderList(req, error: error.message, input: input, status: error.kind.httpStatus)
        }
    }

    func show(req: Request) async throws -> Response {
        try await render(req, error: nil)
    }

    func render(_ req: Request, error: String?, status: HTTPResponseStatus = .ok) async throws -> Response {
        let user = try req.requireUser()
        let services = req.services
        let directory = services.rotationDirectory(req.db)
        let dutyService = services.rotationDuty(req.db)
        let rotation = try await directory.find(req.parameters.get("rotation") ?? "", for: user)
        let rotationModel = try await dutyService.model(rotation)
        let duty = try await dutyService.duty(rotation)
        let people = try await directory.memberPeople(try rotation.requireID())
        let byEmail = Dictionary(uniqueKeysWithValues: people.map { ($0.email, $0) })
        let onDuty = Set(duty.people.compactMap(\.email))
        let shifts = try await dutyService.upcomingShifts(rotation, days: 14)
        var problem: String?
        if duty.sourceMissing {
            problem = "Source schedule missing: \(duty.lastError ?? "")"
        } else if let since = duty.staleSince {
            problem = "Stale since \(since.displayString): \(duty.lastError ?? "the last sync failed"). Showing the last good state."
        }
        let canEdit = try await directory.canEdit(rotation, user)
        let slackConnected = try await SlackConnection.current(on: req.db) != nil
        let slack = try await services.slackOutputSettings(req.db).get(rotation)
        let sources = Self.sources(rotationModel, now: services.clock.now())
        let model = RotationPage.Model(
            code: rotation.code, name: rotation.name, description: rotation.description, schedule: rotationModel.schedule,
            canRotate: rotationModel.canRotate, membersFromPagerDuty: rotationModel.membersFromPagerDuty,
            nextHandoff: duty.until,
            onDuty: duty.people.map { ($0.name, $0.email ?? "no email in PagerDuty") },
            roster: people.map { ($0.name, $0.email, !$0.isUnlinked, onDuty.contains($0.email)) },
            shifts: shifts, names: byEmail.mapValues(\.name).merging(duty.people.compactMap { p in p.email.map { ($0, p.name) } }, uniquingKeysWith: { a, _ in a }),
            now: services.clock.now(),
            owners: try await directory.ownerEmails(try rotation.requireID()), canEdit: canEdit, error: error,
            problem: problem, syncedAt: duty.syncedAt, external: canEdit ? try await external(req, following: rotationModel.schedule.pagerDutyScheduleIDs) : nil,
            history: try await services.auditLog(req.db).history(of: rotation).map { ($0.occurredAt, $0.actor, $0.action, $0.beforeSummary, $0.afterSummary) },
            slack: slackConnected || slack.on_duty_usergroup != nil || slack.channel != nil ? slack : nil, slackConnected: slackConnected,
            sources: sources)
        return HTMLResponse.make(status: status, html: RotationPage.render(model, context: req.pageContext(title: rotation.name, section: .rotations)))
    }

    /// Who each PagerDuty source has on call now, for a rotation following several (or a policy).
    static func sources(_ model: RotationModel, now: Date) -> [(source: String, onCall: [String])] {
        let schedule = model.schedule, timeline = model.timeline
        guard schedule.pagerDutyScheduleIDs.count > 1 || schedule.escalationPolicy != nil, !timeline.entries.isEmpty else { return [] }
        let current = timeline.entries.filter { $0.start <= now && ($0.end.map { $0 > now } ?? true) }
        var order: [String] = schedule.pagerDutyScheduleIDs
        for entry in timeline.entries { if let source = entry.source, !order.contains(source) { order.append(source) } }
        return order.map { source in
            (source, current.filter { $0.source == source }.map { $0.name ?? $0.email ?? $0.pagerDutyUserID })
        }
    }

    /// The External group: offered only while PagerDuty is connected.
    private func external(_ req: Request, following followed: [String]) async throws -> RotationPage.External? {
        let clients = req.services.pagerDutyClients(req.db)
        guard let client = try? await clients.client(for: .report) else { return nil }
        let query = try req.queryText("pd_query")
        let previewID = try req.queryText("preview", maxLength: 64)
        let policyID = try req.queryText("preview_policy", maxLength: 64)
        let maxLevel = try req.queryText("max_level", maxLength: 3).map { text in
            guard let level = Int(text), (1...RotationSchedule.maxLevels).contains(level) else {
                throw AppError.invalidField("max_level", "a level from 1 to \(RotationSchedule.maxLevels)")
            }
            return level
        } ?? 1
        var found: [RotationPage.External.Found] = []
        var preview: RotationPage.External.Preview?
        var combined: SourcesPreview?
        var policy: (id: String, maxLevel: Int, preview: SourcesPreview)?
        let now = req.services.clock.now()
        do {
            if let query {
                found = try await req.services.pagerDutyConnector(req.db).schedules(matching: query).map {
                    .init(id: $0.id, name: $0.name ?? $0.id, timeZone: $0.timeZone ?? "UTC", users: $0.layerUserIDs.count)
                }
            }
            if let previewID {
                let schedule = try await client.schedule(id: previewID, since: now, until: now.addingTimeInterval(7 * 86_400))
                preview = .init(id: schedule.id, name: schedule.name ?? schedule.id, timeZone: schedule.timeZone ?? "UTC",
                                layers: schedule.layers.map { ($0.name ?? "Layer", $0.users.map { $0.name ?? $0.id }) },
                                shifts: schedule.finalEntries.map { ($0.start, $0.end, $0.user?.name ?? $0.user?.id ?? "nobody") })
                if !followed.isEmpty, !followed.contains(previewID), followed.count < RotationSchedule.maxScheduleIDs {
                    combined = try await SourcesPreview.read(scheduleIDs: followed + [previewID], policy: nil, client: client, now: now)
                }
            }
            if let policyID {
                policy = (policyID, maxLevel, try await SourcesPreview.read(scheduleIDs: [], policy: (policyID, maxLevel), client: client, now: now))
            }
        } catch let failure as AppError {
            return .init(query: query, found: [], preview: nil, combined: nil, policy: nil, error: failure.message)
        } catch let error as PagerDutyError {
            return .init(query: query, found: found, preview: preview, combined: nil, policy: nil,
                         error: PagerDutyClients.explain(error, baseURL: client.configuration.baseURL, method: nil).message)
        }
        return .init(query: query, found: found, preview: preview, combined: combined, policy: policy, error: nil)
    }

    func rotate(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let rotation = try await req.services.rotationDirectory(req.db).find(req.parameters.get("rotation") ?? "", for: user)
        do {
            let state = try await req.services.rotationEditor(req.db).rotate(rotation, by: user)
            req.flash(.success, "Rotated: \(state.onDuty.joined(separator: ", ")) now on duty.")
        } catch let error as AppError {
            req.flash(.error, error.message)
        }
        return req.redirect(to: "/rotations/\(rotation.code)")
    }

    struct ScheduleForm: Content {
        var schedule_id: String?
        var schedule_ids: [String]?
        var escalation_policy_id: String?
        var max_level: Int?
        var type: String?
        var time: String?
        var weekdays: [Int]?
        var time_zone: String?
    }

    func schedule(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let rotation = try await req.services.rotationDirectory(req.db).find(req.parameters.get("rotation") ?? "", for: user)
        let form = try req.content.decode(ScheduleForm.self)
        let days = form.weekdays ?? []
        let input = ScheduleInput(type: form.type ?? "manual", time: form.time?.nilIfEmpty, weekday: days.first, weekdays: days,
                                  time_zone: form.time_zone?.nilIfEmpty, schedule_id: form.schedule_id?.nilIfEmpty,
                                  schedule_ids: form.schedule_ids, escalation_policy_id: form.escalation_policy_id?.nilIfEmpty, max_level: form.max_level)
        do {
            let schedule = try input.schedule(defaultTimeZone: (try? rotation.schedule)?.timeZoneIdentifier ?? "Etc/UTC")
            _ = try await req.services.rotationEditor(req.db).setSchedule(rotation, schedule, by: user)
            req.flash(.success, "Schedule saved: \(schedule.description).")
            return req.redirect(to: "/rotations/\(rotation.code)")
        } catch let error as AppError {
            return try await render(req, error: error.message, status: error.kind.httpStatus)
        }
    }
}
