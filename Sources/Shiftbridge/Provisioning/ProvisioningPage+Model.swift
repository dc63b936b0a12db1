import Foundation
import ShiftbridgeCore

/// Provisioning: the HR import, rules with a live preview, settings, and runs.
enum ProvisioningPage {
    struct RunRow {
        let id: UUID
        let at: Date
        let status: ProvisioningRunStatus
        let dryRun: Bool
        let summary: String

        init(_ run: ProvisioningRun, id: UUID, report: ProvisioningReport) {
            self.id = id
            at = run.createdAt
            status = run.status
            dryRun = run.dryRun
            summary = "total \(report.total), processed \(report.processed), no change \(report.noChange), failed \(report.failed), "
                + "blocked \(report.blocked), pending \(report.pendingApproval)"
        }
    }

    struct RulePreview {
        let rules: [(name: String, matches: Int)]
        let unmatched: Int
        let roles: [(role: String, count: Int)]

        init(_ rules: RoleRules, employees: [Employee], processAll: Bool) {
            let counts = rules.preview(employees, processAll: processAll)
            self.rules = zip(rules.rules, counts.perRule).map { ($0.0.name, $0.1) }
            unmatched = counts.unmatched
            roles = counts.roles.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        }
    }

    struct Model {
        let employees: Int
        let byStatus: [(status: EmploymentStatus, count: Int)]
        let imports: [(at: Date, actor: String, summary: String)]
        let rulesJSON: String
        /// The rule builder, as saved or as being edited.
        let ruleForm: RuleForm
        let settingsJSON: String
        let settings: ProvisioningSettings
        let preview: RulePreview
        let runs: [RunRow]
        let connected: Bool
        let sources: [HRSourcesSection.Row]
        let importProblems: [String]
        let error: String?
    }
}
