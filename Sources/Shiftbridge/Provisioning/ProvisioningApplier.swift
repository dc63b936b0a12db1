import Fluent
import Foundation
import Logging
import PagerDutyKit
import ShiftbridgeCore

/// Applies approved items, each claimed before it is worked on (so two instances never apply
/// the same change) and saved as `applying` before its request (so a restart retries it).
/// Every retry is safe: a create adopts the user its lost answer made, a delete of a user
/// already gone is done.
struct ProvisioningApplier {
    let db: any Database
    let clock: any AppClock
    let clients: PagerDutyClients
    let runs: ProvisioningRuns
    let logger: Logger

    /// How long a claim holds: longer than one item's requests with their retries.
    static let claimSeconds: TimeInterval = 120

    /// Applies what is due, up to `limit` items, in run and position order. Returns how many
    /// items this instance applied.
    @discardableResult
    func applyDue(holder: String, runID: UUID? = nil, limit: Int = 50) async throws -> Int {
        let now = clock.now()
        var running = ProvisioningRun.query(on: db).filter(\.$status == .running)
        if let runID { running = running.filter(\.$id == runID) }
        let applying = try await running.sort(\.$createdAt).all()
        guard !applying.isEmpty else { return 0 }
        guard let client = try await clients.client(for: .provisioning) else {
            for run in applying { try await fail(run, "PagerDuty is not connected: connect it under Settings → Integrations, then start a new run") }
            return 0
        }
        var applied = 0
        for run in applying {
            let runID = try run.requireID()
            let due = try await ProvisioningItem.query(on: db).filter(\.$run.$id == runID).filter(\.$state ~~ [.approved, .applying])
                .group(.or) { $0.filter(\.$claimedUntil == nil).filter(\.$claimedUntil < now) }
                .sort(\.$position).limit(limit - applied).all(\.$id)
            for id in due {
                try Task.checkCancellation()
                if try await apply(id, client: client, from: run.fromEmail, holder: holder) { applied += 1 }
            }
            try await runs.settle(run)
            if applied >= limit { break }
        }
        return applied
    }

    private func fail(_ run: ProvisioningRun, _ reason: String) async throws {
        run.status = .failed
        run.error = reason
        run.finishedAt = clock.now()
        try await run.save(on: db)
    }

    /// One item, if this instance can claim it. True when it was applied (or failed trying).
    private func apply(_ id: UUID, client: PagerDutyClient, from: String?, holder: String) async throws -> Bool {
        let now = clock.now()
        guard try await WorkClaims.claim(ProvisioningItem.schema, id: id, holder: holder, until: now.addingTimeInterval(Self.claimSeconds), now: now,
                                         condition: "state IN (\(bind: ProvisioningItemState.approved.rawValue), \(bind: ProvisioningItemState.applying.rawValue))", on: db),
              let item = try await ProvisioningItem.find(id, on: db)
        else { return false }
        try await perform(item, client: client, from: from)
        return true
    }

    private func perform(_ item: ProvisioningItem, client: PagerDutyClient, from: String?) async throws {
        let planned: ProvisioningPlanner.Item
        do {
            guard let stored = try item.planned else { throw UnreadableRecord(table: ProvisioningItem.schema, id: item.id?.uuidString ?? "", field: "plan", reason: "no plan stored") }
            planned = stored
        } catch let error as UnreadableRecord {
            // Never applied from a guess: the item fails, saying what cannot be read.
            item.state = .failed
            item.error = error.description
            item.finish(at: clock.now())
            try await item.save(on: db)
            return
        }
        if item.state != .applying {
            item.state = .applying
            item.updatedAt = clock.now()
            try await item.save(on: db)
        }
        let outcome: Result<(userID: String?, summary: String), PagerDutyError>
        do {
            outcome = .success(try await request(planned, userID: item.pagerDutyUserID, client: client, from: from))
        } catch let error as PagerDutyError {
            outcome = .failure(error)
        }
        try await record(outcome, for: item, planned: planned)
    }

    /// The requests one change needs, in order.
    private func request(_ planned: ProvisioningPlanner.Item, userID: String?, client: PagerDutyClient, from: String?) async throws -> (userID: String?, summary: String) {
        switch planned.action {
        case .create, .rehire:
            let input = PDUserInput(name: planned.value("name"), email: planned.value("email"), role: planned.value("role"),
                                    timeZone: planned.value("time_zone"), jobTitle: planned.value("job_title"),
                                    description: planned.value("description"), licenseID: planned.license)
            let (user, adopted) = try await client.createOrAdoptUser(input, from: from)
            try await applyTeams(planned.teams, userID: user.id, client: client)
            return (user.id, "PagerDuty user \(user.id)" + (adopted ? " (adopted: it already existed)" : ""))
        case .update:
            guard let id = userID else { throw PagerDutyError.notFound(message: "no PagerDuty user") }
            let fields = Dictionary(planned.changes.map { ($0.field, $0.after) }, uniquingKeysWith: { _, last in last })
            if !planned.changes.isEmpty {
                _ = try await client.updateUser(id: id, PDUserInput(name: fields["name"] ?? nil, email: fields["email"] ?? nil, role: fields["role"] ?? nil,
                                                                     timeZone: fields["time_zone"] ?? nil, jobTitle: fields["job_title"] ?? nil,
                                                                     description: fields["description"] ?? nil))
            }
            try await applyTeams(planned.teams, userID: id, client: client)
            return (id, planned.changes.map { "\($0.field): \($0.after ?? "")" }.joined(separator: ", "))
        case .delete:
            guard let id = userID else { throw PagerDutyError.notFound(message: "no PagerDuty user") }
            do {
                try await client.deleteUser(id: id)
                return (id, "deleted")
            } catch PagerDutyError.notFound {
                return (id, "deleted (it was already gone)")
            }
        case .skip, .noChange:
            return (userID, "")
        }
    }

    private func applyTeams(_ changes: [ProvisioningPlanner.TeamChange], userID: String, client: PagerDutyClient) async throws {
        for change in changes {
            if let role = change.role {
                try await client.setTeamMembership(teamID: change.teamID, userID: userID, role: role)
            } else {
                do { try await client.removeTeamMembership(teamID: change.teamID, userID: userID) } catch PagerDutyError.notFound {}
            }
        }
    }

    /// The item's outcome, the employee's link to their PagerDuty user, and the audit event,
    /// in one transaction.
    private func record(_ outcome: Result<(userID: String?, summary: String), PagerDutyError>, for item: ProvisioningItem,
                        planned: ProvisioningPlanner.Item) async throws {
        let now = clock.now()
        item.finish(at: now)
        switch outcome {
        case .failure(let error):
            // PagerDuty refuses a deletion it finds blocked with invalid input: say so as a blocker.
            let blocked: Bool = if case .invalidInput = error, planned.action == .delete { true } else { false }
            item.state = blocked ? .blocked : .failed
            if blocked { item.blockers = error.description } else { item.error = error.description }
            try await db.transaction { db in
                try await item.save(on: db)
                try await AuditEvent.record(on: db, at: now, actor: "provisioning", .failed(planned.action), .pagerDutyUser(email: planned.email),
                                            after: String(error.description.prefix(300)))
            }
        case .success(let result):
            item.state = .done
            item.pagerDutyUserID = result.userID
            item.error = nil
            try await db.transaction { db in
                try await item.save(on: db)
                if let employee = try await EmployeeRecord.query(on: db).filter(\.$employeeID == planned.employeeID).first() {
                    switch planned.action {
                    case .create, .rehire:
                        employee.pagerDutyUserID = result.userID
                        employee.wasTerminated = false
                    case .delete:
                        employee.wasTerminated = true
                    case .update, .skip, .noChange: break
                    }
                    try await employee.save(on: db)
                }
                let before = planned.changes.filter { $0.before != nil }.map { "\($0.field): \($0.before ?? "")" }.joined(separator: ", ")
                try await AuditEvent.record(on: db, at: now, actor: "provisioning", .applied(planned.action), .pagerDutyUser(email: planned.email),
                                            before: before.isEmpty ? nil : before, after: result.summary)
            }
        }
    }

    /// Applies one run here until nothing of it is left to apply, beside any other instance
    /// applying it too (items are claimed one by one). `progress` hears after each batch.
    func applyRun(_ runID: UUID, holder: String, progress: (ProvisioningReport.Progress) -> Void = { _ in }) async throws {
        while try await runs.find(runID).status == .running {
            let applied = try await applyDue(holder: holder, runID: runID, limit: 20)
            progress(try await runs.report(runID).1)
            // Another instance holds the rest: wait for it, or for its claims to lapse.
            if applied == 0 { try await Task.sleep(for: .milliseconds(500)) }
        }
    }

    /// Starts a run when one is due and none is open: `run_every_minutes` after the last, or
    /// once an identity provider's pushes have gone quiet for `pushQuietSeconds` (so a push of
    /// thousands makes one run, and one change is planned within a minute). Returns it.
    @discardableResult
    func startScheduledRun() async throws -> ProvisioningRun? {
        guard let connection = try await PagerDutyConnection.current(on: db), !connection.readOnly,
              try await runs.openRun() == nil else { return nil }
        let now = clock.now()
        let last = try await ProvisioningRun.query(on: db).filter(\.$dryRun == false).sort(\.$createdAt, .descending).first()
        if let latestPush = try await latestPush(), latestPush > (last?.createdAt ?? .distantPast),
           now.timeIntervalSince(latestPush) >= Self.pushQuietSeconds {
            return try await runs.start(dryRun: false, actor: "scim")
        }
        guard let minutes = try await runs.configuration.settings().runEveryMinutes, minutes > 0 else { return nil }
        if let last, now.timeIntervalSince(last.createdAt) < Double(minutes) * 60 { return nil }
        return try await runs.start(dryRun: false, actor: "schedule")
    }

    static let pushQuietSeconds: TimeInterval = 30

    /// When an identity provider last changed an employee (deletions included).
    private func latestPush() async throws -> Date? {
        try await EmployeeChange.query(on: db).join(ProvisioningImport.self, on: \EmployeeChange.$importRecord.$id == \ProvisioningImport.$id)
            .filter(ProvisioningImport.self, \.$origin == .scim)
            .max(\.$recordedAt)
    }
}
