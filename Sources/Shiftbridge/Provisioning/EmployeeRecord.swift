import Fluent
import Foundation
import ShiftbridgeCore

/// An employee as the latest import has them, and the PagerDuty user provisioned for them.
final class EmployeeRecord: Model, @unchecked Sendable {
    static let schema = "employees"

    @ID(key: .id) var id: UUID?
    @Field(key: "employee_id") var employeeID: String
    @Field(key: "email") var email: String
    @Field(key: "name") var name: String
    @Enum(key: "status") var status: EmploymentStatus
    /// JSON of `ShiftbridgeCore.Employee`.
    @Field(key: "data") var data: String
    /// Remembered across terminations: a rehire creates a new user, and this is replaced.
    @OptionalField(key: "pagerduty_user_id") var pagerDutyUserID: String?
    /// Terminated at some point: active again means rehire.
    @Field(key: "was_terminated") var wasTerminated: Bool
    @Field(key: "in_source") var inSource: Bool
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    var employee: Employee {
        get throws { try StoredJSON.decode(Employee.self, from: data, table: Self.schema, id: id, field: "data") }
    }
}
