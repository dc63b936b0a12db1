import EmulatorSupport
import Foundation

/// One employee record as BambooHR keeps it (the fields its custom reports can name).
public struct BambooEmployee: Sendable, Equatable {
    public var id: Int
    public var fields: [String: String]
    public var changedAt: Date

    /// The value of a report field; BambooHR writes "0000-00-00" for a date never set.
    func value(_ field: String) -> JSON {
        if field == "id" { return .string(String(id)) }
        if let value = fields[field] { return .string(value) }
        return field.hasSuffix("Date") ? .string("0000-00-00") : .null
    }
}
