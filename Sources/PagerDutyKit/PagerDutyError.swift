import Foundation

/// Everything a PagerDuty call can fail with, in cases a caller can act on.
public enum PagerDutyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 401: the key is wrong, revoked, or meant for another region; or the OAuth token is dead.
    case unauthorized(message: String)
    /// 403: a read-only key, a missing permission, or OAuth scopes not granted.
    case forbidden(message: String, requiredScopes: [String])
    /// 402: the account lacks an ability (plan feature).
    case paymentRequired(message: String)
    case notFound(message: String)
    /// 400/422: PagerDuty refused the input; `errors` holds its messages.
    case invalidInput(message: String, code: Int?, errors: [String])
    /// 429 after the retry budget was spent.
    case rateLimited(retryAfter: TimeInterval?)
    /// 5xx (or 408) after the retry budget was spent.
    case server(status: Int, message: String)
    /// No usable HTTP answer: connection refused, deadline passed, response too large.
    case transport(String)
    /// A 2xx answer whose body was not what PagerDuty sends.
    case malformedResponse(String)
    /// Classic pagination stops at offset 10,000; the list is longer than PagerDuty will page.
    case paginationLimitReached(path: String, fetched: Int)
    /// The OAuth identity service refused a grant (`invalid_grant` means: reconnect).
    case oauth(error: String, description: String)
    case unexpectedStatus(Int, message: String)

    /// PagerDuty did not answer usefully (down, unreachable, overloaded, garbled): a reason
    /// to wait before asking again, not to change anything.
    public var isOutage: Bool {
        switch self {
        case .server, .transport, .malformedResponse, .rateLimited: true
        default: false
        }
    }

    public var description: String {
        switch self {
        case .unauthorized(let message): "PagerDuty rejected the credentials (401): \(message)"
        case .forbidden(let message, let scopes):
            scopes.isEmpty ? "PagerDuty refused the request (403): \(message)"
                : "PagerDuty refused the request (403): \(message); missing scopes: \(scopes.joined(separator: ", "))"
        case .paymentRequired(let message): "The PagerDuty account lacks a required ability (402): \(message)"
        case .notFound(let message): "Not found in PagerDuty (404): \(message)"
        case .invalidInput(let message, _, let errors): "PagerDuty refused the input: \(([message] + errors).joined(separator: "; "))"
        case .rateLimited(let wait): "PagerDuty's rate limit is still exceeded" + (wait.map { "; retry in \(Int($0)) s" } ?? "")
        case .server(let status, let message): "PagerDuty failed (\(status)): \(message)"
        case .transport(let detail): "Could not reach PagerDuty: \(detail)"
        case .malformedResponse(let detail): "PagerDuty sent a response that could not be read: \(detail)"
        case .paginationLimitReached(let path, let fetched):
            "\(path) has more than 10,000 results; PagerDuty's offset pagination stops at \(fetched). Narrow the query."
        case .oauth(let error, let description): "PagerDuty's OAuth service refused: \(error) (\(description))"
        case .unexpectedStatus(let status, let message): "Unexpected status \(status) from PagerDuty: \(message)"
        }
    }

    /// Whether trying the same request again may succeed.
    public var isRetryable: Bool {
        switch self {
        case .rateLimited, .server, .transport, .malformedResponse: true
        default: false
        }
    }

    /// Builds the error for a non-2xx response, from either body shape or none at all.
    static func from(status: Int, body: Data, headers: [String: String]) -> PagerDutyError {
        let parsed = ErrorBody.parse(body)
        let message = parsed.message ?? HTTPStatusText.text(for: status)
        switch status {
        case 400, 422: return .invalidInput(message: message, code: parsed.code, errors: parsed.errors)
        case 401: return .unauthorized(message: message)
        case 402: return .paymentRequired(message: message)
        case 403: return .forbidden(message: message, requiredScopes: parsed.requiredScopes)
        case 404: return .notFound(message: message)
        case 408: return .server(status: status, message: message)
        case 429: return .rateLimited(retryAfter: headers["ratelimit-reset"].flatMap(TimeInterval.init))
        case 500...599: return .server(status: status, message: message)
        default: return .unexpectedStatus(status, message: message)
        }
    }
}

/// PagerDuty's error bodies: `{"error":{"message","code","errors":[…] or {field:[…]}}}`,
/// sometimes with `required_scopes`, sometimes not JSON at all.
struct ErrorBody {
    var message: String?
    var code: Int?
    var errors: [String] = []
    var requiredScopes: [String] = []

    static func parse(_ data: Data) -> ErrorBody {
        var result = ErrorBody()
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            let text = String(decoding: data.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            result.message = text.isEmpty || text.hasPrefix("<") ? nil : text
            return result
        }
        let error = object["error"] as? [String: Any] ?? object
        result.message = error["message"] as? String ?? (object["error"] as? String) ?? (object["error_description"] as? String)
        result.code = (error["code"] as? Int) ?? (error["code"] as? String).flatMap(Int.init)
        if let list = error["errors"] as? [Any] {
            result.errors = list.map { "\($0)" }
        } else if let fields = error["errors"] as? [String: Any] {
            result.errors = fields.sorted { $0.key < $1.key }.flatMap { key, value -> [String] in
                ((value as? [Any]) ?? [value]).map { "\(key) \($0)" }
            }
        }
        result.requiredScopes = (error["required_scopes"] as? [String]) ?? (object["required_scopes"] as? [String]) ?? []
        return result
    }
}

enum HTTPStatusText {
    static func text(for status: Int) -> String {
        switch status {
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 402: "Payment Required"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 408: "Request Timeout"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: "HTTP \(status)"
        }
    }
}
