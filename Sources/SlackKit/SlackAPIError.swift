import Foundation

/// Why a Slack call failed, in terms a caller can act on.
public enum SlackAPIError: Error, Sendable, Equatable {
    /// `{"ok": false, "error": code}`; `needed`/`provided` for `missing_scope`.
    case api(method: String, code: String, needed: String?, provided: String?)
    /// HTTP 429 that outlasted the retries (or asked for a longer wait than allowed).
    case rateLimited(method: String, retryAfter: TimeInterval)
    case server(method: String, status: Int)
    case transport(String)
    case malformedResponse(String)

    /// Slack's error code, when Slack answered with one.
    public var code: String? {
        if case .api(_, let code, _, _) = self { code } else { nil }
    }

    /// Slack may have acted although the call failed: the answer was lost (no connection, a
    /// timeout, an unreadable answer) or Slack said it failed on its side. A message after
    /// such an answer may be in the channel already.
    public var mayHaveBeenActedOn: Bool {
        switch self {
        case .transport, .malformedResponse: true
        case .server(_, let status): status >= 500 || status == 408
        case .api(_, let code, _, _): ["internal_error", "fatal_error", "service_unavailable", "request_timeout"].contains(code)
        case .rateLimited: false
        }
    }

    /// The credential itself is bad: reconnecting is the fix.
    public var isAuthenticationFailure: Bool {
        ["not_authed", "invalid_auth", "account_inactive", "token_revoked", "token_expired"].contains(code ?? "")
    }
}

extension SlackAPIError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .api(let method, let code, let needed, _):
            needed.map { "\(method): \(code) (needs \($0))" } ?? "\(method): \(code)"
        case .rateLimited(let method, let retryAfter): "\(method): rate limited, retry after \(Int(retryAfter)) s"
        case .server(let method, let status): "\(method): Slack answered HTTP \(status)"
        case .transport(let detail): "Slack could not be reached: \(detail)"
        case .malformedResponse(let detail): "Slack sent an unreadable answer: \(detail)"
        }
    }
}
