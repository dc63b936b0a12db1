import Fluent
import Foundation
import PagerDutyKit
import ShiftbridgeCore

/// Provisioning runs: planned from one complete read of PagerDuty with the pure planner,
/// recorded item by item with each item's starting state, decided on by admins, and
/// reported on. Applying is `ProvisioningApplier`'s.
struct ProvisioningRuns {
    let db: any Database
    let clock: any AppClock
    let clients: PagerDutyClients
    let configuration: ProvisioningConfiguration
    let importer: EmployeeImporter

    /// Plans a run. One run is open at a time: a second plan made while the first applies
    /// (or waits for approval) would plan the same changes again.
    func start(dryRun: Bool, actor: String) async throws -> ProvisioningRun {
        guard !dryRun else { return try await plan(dryRun: true, actor: actor) }
        // Between the check and the new run's row no other start may pass: a lease per call.
        let holder = UUID().uuidString
        guard try await Leases.acquire("provisioning-start", ttl: 300, on: db, holder: holder, now: clock.now()) else {
            throw AppError(.conflict, code: "run_in_progress", "Another provisioning run is being planned; wait for it, then look at its plan")
        }
        do {
            if let open = try await openRun() {
                let what = open.status == .running ? "is still applying" : "waits for approval: approve or reject its items"
                throw AppError(.conflict, code: "run_in_progress", "Run \(open.id?.uuidString ?? "") \(what) before another run starts")
            }
            let run = try await plan(dryRun: false, actor: actor)
            try await Leases.release("provisioning-start", on: db, holder: holder)
            return run
        } catch {
            try? await Leases.release("provisioning-start", on: db, holder: holder)
            throw error
        }
    }

    /// The run still applying or waiting for a decision, if any.
    func openRun() async throws -> ProvisioningRun? {
        try await ProvisioningRun.query(on: db).filter(\.$dryRun == false).filter(\.$status ~~ [.running, .pendingApproval]).first()
    }

    /// Read everything, decide with the pure planner, then write the whole plan at once.
    private func plan(dryRun: Bool, actor: String) async throws -> ProvisioningRun {
        guard let connection = try await PagerDutyConnection.current(on: db), let client = try await clients.client(for: .provisioning) else {
            throw AppError(.conflict, code: "not_connected", "Connect PagerDuty under Settings → Integrations first")
        }
        if !dryRun && connection.readOnly {
            throw AppError(.conflict, code: "read_only",
                           "The PagerDuty connection is read-only: connect a full-access API key, or OAuth with users.write and teams.write, to provision")
        }
        let settings = try await configuration.settings()
        let rules = try await configuration.rules()
        let employees = try await importer.currentEmployees()
        let reader = PagerDutyAccountReader(client: client)
        let snapshot = try await reader.snapshot(rules: rules, employees: employees.map { .init(email: $0.employee.email, pagerDutyUserID: $0.pagerDutyUserID) })
        var links: [String: String] = [:]
        var terminated = Set<String>()
        for current in employees {
            if let id = current.pagerDutyUserID { links[current.employee.employeeID] = id }
            if current.wasTerminated { terminated.insert(current.employee.employeeID) }
        }
        let now = clock.now()
        var input = ProvisioningPlanner.Input(
            employees: employees.map(\.employee), links: links, previouslyTerminated: terminated, users: snapshot.users,
            teams: snapshot.teams, rules: rules, settings: settings, today: ISODay.today(at: now, in: TimeZone(identifier: settings.timeZone) ?? .gmt))
        input.teamNames = snapshot.teamNames
        var plan = ProvisioningPlanner.plan(input)
        for index in plan.items.indices {
            if let license = plan.items[index].license { plan.items[index].license = snapshot.licenses[license] ?? snapshot.licenses[license.lowercased()] ?? license }
        }
        let deleting = plan.items.filter { $0.action == .delete && !$0.protected }.compactMap(\.pagerDutyUserID)
        let blockers = deleting.isEmpty ? [:] : try await reader.deletionBlockers(Set(deleting))
        let run = ProvisioningRun(dryRun: dryRun, mode: settings.mode, createdBy: actor, at: now, terminationsHeld: plan.terminationsHeld,
                                  fromEmail: settings.fromEmail ?? snapshot.owner)
        try await record(run, plan, blockers: blockers)
        return run
    }

    private func record(_ run: ProvisioningRun, _ plan: ProvisioningPlanner.Plan, blockers: [String: DeletionBlockers]) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var rows: [[any Encodable & Sendable]] = []
        rows.reserveCapacity(plan.items.count)
        var states: [ProvisioningItemState] = []
        for (position, planned) in plan.items.enumerated() {
            let blocking = planned.action == .delete ? planned.pagerDutyUserID.flatMap { blockers[$0] }?.descriptions ?? [] : []
            let state = ProvisioningItemState.initial(for: planned, blockers: blocking, dryRun: run.dryRun, mode: run.mode)
            states.append(state)
            // Skipped and unchanged items need no stored plan: the item's columns say it all.
            let storedPlan = state == .skipped || state == .noChange ? "" : String(decoding: try encoder.encode(planned), as: UTF8.self)
            rows.append([UUID(), position, planned.employeeID, planned.email, planned.name, planned.action.rawValue, planned.stage?.rawValue,
                         state.rawValue, planned.reason, storedPlan, blocking.isEmpty ? nil : blocking.joined(separator: "; "),
                         planned.pagerDutyUserID, String?.none, run.createdAt])
        }
        run.status = ProvisioningRunStatus.from(states, dryRun: run.dryRun)
        if run.status == .completed { run.finishedAt = run.createdAt }
        let itemRows = rows
        let counts = Dictionary(grouping: plan.items, by: \.action).mapValues(\.count).sorted { $0.key.rawValue < $1.key.rawValue }
            .map { "\($0.value) \($0.key.rawValue)" }.joined(separator: ", ")
        try await db.transaction { db in
            try await run.create(on: db)
            let runID = try run.requireID()
            try await BulkInsert.rows(into: ProvisioningItem.schema,
                                      columns: ["id", "run_id", "position", "employee_id", "email", "name", "action", "stage", "state", "reason", "plan",
                                                "blockers", "pagerduty_user_id", "error", "updated_at"],
                                      itemRows.map { [$0[0], runID] + $0[1...] }, on: db)
            try await AuditEvent.record(on: db, at: run.createdAt, actor: run.createdBy, run.dryRun ? .provisioningDryRun : .provisioningRunPlanned,
                                        .provisioningRun(runID), after: counts + (plan.terminationsHeld ? "; terminations held by the guard" : ""))
        }
    }

    /// Approves or rejects pending items (some, or all). Approved items are applied by the
    /// provisioning job. Returns how many items were decided.
    @discardableResult
    func decide(_ run: ProvisioningRun, itemIDs: [UUID]?, approve: Bool, actor: String) async throws -> Int {
        let runID = try run.requireID()
        guard run.status == .pendingApproval || run.status == .running else {
            throw AppError(.conflict, code: "not_pending", "This run is \(run.status.rawValue); only a run pending approval takes decisions")
        }
        let now = clock.now()
        let decided = try await db.transaction { db -> Int in
            var query = ProvisioningItem.query(on: db).filter(\.$run.$id == runID).filter(\.$state == .pendingApproval)
            if let itemIDs { query = query.filter(\.$id ~~ itemIDs) }
            let items = try await query.all()
            if let itemIDs, items.count != Set(itemIDs).count {
                throw AppError.invalidField("item_ids", "\(Set(itemIDs).count - items.count) of the items are not pending approval in this run")
            }
            for item in items {
                item.state = approve ? .approved : .rejected
                item.updatedAt = now
                try await item.save(on: db)
            }
            try await AuditEvent.record(on: db, at: now, actor: actor, approve ? .provisioningApproved : .provisioningRejected,
                                        .provisioningRun(runID), after: "\(items.count) item(s)")
            return items.count
        }
        try await settle(run)
        return decided
    }

    /// Sets a run's status from its items' states.
    func settle(_ run: ProvisioningRun) async throws {
        guard !run.dryRun else { return }
        let runID = try run.requireID()
        let states = try await ProvisioningItem.query(on: db).filter(\.$run.$id == runID).unique().all(\.$state)
        let status = ProvisioningRunStatus.from(states, dryRun: false)
        guard status != run.status else { return }
        run.status = status
        if status == .completed { run.finishedAt = clock.now() }
        try await run.save(on: db)
    }

    /// The reconciliation report, and how far applying has come.
    func report(_ runID: UUID) async throws -> (ProvisioningReport, ProvisioningReport.Progress) {
        let rows = try await ProvisioningItem.query(on: db).filter(\.$run.$id == runID).field(\.$action).field(\.$state).all()
        return ProvisioningReport.tally(rows.map { (action: $0.action, state: $0.state) })
    }

    /// The run a URL names.
    func find(_ raw: String) async throws -> ProvisioningRun {
        guard let id = UUID(uuidString: raw) else { throw AppError.notFound("Provisioning run \(raw)") }
        return try await find(id)
    }

    func find(_ id: UUID) async throws -> ProvisioningRun {
        guard let run = try await ProvisioningRun.find(id, on: db) else { throw AppError.notFound("Provisioning run \(id)") }
        return run
    }

    func recent(limit: Int) async throws -> [ProvisioningRun] {
        try await ProvisioningRun.query(on: db).sort(\.$createdAt, .descending).limit(limit).all()
    }

    func items(of runID: UUID, state: ProvisioningItemState? = nil, limit: Int? = nil) async throws -> [ProvisioningItem] {
        var query = ProvisioningItem.query(on: db).filter(\.$run.$id == runID).sort(\.$position)
        if let state { query = query.filter(\.$state == state) }
        if let limit { query = query.limit(limit) }
        return try await query.all()
    }
}
