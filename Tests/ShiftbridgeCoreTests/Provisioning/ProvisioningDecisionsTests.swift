import Foundation
import ShiftbridgeCore
import Testing

/// The pure decisions a provisioning run is recorded and reported with.
@Suite struct ProvisioningDecisionsTests {
    func item(_ action: ProvisioningPlanner.Action, protected: Bool = false, held: Bool = false) -> ProvisioningPlanner.Item {
        .init(employeeID: "E1", email: "ann@example.com", name: "Ann", action: action, pagerDutyUserID: "PANN", protected: protected, held: held)
    }

    @Test func anItemStartsWhereItsActionRunAndModePutIt() {
        func initial(_ item: ProvisioningPlanner.Item, blockers: [String] = [], dryRun: Bool = false, mode: ProvisioningSettings.Mode = .autopilot) -> ProvisioningItemState {
            ProvisioningItemState.initial(for: item, blockers: blockers, dryRun: dryRun, mode: mode)
        }
        #expect(initial(item(.skip)) == .skipped)
        #expect(initial(item(.noChange)) == .noChange)
        #expect(initial(item(.create)) == .approved)
        #expect(initial(item(.update), mode: .supervised) == .pendingApproval)
        #expect(initial(item(.create), dryRun: true) == .planned)
        #expect(initial(item(.delete, held: true)) == .pendingApproval)
        #expect(initial(item(.delete, protected: true)) == .blocked)
        #expect(initial(item(.delete), blockers: ["open incident #4"]) == .blocked)
        // Blockers stop only deletions; a protected user is blocked even in a dry run.
        #expect(initial(item(.update), blockers: ["open incident #4"]) == .approved)
        #expect(initial(item(.delete, protected: true), dryRun: true) == .blocked)
    }

    @Test func aRunsStatusFollowsItsItems() {
        #expect(ProvisioningRunStatus.from([.approved, .done], dryRun: true) == .planned)
        #expect(ProvisioningRunStatus.from([.done, .applying, .pendingApproval], dryRun: false) == .running)
        #expect(ProvisioningRunStatus.from([.done, .pendingApproval, .failed], dryRun: false) == .pendingApproval)
        #expect(ProvisioningRunStatus.from([.done, .failed, .blocked, .rejected, .noChange], dryRun: false) == .completed)
        #expect(ProvisioningRunStatus.from([], dryRun: false) == .completed)
    }

    @Test func theReportTalliesOutcomesAndProgress() {
        let (report, progress) = ProvisioningReport.tally([
            (.create, .done), (.rehire, .done), (.update, .done), (.delete, .done), (.delete, .failed), (.delete, .blocked),
            (.update, .pendingApproval), (.update, .rejected), (.create, .approved), (.noChange, .noChange), (.skip, .skipped),
        ])
        #expect(report.total == 11 && report.processed == 4)
        #expect(report.created == 2 && report.updated == 1 && report.deleted == 1)
        #expect(report.failed == 1 && report.blocked == 1 && report.pendingApproval == 1 && report.rejected == 1)
        #expect(report.noChange == 1 && report.skipped == 1)
        // Nine items need something; seven are finished (done, failed, blocked, rejected).
        #expect(progress.completed == 7 && progress.total == 9 && progress.percent == 77)
        #expect(ProvisioningReport.tally([(ProvisioningPlanner.Action.noChange, ProvisioningItemState.noChange)]).1.percent == 100)
        let json = String(decoding: try! JSONEncoder().encode(report), as: UTF8.self)
        #expect(json.contains(#""no_change":1"#) && json.contains(#""pending_approval":1"#))
    }

    @Test func blockersSayWhatToDoAboutThem() {
        #expect(DeletionBlockers().isEmpty && DeletionBlockers().descriptions.isEmpty)
        let blockers = DeletionBlockers(incidents: ["#12", "#14"], escalationPolicies: ["Ops", "Ops", "Web"], schedules: ["Primary", "Backup", "Primary"])
        #expect(blockers.descriptions == [
            "open incident(s) #12, #14 assigned: resolve or reassign them",
            "a direct target of escalation policy Ops, Web: replace them on the policy",
            "on schedule Backup, Primary: take them off its layers",
        ])
    }
}
