import Fluent
import ShiftbridgeCore
import Vapor

/// `/api/v1/provisioning` (contract): imports, rules, settings, runs and their decisions.
struct ProvisioningAPIController {
    func boot(api: any RoutesBuilder) {
        let provisioning = api.grouped("provisioning")
        provisioning.on(.POST, "imports", body: .collect(maxSize: "64mb"), use: importCSV)
        provisioning.get("imports", use: imports)
        provisioning.get("employees", use: employees)
        provisioning.get("employees", ":employee_id", "history", use: history)
        provisioning.get("rules", use: rules)
        provisioning.put("rules", use: saveRules)
        provisioning.post("rules", "preview", use: preview)
        provisioning.get("settings", use: settings)
        provisioning.put("settings", use: saveSettings)
        provisioning.post("runs", use: startRun)
        provisioning.get("runs", use: runs)
        provisioning.get("runs", ":id", use: run)
        provisioning.post("runs", ":id", "approve", use: approve)
        provisioning.post("runs", ":id", "reject", use: reject)
    }

    // MARK: Imports and employees

    struct ImportDTO: Content {
        let id: UUID?
        let actor: String
        let rows: Int
        let added: Int
        let changed: Int
        let unchanged: Int
        let absent: Int
        let created_at: Date

        init(_ record: ProvisioningImport) {
            id = record.id
            actor = record.actor
            rows = record.rows
            added = record.added
            changed = record.changed
            unchanged = record.unchanged
            absent = record.absent
            created_at = record.createdAt
        }
    }

    func importCSV(req: Request) async throws -> Response {
        let user = try req.requireAdmin()
        if req.headers.contentType == .json || req.headers.contentType == .formData {
            throw AppError(.unsupportedMediaType, code: "unsupported_media_type", "Send the HR export itself as the body, with Content-Type: text/csv")
        }
        guard let body = req.body.data, body.readableBytes > 0 else { throw AppError.invalidField("body", "send the CSV file as the request body (text/csv)") }
        let record = try await req.services.employeeImporter(req.db).importCSV(Data(buffer: body), actor: user.email)
        return try await ImportDTO(record).encodeResponse(status: .created, for: req)
    }

    func imports(req: Request) async throws -> [String: [ImportDTO]] {
        _ = try req.requireAdmin()
        return ["imports": try await req.services.employeeImporter(req.db).recentImports(limit: 50).map(ImportDTO.init)]
    }

    struct EmployeeDTO: Content {
        let employee_id: String
        let email: String
        let name: String
        let status: EmploymentStatus
        let in_source: Bool
        let pagerduty_user_id: String?
        let attributes: [String: String]

        init(_ record: EmployeeRecord) {
            let employee = record.employee
            var attributes: [String: String] = [:]
            for key in Employee.canonicalAttributes { if let value = employee?.attribute(key) { attributes[key] = value } }
            for (key, value) in employee?.attributes ?? [:] { attributes[key] = value }
            employee_id = record.employeeID
            email = record.email
            name = record.name
            status = record.status
            in_source = record.inSource
            pagerduty_user_id = record.pagerDutyUserID
            self.attributes = attributes
        }
    }

    func employees(req: Request) async throws -> [String: [EmployeeDTO]] {
        _ = try req.requireAdmin()
        return ["employees": try await req.services.employeeImporter(req.db).records().map(EmployeeDTO.init)]
    }

    struct HistoryDTO: Content {
        let import_id: UUID
        let status: EmploymentStatus
        let recorded_at: Date
        let data: Employee?
    }

    func history(req: Request) async throws -> [String: [HistoryDTO]] {
        _ = try req.requireAdmin()
        let changes = try await req.services.employeeImporter(req.db).history(of: req.parameters.get("employee_id") ?? "")
        return ["history": changes.map { HistoryDTO(import_id: $0.$importRecord.id, status: $0.status, recorded_at: $0.recordedAt, data: $0.employee) }]
    }

    // MARK: Rules and settings

    func rules(req: Request) async throws -> Response {
        _ = try req.requireAdmin()
        return try Self.json(try await req.services.provisioningConfiguration(req.db).rules())
    }

    func saveRules(req: Request) async throws -> Response {
        let user = try req.requireAdmin()
        return try Self.json(try await req.services.provisioningConfiguration(req.db).saveRules(Data(buffer: req.body.data ?? ByteBuffer()), actor: user.email))
    }

    struct PreviewDTO: Content {
        struct RuleCount: Content {
            let name: String
            let matches: Int
        }
        let employees: Int
        let rules: [RuleCount]
        let unmatched: Int
        let roles: [String: Int]
        let process_all: Bool
    }

    /// How many employees each rule (posted, or saved) would take, and the resulting roles.
    func preview(req: Request) async throws -> PreviewDTO {
        _ = try req.requireAdmin()
        let configuration = req.services.provisioningConfiguration(req.db)
        let body = req.body.data.map { Data(buffer: $0) } ?? Data()
        let rules = body.isEmpty ? try await configuration.rules() : try ProvisioningConfiguration.decodeRules(body)
        let settings = try await configuration.settings()
        let employees = try await req.services.employeeImporter(req.db).currentEmployees().map(\.employee)
        let counts = rules.preview(employees, processAll: settings.processAll)
        return PreviewDTO(employees: employees.filter { $0.status != .terminated }.count,
                          rules: zip(rules.rules, counts.perRule).map { .init(name: $0.0.name, matches: $0.1) },
                          unmatched: counts.unmatched, roles: counts.roles, process_all: settings.processAll)
    }

    func settings(req: Request) async throws -> Response {
        _ = try req.requireAdmin()
        return try Self.json(try await req.services.provisioningConfiguration(req.db).settings())
    }

    func saveSettings(req: Request) async throws -> Response {
        let user = try req.requireAdmin()
        return try Self.json(try await req.services.provisioningConfiguration(req.db).saveSettings(Data(buffer: req.body.data ?? ByteBuffer()), actor: user.email))
    }

    // MARK: Runs

    struct StartBody: Content { var dry_run: Bool? }

    func startRun(req: Request) async throws -> Response {
        let user = try req.requireAdmin()
        let body = (req.body.data?.readableBytes ?? 0) > 0 ? try req.content.decode(StartBody.self) : StartBody()
        let runs = req.services.provisioningRuns(req.db)
        let run = try await runs.start(dryRun: body.dry_run ?? false, actor: user.email)
        return try await RunDTO.make(run, runs: runs, items: try await runs.items(of: run.requireID())).encodeResponse(status: .created, for: req)
    }

    func runs(req: Request) async throws -> [String: [RunDTO]] {
        _ = try req.requireAdmin()
        let runs = req.services.provisioningRuns(req.db)
        var result: [RunDTO] = []
        for run in try await runs.recent(limit: 50) { result.append(try await RunDTO.make(run, runs: runs, items: nil)) }
        return ["runs": result]
    }

    /// `?items=false` leaves the items out (live progress); `?state=` filters them.
    func run(req: Request) async throws -> RunDTO {
        _ = try req.requireAdmin()
        let runs = req.services.provisioningRuns(req.db)
        let run = try await runs.find(req.parameters.get("id") ?? "")
        let state = try req.queryChoice("state", as: ProvisioningItemState.self)
        let items = try req.queryBool("items") ?? true ? try await runs.items(of: run.requireID(), state: state) : nil
        return try await RunDTO.make(run, runs: runs, items: items)
    }

    struct DecisionBody: Content {
        var item_ids: [UUID]?
        var all: Bool?
    }

    func approve(req: Request) async throws -> RunDTO { try await decide(req, approve: true) }
    func reject(req: Request) async throws -> RunDTO { try await decide(req, approve: false) }

    private func decide(_ req: Request, approve: Bool) async throws -> RunDTO {
        let user = try req.requireAdmin()
        let body = try req.content.decode(DecisionBody.self)
        guard body.all == true || !(body.item_ids ?? []).isEmpty else {
            throw AppError.invalidField("item_ids", "list the items to \(approve ? "approve" : "reject"), or send {\"all\": true}")
        }
        let runs = req.services.provisioningRuns(req.db)
        let run = try await runs.find(req.parameters.get("id") ?? "")
        try await runs.decide(run, itemIDs: body.all == true ? nil : body.item_ids, approve: approve, actor: user.email)
        return try await RunDTO.make(run, runs: runs, items: try await runs.items(of: run.requireID()))
    }

    // MARK: DTOs

    struct ItemDTO: Content {
        let id: UUID?
        let employee_id: String
        let email: String
        let name: String
        let action: ProvisioningPlanner.Action
        let stage: ProvisioningSettings.Stage?
        let state: ProvisioningItemState
        let reason: String?
        let blockers: String?
        let error: String?
        let pagerduty_user_id: String?
        let held: Bool
        let changes: [ProvisioningPlanner.FieldChange]
        let teams: [ProvisioningPlanner.TeamChange]

        init(_ item: ProvisioningItem) {
            let planned = item.planned
            id = item.id
            employee_id = item.employeeID
            email = item.email
            name = item.name
            action = item.action
            stage = item.stage
            state = item.state
            reason = item.reason
            blockers = item.blockers
            error = item.error
            pagerduty_user_id = item.pagerDutyUserID
            held = planned?.held ?? false
            changes = planned?.changes ?? []
            teams = planned?.teams ?? []
        }
    }

    struct RunDTO: Content {
        let id: UUID?
        let status: ProvisioningRunStatus
        let dry_run: Bool
        let mode: ProvisioningSettings.Mode
        let created_by: String
        let created_at: Date
        let finished_at: Date?
        let error: String?
        let terminations_held: Bool
        let progress: ProvisioningReport.Progress
        let report: ProvisioningReport
        let items: [ItemDTO]?

        static func make(_ run: ProvisioningRun, runs: ProvisioningRuns, items: [ProvisioningItem]?) async throws -> RunDTO {
            let (report, progress) = try await runs.report(try run.requireID())
            return RunDTO(id: run.id, status: run.status, dry_run: run.dryRun, mode: run.mode, created_by: run.createdBy, created_at: run.createdAt,
                          finished_at: run.finishedAt, error: run.error, terminations_held: run.terminationsHeld, progress: progress, report: report,
                          items: items?.map(ItemDTO.init))
        }
    }

    /// Rules and settings as stored: keys sorted, so the document reads the same every time.
    static func json<T: Encodable>(_ value: T) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(data: try encoder.encode(value)))
    }
}
