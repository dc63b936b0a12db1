import Fluent
import Foundation
import ShiftbridgeCore
import Vapor

/// `shiftbridge provision run [--dry-run] [--apply]`: plans, prints the plan, applies what the
/// mode allows (or everything with `--apply`) right here, and prints the report.
struct ProvisionRunCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Flag(name: "dry-run", help: "Plan only: show what would change") var dryRun: Bool
        @Flag(name: "apply", help: "Apply the whole plan now, approving what would wait for approval (held terminations included)") var apply: Bool
    }

    var help: String { "Plan a provisioning run, print it, apply it per the mode (or everything with --apply), and print the report" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard !(signature.dryRun && signature.apply) else { throw AppError.usage("Choose --dry-run or --apply, not both") }
        let services = context.application.services
        let db = services.db
        let runs = services.provisioningRuns(db)
        let run: ProvisioningRun
        do {
            run = try await runs.start(dryRun: signature.dryRun, actor: "cli")
        } catch let error as AppError {
            throw AppError.usage(error.message)
        }
        let runID = try run.requireID()
        context.console.print("Run \(runID) (\(signature.dryRun ? "dry run" : run.mode.rawValue)):")
        for line in Self.planLines(try await runs.items(of: runID)) { context.console.print(line) }
        if run.terminationsHeld { context.console.warning("Terminations exceed the guard: every termination waits for approval.") }

        if signature.apply && run.status == .pendingApproval {
            try await runs.decide(run, itemIDs: nil, approve: true, actor: "cli")
        }
        var last = -1
        try await services.provisioningApplier(db).applyRun(runID, holder: services.instanceID) { progress in
            guard progress.completed != last else { return }
            context.console.print("  applied \(progress.completed) of \(progress.total) (\(progress.percent)%)")
            last = progress.completed
        }
        let (report, _) = try await runs.report(runID)
        let status = try await runs.find(runID).status
        context.console.print("""
            Report (\(status.rawValue)): total \(report.total), skipped \(report.skipped), no change \(report.noChange), \
            processed \(report.processed) (created \(report.created), updated \(report.updated), deleted \(report.deleted)), \
            failed \(report.failed), blocked \(report.blocked), pending approval \(report.pendingApproval)
            """)
        for item in try await runs.items(of: runID) where item.state == .failed || item.state == .blocked {
            context.console.print("  \(item.state.rawValue) \(item.email): \(item.blockers ?? item.error ?? item.reason ?? "")")
        }
        if status == .pendingApproval {
            context.console.print("Items wait for approval: approve them in the dashboard (Provisioning), or rerun with --apply.")
        }
    }

    /// One line per change, then the counts of everything else.
    static func planLines(_ items: [ProvisioningItem], limit: Int = 200) -> [String] {
        var lines: [String] = []
        var quiet: [String: Int] = [:]
        for item in items {
            let planned: ProvisioningPlanner.Item?
            do { planned = try item.planned } catch {
                quiet["whose stored plan cannot be read", default: 0] += 1
                continue
            }
            guard let planned, [.create, .rehire, .update, .delete].contains(planned.action) else {
                quiet[item.state.words, default: 0] += 1
                continue
            }
            guard lines.count < limit else { quiet["more changes (see the dashboard)", default: 0] += 1; continue }
            let fields = planned.changes.map { "\($0.field): \($0.before.map { "\($0) → " } ?? "")\($0.after ?? "")" }
            let teams = planned.teams.map { change in change.role.map { "+team \(change.team) (\($0))" } ?? "-team \(change.team)" }
            let note = item.blockers.map { " BLOCKED: \($0)" } ?? (planned.protected || planned.held ? " [\(planned.reason ?? "")]" : "")
            lines.append("  \(planned.action.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)) \(item.email) [\(item.state.rawValue)] \((fields + teams).joined(separator: "; "))\(note)")
        }
        if !quiet.isEmpty { lines.append("  " + quiet.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")) }
        return lines
    }
}
