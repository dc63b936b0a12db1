import Fluent
import Foundation
import ShiftbridgeCore
import Vapor

/// `shiftbridge provision import FILE` and `shiftbridge provision run [--dry-run] [--apply]`.
struct ProvisionCommand: AsyncCommandGroup {
    var help: String { "Provision PagerDuty users from the HR export" }
    var commands: [String: any AnyAsyncCommand] {
        ["import": ProvisionImportCommand(), "run": ProvisionRunCommand()]
    }
}

struct ProvisionImportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "The HR export (CSV)") var file: String
    }

    var help: String { "Import an HR export (CSV): the whole file, or nothing when any line is wrong" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let data = FileManager.default.contents(atPath: signature.file) else {
            throw AppError.usage("Cannot read \(signature.file); give the path of the CSV export")
        }
        do {
            let summary = try await context.application.provisioning.importCSV(data, actor: "cli")
            context.console.print("Imported \(summary.rows) employees: \(summary.added) added, \(summary.changed) changed, \(summary.unchanged) unchanged, \(summary.absent) no longer in the file.")
        } catch let error as AppError {
            for problem in error.problems ?? [] {
                context.console.error("line \(problem.line.map(String.init) ?? "-"): \(problem.message)")
            }
            throw AppError.usage(error.message)
        }
    }
}

struct ProvisionRunCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Flag(name: "dry-run", help: "Plan only: show what would change") var dryRun: Bool
        @Flag(name: "apply", help: "Apply the whole plan now, approving what would wait for approval (held terminations included)") var apply: Bool
    }

    var help: String { "Plan a provisioning run, print it, apply it per the mode (or everything with --apply), and print the report" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard !(signature.dryRun && signature.apply) else { throw AppError.usage("Choose --dry-run or --apply, not both") }
        let app = context.application
        let service = app.provisioning
        let run: ProvisioningRun
        do {
            run = try await service.startRun(dryRun: signature.dryRun, actor: "cli")
        } catch let error as APIError {
            throw AppError.usage(error.message)
        }
        let runID = try run.requireID()
        let items = try await ProvisioningItem.query(on: app.db).filter(\.$run.$id == runID).sort(\.$position).all()
        context.console.print("Run \(runID) (\(signature.dryRun ? "dry run" : run.mode)):")
        for line in Self.planLines(items) { context.console.print(line) }
        if run.terminationsHeld { context.console.warning("Terminations exceed the guard: every termination waits for approval.") }

        if signature.apply && run.status == ProvisioningRun.Status.pendingApproval.rawValue {
            _ = try await service.decide(run, itemIDs: nil, approve: true, actor: "cli")
        }
        if let current = try await ProvisioningRun.find(runID, on: app.db), current.status == ProvisioningRun.Status.running.rawValue {
            var last = -1
            while true {
                let (_, progress) = try await service.report(runID)
                if progress.completed != last {
                    context.console.print("  applied \(progress.completed) of \(progress.total) (\(progress.percent)%)")
                    last = progress.completed
                }
                let status = try await ProvisioningRun.find(runID, on: app.db)?.status
                if status != ProvisioningRun.Status.running.rawValue { break }
                try await Task.sleep(nanoseconds: 1_000_000_000)
            }
            await app.provisioningWorker.wait(runID)
        }
        let (report, _) = try await service.report(runID)
        let status = try await ProvisioningRun.find(runID, on: app.db)?.status ?? run.status
        context.console.print("""
            Report (\(status)): total \(report.total), skipped \(report.skipped), no change \(report.no_change), \
            processed \(report.processed) (created \(report.created), updated \(report.updated), deleted \(report.deleted)), \
            failed \(report.failed), blocked \(report.blocked), pending approval \(report.pending_approval)
            """)
        for item in try await ProvisioningItem.query(on: app.db).filter(\.$run.$id == runID)
            .filter(\.$state ~~ [ProvisioningItem.State.failed.rawValue, ProvisioningItem.State.blocked.rawValue]).sort(\.$position).all() {
            context.console.print("  \(item.state) \(item.email): \(item.blockers ?? item.error ?? item.reason ?? "")")
        }
        if status == ProvisioningRun.Status.pendingApproval.rawValue {
            context.console.print("Items wait for approval: approve them in the dashboard (Provisioning), or rerun with --apply.")
        }
    }

    /// One line per change, then the counts of everything else.
    static func planLines(_ items: [ProvisioningItem], limit: Int = 200) -> [String] {
        var lines: [String] = []
        var quiet: [String: Int] = [:]
        for item in items {
            guard let planned = item.planned, [.create, .rehire, .update, .delete].contains(planned.action) else {
                quiet[item.state, default: 0] += 1
                continue
            }
            guard lines.count < limit else { quiet["more changes (see the dashboard)", default: 0] += 1; continue }
            let fields = planned.changes.map { "\($0.field): \($0.before.map { "\($0) → " } ?? "")\($0.after ?? "")" }
            let teams = planned.teams.map { change in change.role.map { "+team \(change.team) (\($0))" } ?? "-team \(change.team)" }
            let note = item.blockers.map { " BLOCKED: \($0)" } ?? (planned.protected || planned.held ? " [\(planned.reason ?? "")]" : "")
            lines.append("  \(planned.action.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)) \(item.email) [\(item.state)] \((fields + teams).joined(separator: "; "))\(note)")
        }
        if !quiet.isEmpty { lines.append("  " + quiet.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")) }
        return lines
    }
}
