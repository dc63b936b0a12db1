import ShiftbridgeCore

/// An employee the latest imports name, with what earlier runs remembered about them.
struct CurrentEmployee: Sendable {
    let employee: Employee
    let pagerDutyUserID: String?
    let wasTerminated: Bool
}
