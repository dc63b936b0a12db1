import Fluent
import ShiftbridgeCore
import Vapor

/// The Provisioning pages: import, rules, settings, runs, and a run with its decisions.
struct ProvisioningController {
    func boot(pages: any RoutesBuilder) {
        pages.get("provisioning", use: overview)
        pages.on(.POST, "provisioning", "import", body: .collect(maxSize: "64mb"), use: importFile)
        pages.post("provisioning", "rules", use: saveRules)
        pages.post("provisioning", "settings", use: saveSettings)
        pages.post("provisioning", "runs", use: startRun)
        pages.get("provisioning", "runs", ":run", use: run)
        pages.post("provisioning", "runs", ":run", "decide", use: decide)
    }

    func overview(req: Request) async throws -> Response {
        try await render(req)
    }

    private func render(_ req: Request, rulesJSON: String? = nil, settingsJSON: String? = nil, importProblems: [String] = [], error: String? = nil,
                        status: HTTPResponseStatus = .ok) async throws -> Response {
        _ = try req.requireAdmin()
        let service = req.application.provisioning
        let employees = try await service.currentEmployees().map(\.employee)
        let rules = try await service.rules()
        let settings = try await service.settings()
        let counts = rules.preview(employees, processAll: settings.processAll)
        let imports = try await ProvisioningImport.query(on: req.db).sort(\.$createdAt, .descending).limit(5).all()
        var runs: [(id: String, at: Date, status: String, dryRun: Bool, summary: String)] = []
        for run in try await ProvisioningRun.query(on: req.db).sort(\.$createdAt, .descending).limit(10).all() {
            let (report, _) = try await service.report(try run.requireID())
            runs.append((run.id!.uuidString, run.createdAt, run.status, run.dryRun,
                         "total \(report.total), processed \(report.processed), no change \(report.no_change), failed \(report.failed), blocked \(report.blocked), pending \(report.pending_approval)"))
        }
        let model = ProvisioningPage.Model(
            employees: employees.count,
            byStatus: Dictionary(grouping: employees, by: \.status.rawValue).map { ($0.key, $0.value.count) }.sorted { $0.status < $1.status },
            imports: imports.map { ($0.createdAt, $0.actor, "\($0.rows) rows: \($0.added) added, \($0.changed) changed, \($0.unchanged) unchanged, \($0.absent) absent") },
            rulesJSON: try rulesJSON ?? Self.pretty(rules), settingsJSON: try settingsJSON ?? Self.pretty(settings),
            preview: (zip(rules.rules, counts.perRule).map { ($0.0.name, $0.1) }, counts.unmatched, counts.roles.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }),
            runs: runs, connected: try await PagerDutyConnection.current(on: req.db) != nil, importProblems: importProblems, error: error)
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
            let summary = try await req.application.provisioning.importCSV(Data(buffer: file.data), actor: user.email)
            req.flash(.success, "Imported \(summary.rows) employees: \(summary.added) added, \(summary.changed) changed, \(summary.unchanged) unchanged, \(summary.absent) no longer in the file.")
            return req.redirect(to: "/provisioning")
        } catch let error as AppError {
            return try await render(req, importProblems: (error.problems ?? []).map { "Line \($0.line.map(String.init) ?? "-"): \($0.message)" },
                                    error: error.problems == nil ? error.message : nil, status: APIError.status(for: error.kind))
        }
    }

    struct RulesForm: Content { var rules_json: String? }

    func saveRules(req: Request) async throws -> Response {
        let user = try req.requireAdmin()
        let text = (try req.content.decode(RulesForm.self)).rules_json ?? ""
        do {
            _ = try await req.application.provisioning.saveRules(Data(text.utf8), actor: user.email)
            req.flash(.success, "Rules saved.")
            return req.redirect(to: "/provisioning")
        } catch let error as APIError {
            return try await render(req, rulesJSON: text, error: error.message, status: error.status)
        }
    }

    struct SettingsForm: Content { var settings_json: String? }

    func saveSettings(req: Request) async throws -> Response {
        let user = try req.requireAdmin()
        let text = (try req.content.decode(SettingsForm.self)).settings_json ?? ""
        do {
            _ = try await req.application.provisioning.saveSettings(Data(text.utf8), actor: user.email)
            req.flash(.success, "Settings saved.")
            return req.redirect(to: "/provisioning")
        } catch let error as APIError {
            return try await render(req, settingsJSON: text, error: error.message, status: error.status)
        }
    }

    struct RunForm: Content { var dry_run: String? }

    func startRun(req: Request) async throws -> Response {
        let user = try req.requireAdmin()
        let dryRun = (try? req.content.decode(RunForm.self))?.dry_run == "1"
        do {
            let run = try await req.application.provisioning.startRun(dryRun: dryRun, actor: user.email)
            return req.redirect(to: "/provisioning/runs/\(try run.requireID())")
        } catch let error as APIError {
            return try await render(req, error: error.message, status: error.status)
        }
    }

    func run(req: Request) async throws -> Response {
        _ = try req.requireAdmin()
        let run = try await ProvisioningAPIController.find(req, parameter: "run")
        let runID = try run.requireID()
        let filter = req.query[String.self, at: "state"]
        var query = ProvisioningItem.query(on: req.db).filter(\.$run.$id == runID).sort(\.$position)
        if let filter { query = query.filter(\.$state == filter) }
        let items = try await query.limit(2000).all()
        let (report, progress) = try await req.application.provisioning.report(runID)
        let model = ProvisioningRunPage.Model(
            id: runID.uuidString, status: run.status, dryRun: run.dryRun, mode: run.mode, createdAt: run.createdAt, createdBy: run.createdBy,
            report: report, progress: progress, terminationsHeld: run.terminationsHeld,
            items: items.map { item in
                let planned = item.planned
                let fields = (planned?.changes ?? []).map { "\($0.field): \($0.before.map { "\($0) → " } ?? "")\($0.after ?? "")" }
                let teams = (planned?.teams ?? []).map { change in change.role.map { "team \(change.team) as \($0)" } ?? "leave team \(change.team)" }
                return .init(id: item.id!.uuidString, name: item.name, email: item.email, action: item.action, stage: item.stage, state: item.state,
                             details: (fields + teams).joined(separator: "; "), note: item.blockers.map { "Blocked by \($0)" } ?? item.error ?? item.reason)
            },
            filter: filter)
        return HTMLResponse.make(html: ProvisioningRunPage.render(model, context: req.pageContext(title: "Provisioning run", section: .provisioning)))
    }

    struct DecideForm: Content {
        var decision: String?
        var item_ids: [UUID]?
    }

    func decide(req: Request) async throws -> Response {
        let user = try req.requireAdmin()
        let run = try await ProvisioningAPIController.find(req, parameter: "run")
        let form = try req.content.decode(DecideForm.self)
        let all = form.decision == "approve_all" || form.decision == "reject_all"
        let approve = form.decision == "approve" || form.decision == "approve_all"
        if !all && (form.item_ids ?? []).isEmpty {
            req.flash(.error, "Select the items to \(approve ? "approve" : "reject") first.")
            return req.redirect(to: "/provisioning/runs/\(try run.requireID())")
        }
        do {
            let count = try await req.application.provisioning.decide(run, itemIDs: all ? nil : form.item_ids, approve: approve, actor: user.email)
            req.flash(.success, "\(approve ? "Approved" : "Rejected") \(count) item(s).")
        } catch let error as APIError {
            req.flash(.error, error.message)
        }
        return req.redirect(to: "/provisioning/runs/\(try run.requireID())")
    }
}
