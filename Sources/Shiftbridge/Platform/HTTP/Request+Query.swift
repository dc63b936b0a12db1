import Foundation
import Vapor

/// Query parameters read strictly: a value that is not what the parameter takes is an error
/// naming it, never silently the default.
extension Request {
    func queryInteger(_ name: String, in range: ClosedRange<Int>? = nil) throws -> Int? {
        guard let raw = query[String.self, at: name] else { return nil }
        guard let value = Int(raw) else { throw AppError.invalidField(name, "expected a whole number, got '\(raw.prefix(40))'") }
        if let range, !range.contains(value) { throw AppError.invalidField(name, "must be from \(range.lowerBound) to \(range.upperBound)") }
        return value
    }

    func queryBool(_ name: String) throws -> Bool? {
        guard let raw = query[String.self, at: name] else { return nil }
        switch raw {
        case "true": return true
        case "false": return false
        default: throw AppError.invalidField(name, "expected true or false, got '\(raw.prefix(40))'")
        }
    }

    func queryDate(_ name: String) throws -> Date? {
        guard let raw = query[String.self, at: name] else { return nil }
        guard let date = ISO8601DateFormatter().date(from: raw) else {
            throw AppError.invalidField(name, "expected an ISO 8601 time such as 2026-12-01T09:00:00Z")
        }
        return date
    }

    func queryText(_ name: String, maxLength: Int = 200) throws -> String? {
        guard let raw = query[String.self, at: name] else { return nil }
        guard raw.unicodeScalars.count <= maxLength else { throw AppError.invalidField(name, "at most \(maxLength) characters") }
        return raw
    }

    /// One of a fixed set of values (a state, a kind): anything else names the ones it takes.
    func queryChoice<Choice: RawRepresentable & CaseIterable>(_ name: String, as type: Choice.Type = Choice.self) throws -> Choice? where Choice.RawValue == String {
        guard let raw = query[String.self, at: name] else { return nil }
        guard let value = Choice(rawValue: raw) else {
            throw AppError.invalidField(name, "expected one of \(Choice.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }
}
