import Vapor

extension AppError.Kind {
    /// The one place a kind of failure becomes an HTTP status.
    var httpStatus: HTTPResponseStatus {
        switch self {
        case .malformed: .badRequest
        case .invalid: .unprocessableEntity
        case .conflict: .conflict
        case .notFound: .notFound
        case .forbidden: .forbidden
        case .unauthenticated: .unauthorized
        case .upstream: .badGateway
        case .unavailable: .serviceUnavailable
        case .rateLimited: .tooManyRequests
        case .tooLarge: .payloadTooLarge
        case .unsupportedMediaType: .unsupportedMediaType
        case .methodNotAllowed: .methodNotAllowed
        case .internal: .internalServerError
        }
    }
}

extension AppError {
    /// Whatever a handler threw, as the failure it means. Vapor's own errors (no route, a
    /// body too large) keep their status; anything unknown is ours, and says only that.
    static func answering(_ error: any Error) -> AppError {
        switch error {
        case let error as AppError:
            return error
        case let error as UnreadableRecord:
            return error.appError
        case let error as DecodingError:
            return AppError(decoding: error)
        case let error as any AbortError:
            let kind = kind(for: error.status)
            return AppError(kind, code: code(for: kind), kind == .internal ? internalMessage : error.reason)
        default:
            return AppError(.internal, code: "internal_error", internalMessage)
        }
    }

    private static let internalMessage = "Something went wrong on our side; the details are in the server log"

    private static func kind(for status: HTTPResponseStatus) -> Kind {
        switch status.code {
        case 400: .malformed
        case 401: .unauthenticated
        case 403: .forbidden
        case 404: .notFound
        case 405: .methodNotAllowed
        case 409: .conflict
        case 413: .tooLarge
        case 415: .unsupportedMediaType
        case 422: .invalid
        case 429: .rateLimited
        case 502: .upstream
        case 503: .unavailable
        default: status.code >= 500 ? .internal : .malformed
        }
    }

    private static func code(for kind: Kind) -> String {
        switch kind {
        case .malformed: "bad_request"
        case .invalid: "invalid_field"
        case .conflict: "conflict"
        case .notFound: "not_found"
        case .forbidden: "forbidden"
        case .unauthenticated: "unauthenticated"
        case .upstream: "upstream_error"
        case .unavailable: "unavailable"
        case .rateLimited: "rate_limited"
        case .tooLarge: "payload_too_large"
        case .unsupportedMediaType: "unsupported_media_type"
        case .methodNotAllowed: "method_not_allowed"
        case .internal: "internal_error"
        }
    }
}
