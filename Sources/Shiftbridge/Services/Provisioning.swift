import Fluent
import Foundation
import PagerDutyKit
import ShiftbridgeCore
import SQLKit
import Vapor

/// HR-driven user lifecycle in PagerDuty: imports, rules and settings, runs that plan with the
/// pure planner and apply item by item, each item's state saved before its request.
struct Provisioning {
    let app: Application
    var db: any Database { app.db }

    // MARK: Settings and rules

    func settings() async throws -> ProvisioningSettings {
        try await document("settings") ?? ProvisioningSettings()
    }

    /// Applies the keys `json` names onto the current settings; refuses invalid ones whole.
    func saveSettings(_ json: Data, actor: String) async throws -> ProvisioningSettings {
        let current = try await settings()
        let updated: ProvisioningSettings
        do {
            updated = try JSONDecoder().decode(SettingsPatch.self, from: json, configuration: current).settings
        } catch let error as DecodingError {
            throw APIError.from(error)
        }
        let problems = updated.problems()
        guard problems.isEmpty else { throw Self.invalid("The settings were not saved", problems) }
        try await save("settings", updated, actor: actor)
        return updated
    }

    func rules() async throws -> RoleRules {
        try await document("rules") ?? RoleRules()
    }

    func saveRules(_ json: Data, actor: String) async throws -> RoleRules {
        let rules = try Self.decodeRules(json)
        try await save("rules", rules, actor: actor)
        return rules
    }

    static func decodeRules(_ json: Data) throws -> RoleRules {
        let rules: RoleRules
        do {
            rules = try JSONDecoder().decode(RoleRules.self, from: json)
        } catch let error as DecodingError {
            let known = Condition.Operator.allCases.map(\.rawValue).joined(separator: ", ")
            let base = APIError.from(error)
            throw APIError(status: .unprocessableEntity, code: base.code, message: base.message + " (operators: \(known))")
        }
        let problems = rules.problems()
        guard problems.isEmpty else { throw invalid("The rules were not saved", problems) }
        return rules
    }

    static func invalid(_ message: String, _ problems: [String]) -> APIError {
        APIError(status: .unprocessableEntity, code: "invalid", message: "\(message): \(problems.joined(separator: "; "))",
                 problems: problems.map { .init(line: nil, message: $0) })
    }

    private func document<T: Decodable>(_ key: String) async throws -> T? {
        guard let stored = try await ProvisioningDocument.find(key, on: db) else { return nil }
        return try JSONDecoder().decode(T.self, from: Data(stored.json.utf8))
    }

    private func save<T: Encodable>(_ key: String, _ value: T, actor: String) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(value), as: UTF8.self)
        try await db.transaction { db in
            let stored = try await ProvisioningDocument.find(key, on: db) ?? {
                let document = ProvisioningDocument()
                document.id = key
                return document
            }()
            let before = stored.id == nil || stored.$json.value == nil ? "" : stored.json
            stored.json = json
            stored.updatedBy = actor
            stored.updatedAt = Date()
            try await stored.save(on: db)
            try await AuditEvent.record(on: db, actor: actor, action: "provisioning.\(key)_saved", target: "provisioning:\(key)",
                                        before: before.isEmpty ? nil : String(before.prefix(500)), after: String(json.prefix(500)))
        }
    }

    // MARK: Import

    struct ImportSummary: Content {
        let id: UUID
        let rows: Int
        let added: Int
        let changed: Int
        let unchanged: Int
        let absent: Int
    }

    /// Imports a whole HR export, or nothing: every problem is reported by line.
    func importCSV(_ data: Data, actor: String) async throws -> ImportSummary {
        let settings = try await settings()
        let parsed = EmployeeImport.decode(data, encoding: settings.encoding).flatMap {
            EmployeeImport.parse($0, columns: settings.columns, delimiter: settings.delimiter.first ?? ",", statuses: settings.statusValues)
        }
        let employees: [Employee]
        switch parsed {
        case .success(let parsed): employees = parsed
        case .failure(let rejection):
            let problems = rejection.problems
            throw AppError(.invalid, code: "invalid_csv",
                           "The file was not imported: \(problems.count) problem(s), first on line \(problems[0].line): \(problems[0].message)",
                           problems: problems.map { .init(line: $0.line, message: $0.message) })
        }
        let now = Date()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try await db.transaction { db in
            let record = ProvisioningImport()
            record.actor = actor
            record.rows = employees.count
            record.createdAt = now
            record.added = 0
            record.changed = 0
            record.unchanged = 0
            record.absent = 0
            try await record.create(on: db)
            let importID = try record.requireID()
            var existing = Dictionary(try await EmployeeRecord.query(on: db).all().map { ($0.employeeID, $0) }, uniquingKeysWith: { first, _ in first })
            var changes: [[any Encodable & Sendable]] = []
            var fresh: [[any Encodable & Sendable]] = []
            for employee in employees {
                let data = String(decoding: try encoder.encode(employee), as: UTF8.self)
                if let stored = existing.removeValue(forKey: employee.employeeID) {
                    guard stored.data != data || !stored.inSource else { record.unchanged += 1; continue }
                    if stored.status == EmploymentStatus.terminated.rawValue && employee.status != .terminated { stored.wasTerminated = true }
                    stored.email = employee.email
                    stored.name = employee.name
                    stored.status = employee.status.rawValue
                    stored.data = data
                    stored.inSource = true
                    stored.updatedAt = now
                    try await stored.save(on: db)
                    record.changed += 1
                } else {
                    fresh.append([UUID(), employee.employeeID, employee.email, employee.name, employee.status.rawValue, data, String?.none, false, true, now])
                    record.added += 1
                }
                changes.append([UUID(), employee.employeeID, importID, employee.status.rawValue, data, now])
            }
            // Employees missing from this file are left alone, never deprovisioned for it.
            for stored in existing.values where stored.inSource {
                stored.inSource = false
                try await stored.save(on: db)
                record.absent += 1
            }
            try await BulkInsert.rows(into: EmployeeRecord.schema, columns: ["id", "employee_id", "email", "name", "status", "data", "pagerduty_user_id",
                                                                              "was_terminated", "in_source", "updated_at"], fresh, on: db)
            try await BulkInsert.rows(into: EmployeeChange.schema, columns: ["id", "employee_id", "import_id", "status", "data", "recorded_at"], changes, on: db)
            try await record.save(on: db)
            try await PeopleDirectory(db: db).syncFromHR(employees.filter { $0.status != .terminated })
            app.dutyCache.removeAll()  // new people may link names on duty
            try await AuditEvent.record(on: db, actor: actor, action: "provisioning.imported", target: "provisioning:import",
                                        after: "\(employees.count) rows: \(record.added) added, \(record.changed) changed, \(record.unchanged) unchanged, \(record.absent) absent")
            return ImportSummary(id: importID, rows: employees.count, added: record.added, changed: record.changed, unchanged: record.unchanged, absent: record.absent)
        }
    }

    /// An employee the latest imports name, with what earlier runs remembered.
    struct CurrentEmployee {
        let employee: Employee
        let pagerDutyUserID: String?
        let wasTerminated: Bool
    }

    /// The employees the latest imports name (read as plain rows: there can be many).
    func currentEmployees() async throws -> [CurrentEmployee] {
        guard let sql = db as? any SQLDatabase else { return [] }
        let decoder = JSONDecoder()
        return try await sql.select().columns("data", "pagerduty_user_id", "was_terminated").from(EmployeeRecord.schema)
            .where("in_source", .equal, true).orderBy("employee_id").all().map { row in
                CurrentEmployee(employee: try decoder.decode(Employee.self, from: Data(try row.decode(column: "data", as: String.self).utf8)),
                                pagerDutyUserID: try row.decode(column: "pagerduty_user_id", as: String?.self),
                                wasTerminated: try row.decode(column: "was_terminated", as: Bool.self))
            }
    }

    // MARK: Runs

    /// PagerDuty as one complete read found it: every user, the teams, and the members of
    /// the teams the rules manage.
    struct AccountSnapshot {
        var users: [ProvisioningPlanner.AccountUser]
        var teams: [String: String]
        var teamNames: [String: String]
        var licenses: [String: String]
        var owner: String?
    }

    func readAccount(_ client: PagerDutyClient, rules: RoleRules) async throws -> AccountSnapshot {
        let users = try await client.users().collect()
        let teams = try await client.teams().collect()
        var teamIndex: [String: String] = [:]
        var teamNames: [String: String] = [:]
        for team in teams {
            teamIndex[team.id] = team.id
            if let name = team.name { teamIndex[name.lowercased()] = team.id }
            teamNames[team.id] = team.name ?? team.id
        }
        let managed = Set(rules.rules.flatMap(\.teams).compactMap { teamIndex[$0.team] ?? teamIndex[$0.team.lowercased()] })
        var memberships: [String: [String: String]] = [:]
        for teamID in managed.sorted() {
            for try await member in client.teamMembers(teamID: teamID) {
                memberships[member.user.id, default: [:]][teamID] = member.role ?? "responder"
            }
        }
        var licenses: [String: String] = [:]
        if rules.rules.contains(where: { $0.license != nil }) {
            for license in try await client.licenses() {
                licenses[license.id] = license.id
                if let name = license.name { licenses[name.lowercased()] = license.id }
            }
        }
        return AccountSnapshot(
            users: users.filter { !$0.isDeleted }.map {
                .init(id: $0.id, name: $0.name ?? "", email: ($0.email ?? "").lowercased(), role: $0.role ?? "user", jobTitle: $0.jobTitle,
                      timeZone: $0.timeZone, description: $0.description, teams: memberships[$0.id] ?? [:])
            },
            teams: teamIndex, teamNames: teamNames, licenses: licenses, owner: users.first { $0.role == "owner" }?.email)
    }

    /// Plans a run and, unless it is a dry run, starts applying what needs no approval. One
    /// run is open at a time: a second plan made while the first applies (or waits for
    /// approval) would plan the same changes again.
    func startRun(dryRun: Bool, actor: String) async throws -> ProvisioningRun {
        guard !dryRun else { return try await planRun(dryRun: true, actor: actor) }
        // Between the check and the new run's row, no other start may pass (a lease per call).
        let holder = UUID().uuidString
        guard try await Leases.acquire("provisioning-start", ttl: 300, on: db, holder: holder, now: app.now()) else {
            throw AppError(.conflict, code: "run_in_progress", "Another provisioning run is being planned; wait for it, then look at its plan")
        }
        do {
            if let open = try await ProvisioningRun.query(on: db).filter(\.$dryRun == false)
                .filter(\.$status ~~ [ProvisioningRun.Status.running.rawValue, ProvisioningRun.Status.pendingApproval.rawValue]).first() {
                let what = open.status == ProvisioningRun.Status.running.rawValue ? "is still applying" : "waits for approval: approve or reject its items"
                throw AppError(.conflict, code: "run_in_progress", "Run \(open.id?.uuidString ?? "") \(what) before another run starts")
            }
            let run = try await planRun(dryRun: false, actor: actor)
            try await Leases.release("provisioning-start", on: db, holder: holder)
            return run
        } catch {
            try? await Leases.release("provisioning-start", on: db, holder: holder)
            throw error
        }
    }

    private func planRun(dryRun: Bool, actor: String) async throws -> ProvisioningRun {
        guard let connection = try await PagerDutyConnection.current(on: db), let client = try await app.pagerDuty.client() else {
            throw APIError(status: .conflict, code: "not_connected", message: "Connect PagerDuty under Settings → Integrations first")
        }
        if !dryRun && connection.readOnly {
            throw APIError(status: .conflict, code: "read_only",
                           message: "The PagerDuty connection is read-only: connect a full-access API key, or OAuth with users.write and teams.write, to provision")
        }
        let settings = try await settings()
        let rules = try await rules()
        let employees = try await currentEmployees()
        let snapshot: AccountSnapshot
        do {
            snapshot = try await readAccount(client, rules: rules)
        } catch let error as PagerDutyError {
            // Never plan from a partial read: nothing is recorded.
            throw APIError(status: .badGateway, code: "pagerduty_read_failed",
                           message: "Could not read PagerDuty completely, so nothing was planned: \(error.description)")
        }
        var links: [String: String] = [:]
        var terminated = Set<String>()
        for current in employees {
            if let id = current.pagerDutyUserID { links[current.employee.employeeID] = id }
            if current.wasTerminated { terminated.insert(current.employee.employeeID) }
        }
        var input = ProvisioningPlanner.Input(
            employees: employees.map(\.employee), links: links, previouslyTerminated: terminated, users: snapshot.users,
            teams: snapshot.teams, rules: rules, settings: settings, today: ISODay.today(at: app.now(), in: TimeZone(identifier: settings.timeZone) ?? .gmt))
        input.teamNames = snapshot.teamNames
        var plan = ProvisioningPlanner.plan(input)
        for index in plan.items.indices {
            if let license = plan.items[index].license { plan.items[index].license = snapshot.licenses[license] ?? snapshot.licenses[license.lowercased()] ?? license }
        }
        let deleting = plan.items.filter { $0.action == .delete && !$0.protected }.compactMap(\.pagerDutyUserID)
        let blockers = deleting.isEmpty ? [:] : try await findBlockers(Set(deleting), client: client)
        return try await record(plan, blockers: blockers, dryRun: dryRun, mode: settings.mode, from: settings.fromEmail ?? snapshot.owner, actor: actor)
    }

    /// What stops each user's deletion in PagerDuty, with what to do about it.
    func findBlockers(_ userIDs: Set<String>, client: PagerDutyClient) async throws -> [String: [String]] {
        var blockers: [String: [String]] = [:]
        let ids = Array(userIDs).sorted()
        do {
            for start in stride(from: 0, to: ids.count, by: 50) {
                let batch = Array(ids[start..<min(start + 50, ids.count)])
                var incidents: [String: [String]] = [:]
                for try await incident in client.openIncidents(userIDs: batch) {
                    for assignee in incident.assignees where userIDs.contains(assignee.id) {
                        incidents[assignee.id, default: []].append("#\(incident.number.map(String.init) ?? incident.id)")
                    }
                }
                for (user, list) in incidents {
                    blockers[user, default: []].append("open incident(s) \(list.joined(separator: ", ")) assigned: resolve or reassign them")
                }
                var policies: [String: [String]] = [:]
                for try await policy in client.escalationPolicies(userIDs: batch) {
                    for target in policy.levels.joined() where userIDs.contains(target.id) {
                        policies[target.id, default: []].append(policy.name ?? policy.id)
                    }
                }
                for (user, list) in policies {
                    blockers[user, default: []].append("a direct target of escalation policy \(Set(list).sorted().joined(separator: ", ")): replace them on the policy")
                }
            }
            var schedules: [String: [String]] = [:]
            for try await schedule in client.schedules() {
                for user in schedule.layerUserIDs where userIDs.contains(user) { schedules[user, default: []].append(schedule.name ?? schedule.id) }
            }
            for (user, list) in schedules {
                blockers[user, default: []].append("on schedule \(list.sorted().joined(separator: ", ")): take them off its layers")
            }
        } catch let error as PagerDutyError {
            throw APIError(status: .badGateway, code: "pagerduty_read_failed",
                           message: "Could not check what blocks the deletions, so nothing was planned: \(error.description)")
        }
        return blockers
    }

    private func record(_ plan: ProvisioningPlanner.Plan, blockers: [String: [String]], dryRun: Bool, mode: ProvisioningSettings.Mode,
                        from: String?, actor: String) async throws -> ProvisioningRun {
        let now = app.now()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let run = ProvisioningRun()
        run.dryRun = dryRun
        run.mode = mode.rawValue
        run.createdBy = actor
        run.createdAt = now
        run.terminationsHeld = plan.terminationsHeld
        run.fromEmail = from
        var rows: [[any Encodable & Sendable]] = []
        rows.reserveCapacity(plan.items.count)
        var states = Set<String>()
        for (position, planned) in plan.items.enumerated() {
            let blocked = planned.pagerDutyUserID.flatMap { blockers[$0] }
            var blockerText: String?
            let state: ProvisioningItem.State
            switch planned.action {
            case .skip: state = .skipped
            case .noChange: state = .noChange
            case .create, .rehire, .update, .delete:
                if planned.protected {
                    state = .blocked
                } else if planned.action == .delete, let blocked, !blocked.isEmpty {
                    state = .blocked
                    blockerText = blocked.joined(separator: "; ")
                } else if dryRun {
                    state = .planned
                } else if planned.held || mode == .supervised {
                    state = .pendingApproval
                } else {
                    state = .approved
                }
            }
            states.insert(state.rawValue)
            rows.append([UUID(), position, planned.employeeID, planned.email, planned.name, planned.action.rawValue, planned.stage?.rawValue,
                         // Skipped and unchanged items need no stored plan: the item's columns say it all.
                         state.rawValue, planned.reason, state == .skipped || state == .noChange ? "" : String(decoding: try encoder.encode(planned), as: UTF8.self), blockerText,
                         planned.pagerDutyUserID, String?.none, now])
        }
        run.status = dryRun ? ProvisioningRun.Status.planned.rawValue
            : states.contains(ProvisioningItem.State.approved.rawValue) ? ProvisioningRun.Status.running.rawValue
            : states.contains(ProvisioningItem.State.pendingApproval.rawValue) ? ProvisioningRun.Status.pendingApproval.rawValue
            : ProvisioningRun.Status.completed.rawValue
        if run.status == ProvisioningRun.Status.completed.rawValue { run.finishedAt = now }
        let itemRows = rows
        try await db.transaction { db in
            try await run.create(on: db)
            let runID = try run.requireID()
            try await BulkInsert.rows(into: ProvisioningItem.schema,
                                      columns: ["id", "run_id", "position", "employee_id", "email", "name", "action", "stage", "state", "reason", "plan",
                                                "blockers", "pagerduty_user_id", "error", "updated_at"],
                                      itemRows.map { [$0[0], runID] + $0[1...] }, on: db)
            let counts = Dictionary(grouping: plan.items, by: \.action).mapValues(\.count).sorted { $0.key.rawValue < $1.key.rawValue }
                .map { "\($0.value) \($0.key.rawValue)" }.joined(separator: ", ")
            try await AuditEvent.record(on: db, actor: actor, action: dryRun ? "provisioning.dry_run" : "provisioning.run_planned",
                                        target: "provisioning-run:\(runID)", after: counts + (plan.terminationsHeld ? "; terminations held by the guard" : ""))
        }
        if run.status == ProvisioningRun.Status.running.rawValue { app.provisioningWorker.start(try run.requireID(), app: app) }
        return run
    }

    /// Approves or rejects pending items (some, or all), then applies the approved ones.
    func decide(_ run: ProvisioningRun, itemIDs: [UUID]?, approve: Bool, actor: String) async throws -> Int {
        let runID = try run.requireID()
        guard run.status == ProvisioningRun.Status.pendingApproval.rawValue || run.status == ProvisioningRun.Status.running.rawValue else {
            throw APIError(status: .conflict, code: "not_pending", message: "This run is \(run.status); only a run pending approval takes decisions")
        }
        let decided = try await db.transaction { db -> Int in
            var query = ProvisioningItem.query(on: db).filter(\.$run.$id == runID).filter(\.$state == ProvisioningItem.State.pendingApproval.rawValue)
            if let itemIDs { query = query.filter(\.$id ~~ itemIDs) }
            let items = try await query.all()
            if let itemIDs, items.count != Set(itemIDs).count {
                throw APIError.invalidField("item_ids", "\(Set(itemIDs).count - items.count) of the items are not pending approval in this run")
            }
            let state = approve ? ProvisioningItem.State.approved : .rejected
            for item in items {
                item.state = state.rawValue
                item.updatedAt = Date()
                try await item.save(on: db)
            }
            try await AuditEvent.record(on: db, actor: actor, action: approve ? "provisioning.approved" : "provisioning.rejected",
                                        target: "provisioning-run:\(runID)", after: "\(items.count) item(s)")
            return items.count
        }
        if approve && decided > 0 {
            run.status = ProvisioningRun.Status.running.rawValue
            try await run.save(on: db)
            app.provisioningWorker.start(runID, app: app)
        } else {
            try await settle(run)
        }
        return decided
    }

    /// Applies a run's approved items in order, resuming any interrupted one. One instance at
    /// a time (a lease); stops between items when cancelled, leaving the rest to resume.
    func apply(_ runID: UUID) async {
        // One run applies at a time, across runs and instances.
        let lease = "provisioning-apply"
        let holder = "\(Leases.holder)-\(runID)"
        do {
            guard try await Leases.acquire(lease, ttl: 60, on: db, holder: holder) else { return }
            guard let run = try await ProvisioningRun.find(runID, on: db) else { return }
            guard let client = try await app.pagerDuty.client() else {
                run.status = ProvisioningRun.Status.failed.rawValue
                run.error = "PagerDuty is not connected"
                try await run.save(on: db)
                return
            }
            let from = run.fromEmail
            var renewed = Date()
            while !Task.isCancelled {
                let batch = try await ProvisioningItem.query(on: db).filter(\.$run.$id == runID)
                    .filter(\.$state ~~ [ProvisioningItem.State.approved.rawValue, ProvisioningItem.State.applying.rawValue])
                    .sort(\.$position).limit(20).all()
                if batch.isEmpty { break }
                for item in batch {
                    if Task.isCancelled { break }
                    if Date().timeIntervalSince(renewed) > 20 {
                        guard try await Leases.acquire(lease, ttl: 60, on: db, holder: holder) else { return }
                        renewed = Date()
                    }
                    try await perform(item, client: client, from: from)
                }
            }
            try await settle(run)
            try await Leases.release(lease, on: db, holder: holder)
        } catch {
            app.logger.error("provisioning run stopped", metadata: ["run": "\(runID)", "error": "\(String(describing: error).prefix(300))"])
        }
    }

    /// Sets a run's status from its items.
    func settle(_ run: ProvisioningRun) async throws {
        let runID = try run.requireID()
        let open = try await ProvisioningItem.query(on: db).filter(\.$run.$id == runID)
            .filter(\.$state ~~ [ProvisioningItem.State.approved.rawValue, ProvisioningItem.State.applying.rawValue]).count()
        guard open == 0 else { return }
        let pending = try await ProvisioningItem.query(on: db).filter(\.$run.$id == runID).filter(\.$state == ProvisioningItem.State.pendingApproval.rawValue).count()
        guard run.status != ProvisioningRun.Status.planned.rawValue else { return }
        run.status = pending > 0 ? ProvisioningRun.Status.pendingApproval.rawValue : ProvisioningRun.Status.completed.rawValue
        if pending == 0 { run.finishedAt = Date() }
        try await run.save(on: db)
    }

    /// One item: its state is saved as `applying` before the request, so a restart retries
    /// it; every retry is safe (a create adopts the user its lost answer made, a delete of a
    /// user already gone is done).
    private func perform(_ item: ProvisioningItem, client: PagerDutyClient, from: String?) async throws {
        guard let planned = item.planned else {
            item.state = ProvisioningItem.State.failed.rawValue
            item.error = "the stored plan could not be read"
            try await item.save(on: db)
            return
        }
        if item.state != ProvisioningItem.State.applying.rawValue {
            item.state = ProvisioningItem.State.applying.rawValue
            item.updatedAt = Date()
            try await item.save(on: db)
        }
        var userID = item.pagerDutyUserID
        var after = ""
        do {
            switch planned.action {
            case .create, .rehire:
                let input = PDUserInput(name: planned.value("name"), email: planned.value("email"), role: planned.value("role"),
                                        timeZone: planned.value("time_zone"), jobTitle: planned.value("job_title"),
                                        description: planned.value("description"), licenseID: planned.license)
                let (user, adopted) = try await client.createOrAdoptUser(input, from: from)
                userID = user.id
                try await applyTeams(planned.teams, userID: user.id, client: client)
                after = "PagerDuty user \(user.id)" + (adopted ? " (adopted: it already existed)" : "")
            case .update:
                guard let id = userID else { throw PagerDutyError.notFound(message: "no PagerDuty user") }
                let fields = Dictionary(planned.changes.map { ($0.field, $0.after) }, uniquingKeysWith: { _, last in last })
                if !planned.changes.isEmpty {
                    _ = try await client.updateUser(id: id, PDUserInput(name: fields["name"] ?? nil, email: fields["email"] ?? nil, role: fields["role"] ?? nil,
                                                                         timeZone: fields["time_zone"] ?? nil, jobTitle: fields["job_title"] ?? nil,
                                                                         description: fields["description"] ?? nil))
                }
                try await applyTeams(planned.teams, userID: id, client: client)
                after = planned.changes.map { "\($0.field): \($0.after ?? "")" }.joined(separator: ", ")
            case .delete:
                guard let id = userID else { throw PagerDutyError.notFound(message: "no PagerDuty user") }
                do {
                    try await client.deleteUser(id: id)
                    after = "deleted"
                } catch PagerDutyError.notFound {
                    after = "deleted (it was already gone)"
                }
            case .skip, .noChange:
                return
            }
        } catch let error as PagerDutyError {
            let blocked: Bool = if case .invalidInput = error, planned.action == .delete { true } else { false }
            item.state = (blocked ? ProvisioningItem.State.blocked : .failed).rawValue
            if blocked { item.blockers = error.description } else { item.error = error.description }
            item.updatedAt = Date()
            try await db.transaction { db in
                try await item.save(on: db)
                try await AuditEvent.record(on: db, actor: "provisioning", action: "provisioning.\(planned.action.rawValue)_failed",
                                            target: "pagerduty-user:\(planned.email)", after: String(error.description.prefix(300)))
            }
            return
        }
        item.state = ProvisioningItem.State.done.rawValue
        item.pagerDutyUserID = userID
        item.error = nil
        item.updatedAt = Date()
        let createdID = userID
        let outcome = after
        try await db.transaction { db in
            try await item.save(on: db)
            if let employee = try await EmployeeRecord.query(on: db).filter(\.$employeeID == planned.employeeID).first() {
                switch planned.action {
                case .create, .rehire:
                    employee.pagerDutyUserID = createdID
                    employee.wasTerminated = false
                case .delete:
                    employee.wasTerminated = true
                default: break
                }
                try await employee.save(on: db)
            }
            let before = planned.changes.filter { $0.before != nil }.map { "\($0.field): \($0.before ?? "")" }.joined(separator: ", ")
            try await AuditEvent.record(on: db, actor: "provisioning", action: "provisioning.\(planned.action.rawValue)",
                                        target: "pagerduty-user:\(planned.email)", before: before.isEmpty ? nil : before, after: outcome)
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

    // MARK: Reports

    struct Report: Content {
        let total: Int
        let skipped: Int
        let no_change: Int
        let processed: Int
        let created: Int
        let updated: Int
        let deleted: Int
        let failed: Int
        let blocked: Int
        let pending_approval: Int
        let rejected: Int
        let planned: Int
    }

    struct Progress: Content {
        let completed: Int
        let total: Int
        let percent: Int
    }

    func report(_ runID: UUID) async throws -> (Report, Progress) {
        let rows = try await ProvisioningItem.query(on: db).filter(\.$run.$id == runID).field(\.$action).field(\.$state).all()
        var states: [String: Int] = [:]
        var done: [String: Int] = [:]
        for row in rows {
            states[row.state, default: 0] += 1
            if row.state == ProvisioningItem.State.done.rawValue { done[row.action, default: 0] += 1 }
        }
        func count(_ state: ProvisioningItem.State) -> Int { states[state.rawValue] ?? 0 }
        let processed = count(.done)
        let report = Report(total: rows.count, skipped: count(.skipped), no_change: count(.noChange), processed: processed,
                            created: (done["create"] ?? 0) + (done["rehire"] ?? 0), updated: done["update"] ?? 0, deleted: done["delete"] ?? 0,
                            failed: count(.failed), blocked: count(.blocked), pending_approval: count(.pendingApproval), rejected: count(.rejected),
                            planned: count(.planned))
        let actionable = rows.count - count(.skipped) - count(.noChange)
        let finished = processed + count(.failed) + count(.blocked) + count(.rejected)
        return (report, Progress(completed: finished, total: actionable, percent: actionable == 0 ? 100 : finished * 100 / actionable))
    }
}

/// Settings decoded onto the current ones, so a document updates only the keys it names.
private struct SettingsPatch: DecodableWithConfiguration {
    let settings: ProvisioningSettings
    init(from decoder: any Decoder, configuration: ProvisioningSettings) throws {
        settings = try ProvisioningSettings(from: decoder, base: configuration)
    }
}

/// Runs applying in this process; awaited at shutdown so no write is cut off mid-way.
final class ProvisioningWorker: @unchecked Sendable {
    private let lock = NSLock()
    private var tasks: [UUID: Task<Void, Never>] = [:]

    func start(_ runID: UUID, app: Application) {
        lock.withLock {
            guard tasks[runID] == nil else { return }
            tasks[runID] = Task { [weak self] in
                await Provisioning(app: app).apply(runID)
                self?.finished(runID)
            }
        }
    }

    private func finished(_ runID: UUID) {
        _ = lock.withLock { tasks.removeValue(forKey: runID) }
    }

    /// Waits for `runID` to stop applying here (tests and the CLI).
    func wait(_ runID: UUID) async {
        let task = lock.withLock { tasks[runID] }
        await task?.value
    }

    func stopAll() async {
        let running = lock.withLock { Array(tasks.values) }
        for task in running { task.cancel() }
        for task in running { await task.value }
    }
}

/// Stops applying runs at shutdown; the next start resumes them.
struct ProvisioningLifecycle: LifecycleHandler {
    func shutdownAsync(_ application: Application) async {
        await application.provisioningWorker.stopAll()
    }
}

/// Provisioning's background work: resumes runs left `running` by a stopped instance (once
/// their lease lapses), and starts scheduled runs (`run_every_minutes`), one instance at a time.
enum ProvisioningJobs {
    static func runOnce(_ app: Application) async {
        do {
            for run in try await ProvisioningRun.query(on: app.db).filter(\.$status == ProvisioningRun.Status.running.rawValue).all() {
                app.provisioningWorker.start(try run.requireID(), app: app)
            }
            try await startScheduledRun(app)
        } catch {
            app.logger.warning("provisioning background pass failed", metadata: ["error": "\(String(describing: error).prefix(200))"])
        }
    }

    /// Returns the run it started, if one was due.
    @discardableResult
    static func startScheduledRun(_ app: Application) async throws -> ProvisioningRun? {
        let service = app.provisioning
        guard let minutes = try await service.settings().runEveryMinutes, minutes > 0,
              let connection = try await PagerDutyConnection.current(on: app.db), !connection.readOnly else { return nil }
        // One at a time: a run still applying or waiting for approval comes first.
        let open = try await ProvisioningRun.query(on: app.db)
            .filter(\.$status ~~ [ProvisioningRun.Status.running.rawValue, ProvisioningRun.Status.pendingApproval.rawValue]).count()
        guard open == 0 else { return nil }
        let now = app.now()
        if let last = try await ProvisioningRun.query(on: app.db).filter(\.$dryRun == false).sort(\.$createdAt, .descending).first(),
           now.timeIntervalSince(last.createdAt) < Double(minutes) * 60 { return nil }
        guard try await Leases.acquire("provisioning-schedule", ttl: 300, on: app.db, now: now) else { return nil }
        return try await service.startRun(dryRun: false, actor: "schedule")
    }
}

extension Application {
    private struct ProvisioningWorkerKey: StorageKey { typealias Value = ProvisioningWorker }

    var provisioningWorker: ProvisioningWorker {
        get { storage[ProvisioningWorkerKey.self]! }
        set { storage[ProvisioningWorkerKey.self] = newValue }
    }

    var provisioning: Provisioning { Provisioning(app: self) }
}
