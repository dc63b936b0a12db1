import Fluent
import ShiftbridgeCore
import Vapor

/// What the API answers with: the contract its clients decode.
extension ProvisioningAPIController {
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

    struct EmployeeDTO: Content {
        let employee_id: String
        let email: String
        let name: String
        let status: EmploymentStatus
        let in_source: Bool
        let pagerduty_user_id: String?
        let attributes: [String: String]

        init(_ record: EmployeeRecord) throws {
            let employee: Employee? = try record.employee
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

    struct HistoryDTO: Content {
        let import_id: UUID
        let status: EmploymentStatus
        let recorded_at: Date
        let data: Employee?
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

        init(_ item: ProvisioningItem) throws {
            let planned = try item.planned
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
                          items: try items?.map(ItemDTO.init))
        }
    }
}
