import Foundation

/// A stored row the code cannot read (a JSON column that does not decode, a value no case
/// names). It is never reinterpreted as a default: its API answers 500 `unreadable_record`
/// naming the table and id, lists mark it, the Overview lists it under Needs attention, and
/// jobs skip it.
struct UnreadableRecord: Error, Equatable, Sendable, CustomStringConvertible {
    let table: String
    let id: String
    let field: String
    let reason: String

    var description: String { "The \(table) record \(id) cannot be read (\(field): \(reason)); it was left as it is. Restore it from a backup or delete it." }

    /// The answer the API gives.
    var appError: AppError { AppError(.internal, code: "unreadable_record", description) }
}
