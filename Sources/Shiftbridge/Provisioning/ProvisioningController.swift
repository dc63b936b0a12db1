import Fluent
import ShiftbridgeCore
import Vapor

/// The Provisioning pages: import, rules, settings, runs, and a run with its decisions.
struct ProvisioningController {
    func boot(pages: any RoutesBuilder) {
        pages.get("provisioning", use: overview)
        pages.on(.POST, "provisioning", "import", bodyCap: ByteCount(value: EmployeeImporter.maxFileBytes), use: importFile)
        pages.post("provisioning", "rules", use: saveRules)
        pages.post("provisioning", "settings", use: saveSettings)
        pages.post("provisioning", "rules", "builder", use: builder)
        pages.post("provisioning", "rules", "builder", "preview", use: builderPreview)
        pages.post("provisioning", "settings", "fields", use: saveSettingsFields)
        pages.post("provisioning", "runs", use: startRun)
        pages.get("provisioning", "runs", ":run", use: run)
        pages.post("provisioning", "runs", ":run", "decide", use: decide)
        pages.post("provisioning", "sources", use: addSource)
        pages.post("provisioning", "sources", ":source", "run", use: runSource)
        pages.post("provisioning", "sources", ":source", "delete", use: deleteSource)
    }

    struct SourceForm: Content {
        var name: String?
        var kind: HRSource.Kind?
        var every_minutes: String?
        var path: String?
        var pattern: String?
        var url: String?
        var records: String?
        var user: String?
        var secret: String?
        var subdomain: String?
    }

    func addSource(req: Request) async throws -> Response {
        let admin = try req.requireAdmin()
        let form = try req.content.decode(SourceForm.self)
        func given(_ text: String?) -> String? { text.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 } }
        var input = HRSourceInput()
        input.name = form.name
        input.kind = form.kind
        input.every_minutes = given(form.every_minutes).flatMap(Int.init) ?? 60
        switch form.kind {
        case .folder?: (input.path, input.pattern) = (given(form.path), given(form.pattern))
        case .url?:
            input.url = given(form.url)
            input.records = given(form.records)
            input.format = input.records == nil ? .csv : .json
            if let secret = given(form.secret) {
                input.auth = given(form.user).map { .init(basic: .init(user: $0, password: secret)) } ?? .init(bearer: secret)
            }
        case .bamboohr?: (input.subdomain, input.api_key) = (given(form.subdomain), given(form.secret))
        case nil: break
        }
        do {
            _ = try await req.services.hrSources(req.db).create(input, actor: admin.email)
        } catch let error as AppError {
            return try await render(req, error: error.message, status: error.kind.httpStatus)
        }
        req.flash(.success, "Source added.")
        return req.redirect(to: "/provisioning#sources")
    }

    func runSource(req: Request) async throws -> Response {
        _ = try req.requireAdmin()
        let sources = req.services.hrSources(req.db)
        let source = try await sources.requestRun(try await sources.find(req.parameters.get("source", as: UUID.self)))
        req.flash(.success, "\(source.name) runs within seconds; its result shows here once done.")
        return req.redirect(to: "/provisioning#sources")
    }

    func deleteSource(req: Request) async throws -> Response {
        let admin = try req.requireAdmin()
        let sources = req.services.hrSources(req.db)
        try await sources.delete(try await sources.find(req.parameters.get("source", as: UUID.self)), actor: admin.email)
        req.flash(.success, "Source removed.")
        return req.redirect(to: "/provisioning#sources")
    }

    func overview(req: Request) async throws -> Response {
        try await render(req)
    }

    func render(_ req: Request, rulesJSON: String? = nil, settingsJSON: String? = nil, ruleForm: RuleForm? = nil, importProblems: [String] = [],
                error: String? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        _ = try req.requireAdmin()
        let configuration = req.services.provisioningConfiguration(req.db)
        let importer = req.services.employeeImporter(req.db)
        let runs = req.services.provisioningRuns(req.db)
        let employees = try await importer.currentEmployees().map(\.employee)
        let rules = try await configuration.rules()
        let settings = try await configuration.settings()
        var runRows: [ProvisioningPage.RunRow] = []
        for run in try await runs.recent(limit: 10) {
            let id = try run.requireID()
            runRows.append(ProvisioningPage.RunRow(run, id: id, report: try await runs.report(id).0))
        }
        let model = ProvisioningPage.Model(
            employees: employees.count,
            byStatus: Dictionary(grouping: employees, by: \.status).map { ($0.key, $0.value.count) }.sorted { $0.status.rawValue < $1.status.rawValue },
            imports: try await importer.recentImports(limit: 5).map { ($0.createdAt, $0.actor, $0.summary) },
            rulesJSON: try rulesJSON ?? Self.pretty(rules), ruleForm: ruleForm ?? RuleForm(rules), settingsJSON: try settingsJSON ?? Self.pretty(settings),
            settings: settings,
            preview: .init(rules, employees: employees, processAll: settings.processAll),
            runs: runRows, connected: try await PagerDutyConnection.current(on: req.db) != nil,
            sources: try await req.services.hrSources(req.db).list().map {
                // A source whose settings cannot be read is listed, marked.
                let target: String
                do {
                    let settings = try $0.settings
                    target = switch $0.kind {
                    case .folder: "\(settings.path ?? "") (\(settings.pattern ?? "*.csv"))"
                    case .url: settings.url ?? ""
                    case .bamboohr: "\(settings.subdomain ?? "").bamboohr.com"
                    }
                } catch let error as UnreadableRecord {
                    target = "unreadable: \(error.reason)"
                }
                return .init(id: try $0.requireID().uuidString, name: $0.name, kind: $0.kind, target: target, lastRunAt: $0.lastRunAt,
                             lastResult: $0.lastResult, lastMessage: $0.lastMessage, nextRunAt: $0.nextRunAt)
            },
            importProblems: importProblems, error: error)
        return HTMLResponse.make(status: status, html: ProvisioningPage.render(model, context: req.pageContext(title: "Provisioning", section: .provisioning)))
    }

    static func pretty<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    struct ImportForm: Content { var file: File? }

    func importFile(req: Request) async throws -> Response {
        let user = try req.requireAdmin()
        guard let file = try? req.content.decode(ImportForm.self).file, file.data.readableBytes > 0 else {
            return try await render(req, error: "Choose the CSV export to import.", status: .unprocessableEntity)
        }
        do {
            let record = try await req.services.employeeImporter(req.db).importCSV(Data(buffer: file.data), origin: .upload(by: user.email))
            req.flash(.success, "Imported \(record.rows) employees: \(record.added) added, \(record.changed) changed, \(record.unchanged) unchanged, \(record.absent) no longer in the file.")
            return req.redirect(to: "/provisioning")
        } catch let error as AppError {
            return try await render(req, importProblems: (error.problems ?? []).map { "Line \($0.line.map(String.init) ?? "-"): \($0.message)" },
                                    error: error.problems == nil ? error.message : nil, status: error.kind.httpStatus)
        }
    }

    struct RulesForm: Content { var rules_json: String? }

    func saveRules(req: Request) async throws -> Response {
        let user = try req.requireAdmin()
        let text = (try req.content.decode(RulesForm.self)).rules_json ?? ""
        do {
            _ = try await req.services.provisioningConfiguration(req.db).saveRules(Data(text.utf8), actor: user.email)
            req.flash(.success, "Rules saved.")
            return req.redirect(to: "/provisioning")
        } catch let error as AppError {
            return try await render(req, rulesJSON: text, error: error.message, status: error.kind.httpStatus)
        }
    }

    struct SettingsForm: Content { var settings_json: String? }

    func saveSettings(req: Request) async throws -> Response {
        let user = try req.requireAdmin()
        let text = (try req.content.decode(SettingsForm.self)).settings_json ?? ""
        do {
            _ = try await req.services.provisioningConfiguration(req.db).saveSettings(Data(text.utf8), actor: user.email)
            req.flash(.success, "Settings saved.")
            return req.redirect(to: "/provisioning")
        } catch let error as AppError {
            return try await render(req, settingsJSON: text, error: error.message, status: error.kind.httpStatus)
        }
    }

    struct RunForm: Content { var dry_run: String? }

    func startRun(req: Request) async throws -> Response {
        let user = try req.requireAdmin()
        let dryRun = (try? req.content.decode(RunForm.self))?.dry_run == "1"
        do {
            let run = try await req.services.provisioningRuns(req.db).start(dryRun: dryRun, actor: user.email)
            return req.redirect(to: "/provisioning/runs/\(try run.requireID())")
        } catch let error as AppError {
            return try await render(req, error: error.message, status: error.kind.httpStatus)
        }
    }

    func run(req: Request) async throws -> Response {
        _ = try req.requireAdmin()
        let runs = req.services.provisioningRuns(req.db)
        let run = try await runs.find(req.parameters.get("run") ?? "")
        let runID = try run.requireID()
        let filter = try req.queryChoice("state", as: ProvisioningItemState.self)
        let items = try await runs.items(of: runID, state: filter, limit: 2000)
        let (report, progress) = try await runs.report(runID)
        let model = ProvisioningRunPage.Model(
            id: runID, status: run.status, dryRun: run.dryRun, mode: run.mode, createdAt: run.createdAt, createdBy: run.createdBy,
            report: report, progress: progress, terminationsHeld: run.terminationsHeld,
            items: try items.map { ProvisioningRunPage.Item($0, id: try $0.requireID()) }, filter: filter)
        return HTMLResponse.make(html: ProvisioningRunPage.render(model, context: req.pageContext(title: "Provisioning run", section: .provisioning)))
    }

    struct DecideForm: Content {
        var decision: String?
        var item_ids: [UUID]?
    }

    func decide(req: Request) async throws -> Response {
        let user = try req.requireAdmin()
        let runs = req.services.provisioningRuns(req.db)
        let run = try await runs.find(req.parameters.get("run") ?? "")
        let page = "/provisioning/runs/\(try run.requireID())"
        let form = try req.content.decode(DecideForm.self)
        let all = form.decision == "approve_all" || form.decision == "reject_all"
        let approve = form.decision == "approve" || form.decision == "approve_all"
        if !all && (form.item_ids ?? []).isEmpty {
            req.flash(.error, "Select the items to \(approve ? "approve" : "reject") first.")
            return req.redirect(to: page)
        }
        do {
            let count = try await runs.decide(run, itemIDs: all ? nil : form.item_ids, approve: approve, actor: user.email)
            req.flash(.success, "\(approve ? "Approved" : "Rejected") \(count) item(s).")
        } catch let error as AppError {
            req.flash(.error, error.message)
        }
        return req.redirect(to: page)
    }
}
