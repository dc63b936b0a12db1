import Fluent
import Foundation
import ShiftbridgeCore

/// An employee's record as one import changed it: the history per employee.
final class EmployeeChange: Model, @unchecked Sendable {
    static let schema = "employee_changes"

    @ID(key: .id) var id: UUID?
    @Field(key: "employee_id") var employeeID: String
    @Parent(key: "import_id") var importRecord: ProvisioningImport
    @Enum(key: "status") var status: EmploymentStatus
    @Field(key: "data") var data: String
    @Field(key: "recorded_at") var recordedAt: Date

    init() {}

    var employee: Employee {
        get throws { try StoredJSON.decode(Employee.self, from: data, table: Self.schema, id: id, field: "data") }
    }
}
