import Fluent
import Foundation
import ShiftbridgeCore

/// One HR import: counts only; the employees' history keeps what changed.
final class ProvisioningImport: Model, @unchecked Sendable {
    static let schema = "provisioning_imports"

    @ID(key: .id) var id: UUID?
    @Field(key: "actor") var actor: String
    @Field(key: "rows") var rows: Int
    @Field(key: "added") var added: Int
    @Field(key: "changed") var changed: Int
    @Field(key: "unchanged") var unchanged: Int
    /// Known employees missing from this file: left alone, never deprovisioned for it.
    @Field(key: "absent") var absent: Int
    @Field(key: "created_at") var createdAt: Date

    init() {}
}

/// An employee as the latest import has them, and the PagerDuty user provisioned for them.
final class EmployeeRecord: Model, @unchecked Sendable {
    static let schema = "employees"

    @ID(key: .id) var id: UUID?
    @Field(key: "employee_id") var employeeID: String
    @Field(key: "email") var email: String
    @Field(key: "name") var name: String
    @Field(key: "status") var status: String
    /// JSON of `ShiftbridgeCore.Employee`.
    @Field(key: "data") var data: String
    /// Remembered across terminations: a rehire creates a new user, and this is replaced.
    @OptionalField(key: "pagerduty_user_id") var pagerDutyUserID: String?
    /// Terminated at some point: active again means rehire.
    @Field(key: "was_terminated") var wasTerminated: Bool
    @Field(key: "in_source") var inSource: Bool
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    var employee: Employee? { try? JSONDecoder().decode(Employee.self, from: Data(data.utf8)) }
}

/// An employee's record as one import changed it: the history per employee.
final class EmployeeChange: Model, @unchecked Sendable {
    static let schema = "employee_changes"

    @ID(key: .id) var id: UUID?
    @Field(key: "employee_id") var employeeID: String
    @Parent(key: "import_id") var importRecord: ProvisioningImport
    @Field(key: "status") var status: String
    @Field(key: "data") var data: String
    @Field(key: "recorded_at") var recordedAt: Date

    init() {}
}

/// A JSON document of provisioning configuration: the rules, or the settings.
final class ProvisioningDocument: Model, @unchecked Sendable {
    static let schema = "provisioning_documents"

    @ID(custom: "key", generatedBy: .user) var id: String?
    @Field(key: "json") var json: String
    @Field(key: "updated_by") var updatedBy: String
    @Field(key: "updated_at") var updatedAt: Date

    init() {}
}

/// One provisioning run: a plan, then (unless a dry run) its application.
final class ProvisioningRun: Model, @unchecked Sendable {
    static let schema = "provisioning_runs"

    enum Status: String, Codable, Sendable { case planned, pendingApproval = "pending_approval", running, completed, failed }

    @ID(key: .id) var id: UUID?
    @Field(key: "status") var status: String
    @Field(key: "dry_run") var dryRun: Bool
    @Field(key: "mode") var mode: String
    @Field(key: "created_by") var createdBy: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "finished_at") var finishedAt: Date?
    @OptionalField(key: "error") var error: String?
    @Field(key: "terminations_held") var terminationsHeld: Bool
    /// The PagerDuty user creates are made on behalf of (PagerDuty's `From` header).
    @OptionalField(key: "from_email") var fromEmail: String?

    init() {}
}

/// One employee's planned change in a run, persisted with its state before any request.
final class ProvisioningItem: Model, @unchecked Sendable {
    static let schema = "provisioning_items"

    enum State: String, Codable, Sendable, CaseIterable {
        case planned, pendingApproval = "pending_approval", approved, rejected, applying, done, failed, blocked, skipped
        case noChange = "no_change"
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "run_id") var run: ProvisioningRun
    @Field(key: "position") var position: Int
    @Field(key: "employee_id") var employeeID: String
    @Field(key: "email") var email: String
    @Field(key: "name") var name: String
    @Field(key: "action") var action: String
    @OptionalField(key: "stage") var stage: String?
    @Field(key: "state") var state: String
    @OptionalField(key: "reason") var reason: String?
    /// JSON of `ProvisioningPlanner.Item`: the before and after values.
    @Field(key: "plan") var plan: String
    /// What in PagerDuty stops a deletion, and what to do about it.
    @OptionalField(key: "blockers") var blockers: String?
    @OptionalField(key: "pagerduty_user_id") var pagerDutyUserID: String?
    @OptionalField(key: "error") var error: String?
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    var planned: ProvisioningPlanner.Item? { try? JSONDecoder().decode(ProvisioningPlanner.Item.self, from: Data(plan.utf8)) }
}
