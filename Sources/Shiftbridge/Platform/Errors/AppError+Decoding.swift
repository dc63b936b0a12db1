import Foundation

extension AppError {
    /// A request body that did not decode, as the field to fix and what it should hold.
    init(decoding error: DecodingError) {
        func path(_ context: DecodingError.Context, _ key: (any CodingKey)? = nil) -> String {
            let keys = context.codingPath + (key.map { [$0] } ?? [])
            return keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            self.init(.invalid, code: "missing_field", "\(path(context, key)): this field is required")
        case .valueNotFound(let type, let context):
            self.init(.invalid, code: "invalid_field", "\(path(context)): expected \(Self.describe(type)), got null")
        case .typeMismatch(let type, let context):
            self.init(.invalid, code: "invalid_field", "\(path(context)): expected \(Self.describe(type))")
        case .dataCorrupted(let context) where !context.codingPath.isEmpty:
            self.init(.invalid, code: "invalid_field", "\(path(context)): \(context.debugDescription)")
        case .dataCorrupted:
            self.init(.malformed, code: "invalid_json", "The request body is not valid JSON")
        @unknown default:
            self.init(.malformed, code: "invalid_request", "The request body could not be read")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Int.Type, is Double.Type: "a number"
        default: "a \(type)"
        }
    }
}
