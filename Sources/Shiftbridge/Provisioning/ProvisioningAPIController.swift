import Fluent
import ShiftbridgeCore
import Vapor

/// `/api/v1/provisioning` (contract): imports, rules, settings, runs and their decisions.
struct ProvisioningAPIController {
    func boot(api: any RoutesBuilder) {
        let provisioning = api.grouped("provisioning")
        provisioning.on(.POST, "imports", bodyCap: ByteCount(value: EmployeeImporter.maxFileBytes), use: importCSV)
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

    func importCSV(req: Request) async throws -> Response {
        let user = try req.requireAdmin()
        if req.headers.contentType == .json || req.headers.contentType == .formData {
            throw AppError(.unsupportedMediaType, code: "unsupported_media_type", "Send the HR export itself as the body, with Content-Type: text/csv")
        }
        guard let body = req.body.data, body.readableBytes > 0 else { throw AppError.invalidField("body", "send the CSV file as the request body (text/csv)") }
        let record = try await req.services.employeeImporter(req.db).importCSV(Data(buffer: body), origin: .upload(by: user.email))
        return try await ImportDTO(record).encodeResponse(status: .created, for: req)
    }

    func imports(req: Request) async throws -> [String: [ImportDTO]] {
        _ = try req.requireAdmin()
        return ["imports": try await req.services.employeeImporter(req.db).recentImports(limit: 50).map(ImportDTO.init)]
    }

    func employees(req: Request) async throws -> [String: [EmployeeDTO]] {
        _ = try req.requireAdmin()
        return ["employees": try await req.services.employeeImporter(req.db).records().map { try EmployeeDTO($0) }]
    }

    func history(req: Request) async throws -> [String: [HistoryDTO]] {
        _ = try req.requireAdmin()
        let changes = try await req.services.employeeImporter(req.db).history(of: req.parameters.get("employee_id") ?? "")
        return ["history": try changes.map { HistoryDTO(import_id: $0.$importRecord.id, status: $0.status, recorded_at: $0.recordedAt, data: try $0.employee) }]
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

    /// How many employees each rule (posted, or saved) would take, and the resulting roles.
    func preview(req: Request) async throws -> PreviewDTO {
        _ = try req.requireAdmin()
        let configuration = req.services.provisioningConfiguration(req.db)
        let body = req.body.data.map { Data(buffer: $0) } ?? Data()
        return try await Self.preview(body.isEmpty ? try await configuration.rules() : try ProvisioningConfiguration.decodeRules(body), req: req)
    }

    /// How many current employees each of `rules` takes, and the roles that gives.
    static func preview(_ rules: RoleRules, req: Request) async throws -> PreviewDTO {
        let settings = try await req.services.provisioningConfiguration(req.db).settings()
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

    /// Rules and settings as stored: keys sorted, so the document reads the same every time.
    static func json<T: Encodable>(_ value: T) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(data: try encoder.encode(value)))
    }
}
