import Vapor

/// The one error shape `/api/v1` answers with: `{"error":{"message":"…","code":"…"}}`.
struct APIError: AbortError, Sendable {
    let status: HTTPResponseStatus
    let code: String
    let message: String
    /// Every problem found, where there can be many (a rejected import, invalid rules).
    var problems: [ErrorBody.Problem]? = nil

    var reason: String { message }

    static func notFound(_ what: String) -> APIError {
        APIError(status: .notFound, code: "not_found", message: "\(what) was not found")
    }

    static func invalidField(_ field: String, _ problem: String) -> APIError {
        APIError(status: .unprocessableEntity, code: "invalid_field", message: "\(field): \(problem)")
    }

    static let unauthenticated = APIError(
        status: .unauthorized, code: "unauthenticated",
        message: "Sign in, or send 'Authorization: Bearer <token>' with a token from 'shiftbridge admin token'")

    static let forbidden = APIError(status: .forbidden, code: "forbidden", message: "Only administrators may do this")
}

struct ErrorBody: Content {
    struct Problem: Content, Equatable {
        /// The line of an imported file, where the problem has one.
        let line: Int?
        let message: String
    }
    struct Detail: Content {
        let message: String
        let code: String
        var problems: [Problem]? = nil
    }
    let error: Detail
}

extension APIError {
    /// Translates whatever a handler threw into the API error it means.
    static func from(_ error: any Error) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as AppError:
            return APIError(status: status(for: error.kind), code: error.code, message: error.message,
                            problems: error.problems?.map { .init(line: $0.line, message: $0.message) })
        case let error as DecodingError:
            return from(decoding: error)
        case let error as AbortError:
            return APIError(status: error.status, code: code(for: error.status), message: error.reason)
        default:
            return APIError(status: .internalServerError, code: "internal_error", message: "Something went wrong on our side; the details are in the server log")
        }
    }

    private static func from(decoding error: DecodingError) -> APIError {
        func path(_ context: DecodingError.Context, _ key: (any CodingKey)? = nil) -> String {
            let keys = context.codingPath + (key.map { [$0] } ?? [])
            return keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return APIError(status: .unprocessableEntity, code: "missing_field", message: "\(path(context, key)): this field is required")
        case .valueNotFound(let type, let context):
            return APIError(status: .unprocessableEntity, code: "invalid_field", message: "\(path(context)): expected \(describe(type)), got null")
        case .typeMismatch(let type, let context):
            return APIError(status: .unprocessableEntity, code: "invalid_field", message: "\(path(context)): expected \(describe(type))")
        case .dataCorrupted(let context) where !context.codingPath.isEmpty:
            return APIError(status: .unprocessableEntity, code: "invalid_field", message: "\(path(context)): \(context.debugDescription)")
        case .dataCorrupted:
            return APIError(status: .badRequest, code: "invalid_json", message: "The request body is not valid JSON")
        @unknown default:
            return APIError(status: .badRequest, code: "invalid_request", message: "The request body could not be read")
        }
    }

    /// The one place a kind of failure becomes an HTTP status.
    static func status(for kind: AppError.Kind) -> HTTPResponseStatus {
        switch kind {
        case .invalid: .unprocessableEntity
        case .conflict: .conflict
        case .notFound: .notFound
        case .forbidden: .forbidden
        case .unauthenticated: .unauthorized
        case .upstream: .badGateway
        case .unavailable: .serviceUnavailable
        case .rateLimited: .tooManyRequests
        case .tooLarge: .payloadTooLarge
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

    private static func code(for status: HTTPResponseStatus) -> String {
        switch status.code {
        case 400: "bad_request"
        case 401: "unauthenticated"
        case 403: "forbidden"
        case 404: "not_found"
        case 405: "method_not_allowed"
        case 409: "conflict"
        case 413: "payload_too_large"
        case 415: "unsupported_media_type"
        case 422: "invalid_field"
        case 429: "rate_limited"
        default: status.code >= 500 ? "internal_error" : "error"
        }
    }
}
