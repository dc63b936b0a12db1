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

    func importCSV(req: Request) async throws -> Response {
        let user = try req.requireAdmin()
        if req.headers.contentType == .json || req.headers.contentType == .formData {
            throw APIError(status: .unsupportedMediaType, code: "unsupported_media_type", message: "Send the HR export itself as the body, with Content-Type: text/csv")
        }
        guard let body = req.body.data, body.readableBytes > 0 else { throw APIError.invalidField("body", "send the CSV file as the request body (text/csv)") }
        let summary = try await req.application.provisioning.importCSV(Data(buffer: body), actor: user.email)
        let response = try await summary.encodeResponse(for: req)
        response.status = .created
        return response
    }

    struct ImportDTO: Content {
        let id: UUID?
        let actor: String
        let rows: Int
        let added: Int
        let changed: Int
        let unchanged: Int
        let absent: Int
        let created_at: Date
    }

    func imports(req: Request) async throws -> [String: [ImportDTO]] {
        _ = try req.requireAdmin()
        let list = try await ProvisioningImport.query(on: req.db).sort(\.$createdAt, .descending).limit(50).all()
        return ["imports": list.map { ImportDTO(id: $0.id, actor: $0.actor, rows: $0.rows, added: $0.added, changed: $0.changed, unchanged: $0.unchanged,
                                                absent: $0.absent, created_at: $0.createdAt) }]
    }

    struct EmployeeDTO: Content {
        let employee_id: String
        let email: String
        let name: String
        let status: String
        let in_source: Bool
        let pagerduty_user_id: String?
        let attributes: [String: String]
    }

    func employees(req: Request) async throws -> [String: [EmployeeDTO]] {
        _ = try req.requireAdmin()
        let records = try await EmployeeRecord.query(on: req.db).sort(\.$employeeID).all()
        return ["employees": records.map { record in
            let employee = record.employee
            var attributes: [String: String] = [:]
            for key in Employee.canonicalAttributes { if let value = employee?.attribute(key) { attributes[key] = value } }
            for (key, value) in employee?.attributes ?? [:] { attributes[key] = value }
            return EmployeeDTO(employee_id: record.employeeID, email: record.email, name: record.name, status: record.status, in_source: record.inSource,
                               pagerduty_user_id: record.pagerDutyUserID, attributes: attributes)
        }]
    }

    struct HistoryDTO: Content {
        let import_id: UUID
        let status: String
        let recorded_at: Date
        let data: Employee?
    }

    func history(req: Request) async throws -> [String: [HistoryDTO]] {
        _ = try req.requireAdmin()
        let id = req.parameters.get("employee_id") ?? ""
        guard try await EmployeeRecord.query(on: req.db).filter(\.$employeeID == id).first() != nil else { throw APIError.notFound("Employee \(id)") }
        let changes = try await EmployeeChange.query(on: req.db).filter(\.$employeeID == id).sort(\.$recordedAt, .descending).all()
        return ["history": changes.map {
            HistoryDTO(import_id: $0.$importRecord.id, status: $0.status, recorded_at: $0.recordedAt,
                       data: try? JSONDecoder().decode(Employee.self, from: Data($0.data.utf8)))
        }]
    }

    func rules(req: Request) async throws -> Response {
        _ = try req.requireAdmin()
        return try Self.json(try await req.application.provisioning.rules())
    }

    func saveRules(req: Request) async throws -> Response {
        let user = try req.requireAdmin()
        return try Self.json(try await req.application.provisioning.saveRules(Data(buffer: req.body.data ?? ByteBuffer()), actor: user.email))
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
        let service = req.application.provisioning
        let body = req.body.data.map { Data(buffer: $0) } ?? Data()
        let rules = body.isEmpty ? try await service.rules() : try Provisioning.decodeRules(body)
        let settings = try await service.settings()
        let employees = try await service.currentEmployees().map(\.employee)
        let counts = rules.preview(employees, processAll: settings.processAll)
        return PreviewDTO(employees: employees.filter { $0.status != .terminated }.count,
                          rules: zip(rules.rules, counts.perRule).map { .init(name: $0.0.name, matches: $0.1) },
                          unmatched: counts.unmatched, roles: counts.roles, process_all: settings.processAll)
    }

    func settings(req: Request) async throws -> Response {
        _ = try req.requireAdmin()
        return try Self.json(try await req.application.provisioning.settings())
    }

    func saveSettings(req: Request) async throws -> Response {
        let user = try req.requireAdmin()
        return try Self.json(try await req.application.provisioning.saveSettings(Data(buffer: req.body.data ?? ByteBuffer()), actor: user.email))
    }

    struct StartBody: Content { var dry_run: Bool? }

    func startRun(req: Request) async throws -> Response {
        let user = try req.requireAdmin()
        let body = (req.body.data?.readableBytes ?? 0) > 0 ? try req.content.decode(StartBody.self) : StartBody()
        let run = try await req.application.provisioning.startRun(dryRun: body.dry_run ?? false, actor: user.email)
        let response = try await Self.dto(run, req, items: true).encodeResponse(for: req)
        response.status = .created
        return response
    }

    func runs(req: Request) async throws -> [String: [RunDTO]] {
        _ = try req.requireAdmin()
        var result: [RunDTO] = []
        for run in try await ProvisioningRun.query(on: req.db).sort(\.$createdAt, .descending).limit(50).all() {
            result.append(try await Self.dto(run, req, items: false))
        }
        return ["runs": result]
    }

    func run(req: Request) async throws -> RunDTO {
        _ = try req.requireAdmin()
        // `?items=false` leaves the items out (live progress); `?state=` filters them.
        return try await Self.dto(try await Self.find(req), req, items: try req.queryBool("items") ?? true)
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
            throw APIError.invalidField("item_ids", "list the items to \(approve ? "approve" : "reject"), or send {\"all\": true}")
        }
        let run = try await Self.find(req)
        _ = try await req.application.provisioning.decide(run, itemIDs: body.all == true ? nil : body.item_ids, approve: approve, actor: user.email)
        return try await Self.dto(run, req, items: true)
    }

    // MARK: DTOs

    struct ItemDTO: Content {
        let id: UUID?
        let employee_id: String
        let email: String
        let name: String
        let action: String
        let stage: String?
        let state: String
        let reason: String?
        let blockers: String?
        let error: String?
        let pagerduty_user_id: String?
        let held: Bool
        let changes: [ProvisioningPlanner.FieldChange]
        let teams: [ProvisioningPlanner.TeamChange]
    }

    struct RunDTO: Content {
        let id: UUID?
        let status: String
        let dry_run: Bool
        let mode: String
        let created_by: String
        let created_at: Date
        let finished_at: Date?
        let error: String?
        let terminations_held: Bool
        let progress: Provisioning.Progress
        let report: Provisioning.Report
        let items: [ItemDTO]?
    }

    static func dto(_ run: ProvisioningRun, _ req: Request, items include: Bool) async throws -> RunDTO {
        let runID = try run.requireID()
        let (report, progress) = try await req.application.provisioning.report(runID)
        var items: [ItemDTO]?
        if include {
            var query = ProvisioningItem.query(on: req.db).filter(\.$run.$id == runID).sort(\.$position)
            if let state = req.query[String.self, at: "state"] {
                guard ProvisioningItem.State(rawValue: state) != nil else {
                    throw AppError.invalidField("state", "expected one of \(ProvisioningItem.State.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                query = query.filter(\.$state == state)
            }
            items = try await query.all().map { item in
                let planned = item.planned
                return ItemDTO(id: item.id, employee_id: item.employeeID, email: item.email, name: item.name, action: item.action, stage: item.stage,
                               state: item.state, reason: item.reason, blockers: item.blockers, error: item.error, pagerduty_user_id: item.pagerDutyUserID,
                               held: planned?.held ?? false, changes: planned?.changes ?? [], teams: planned?.teams ?? [])
            }
        }
        return RunDTO(id: runID, status: run.status, dry_run: run.dryRun, mode: run.mode, created_by: run.createdBy, created_at: run.createdAt,
                      finished_at: run.finishedAt, error: run.error, terminations_held: run.terminationsHeld, progress: progress, report: report, items: items)
    }

    static func find(_ req: Request, parameter: String = "id") async throws -> ProvisioningRun {
        let raw = req.parameters.get(parameter) ?? ""
        guard let id = UUID(uuidString: raw), let run = try await ProvisioningRun.find(id, on: req.db) else { throw APIError.notFound("Provisioning run \(raw)") }
        return run
    }

    static func json<T: Encodable>(_ value: T) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(data: try encoder.encode(value)))
    }
}

extension Request {
    /// The signed-in user, who must be an administrator.
    func requireAdmin() throws -> User {
        let user = try auth.require(User.self)
        guard user.isAdmin else { throw AppError.adminOnly }
        return user
    }
}
