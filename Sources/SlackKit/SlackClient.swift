import Foundation
import HTTPTransport
import Logging

/// The Slack Web API client: bearer token, pacing under each method's tier, retries with
/// backoff and `Retry-After`, typed errors, and lists that are read whole or not at all.
public final class SlackClient: Sendable {
    public let configuration: SlackClientConfiguration
    let token: String?
    let transport: any HTTPTransport
    let pacer: SlackPacer
    let logger: Logger
    let sleep: @Sendable (TimeInterval) async throws -> Void

    /// `token` nil: calls that need none (`oauth.v2.access`). Clients of one workspace share
    /// a pacer by default; pass one to override.
    public init(token: String?, configuration: SlackClientConfiguration = SlackClientConfiguration(), transport: any HTTPTransport = AsyncHTTPClientTransport(),
                pacer: SlackPacer? = nil, logger: Logger = Logger(label: "slack"),
                sleep: @escaping @Sendable (TimeInterval) async throws -> Void = { try await Task.sleep(nanoseconds: UInt64(max(0, $0) * 1e9)) }) {
        self.token = token
        self.configuration = configuration
        self.transport = transport
        self.pacer = pacer ?? SlackPacer.shared(for: token ?? "anonymous")
        self.logger = logger
        self.sleep = sleep
    }

    /// An answer that said `ok: true`: its body and the scopes the token holds.
    public struct Answer: Sendable {
        public let body: Data
        public let scopes: Set<String>?
    }

    /// Calls `method` with form arguments. `idempotent: false` (a message) is never sent twice
    /// when Slack may already have acted: only a 429, which Slack did not act on, is retried.
    public func call(_ method: String, _ arguments: [(String, String)] = [], idempotent: Bool = true,
                     basicAuth: (String, String)? = nil) async throws -> Answer {
        let channel = arguments.first { $0.0 == "channel" }?.1
        let body = Data(Self.formEncoded(arguments).utf8)
        var attempt = 0
        var lastError = SlackAPIError.transport("no attempt made")
        while attempt < configuration.maxAttempts {
            attempt += 1
            try await pacer.acquire(method, channel: channel, ledger: configuration.ledger, ledgerKey: configuration.ledgerKey)
            var headers = [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"), ("User-Agent", configuration.userAgent)]
            if let token { headers.append(("Authorization", "Bearer \(token)")) }
            if let (user, password) = basicAuth {
                headers.append(("Authorization", "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()))
            }
            let response: TransportResponse
            do {
                response = try await transport.send(TransportRequest(method: "POST", url: configuration.baseURL + method, headers: headers, body: body,
                                                                     timeout: configuration.timeout, maxResponseBytes: configuration.maxResponseBytes))
            } catch TransportError.responseTooLarge(let limit) {
                throw SlackAPIError.transport("the answer to \(method) exceeded \(limit) bytes")
            } catch {
                lastError = .transport("\(method): \(error)")
                guard idempotent else { throw lastError }
                logger.warning("Slack call failed", metadata: ["method": "\(method)", "attempt": "\(attempt)", "error": "\(error)"])
                try await backOff(attempt)
                continue
            }
            switch response.status {
            case 200:
                guard let envelope = try? JSONDecoder().decode(Envelope.self, from: response.body) else {
                    lastError = .malformedResponse("\(method): not a Slack answer")
                    guard idempotent else { throw lastError }
                    try await backOff(attempt)
                    continue
                }
                let scopes = response.headers["x-oauth-scopes"].map { Set($0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }) }
                guard envelope.ok else {
                    let code = envelope.error ?? "unknown_error"
                    if ["internal_error", "fatal_error", "service_unavailable", "request_timeout"].contains(code), idempotent {
                        lastError = .api(method: method, code: code, needed: nil, provided: nil)
                        try await backOff(attempt)
                        continue
                    }
                    throw SlackAPIError.api(method: method, code: code, needed: envelope.needed, provided: envelope.provided)
                }
                return Answer(body: response.body, scopes: scopes)
            case 429:
                let wait = response.headers["retry-after"].flatMap(Double.init) ?? backoffDelay(attempt)
                lastError = .rateLimited(method: method, retryAfter: wait)
                await pacer.pause(method, channel: channel, for: wait)
                guard wait <= configuration.maxRetryAfter else { throw lastError }
                logger.notice("Slack rate limit reached; waiting", metadata: ["method": "\(method)", "seconds": "\(wait)"])
            default:
                lastError = .server(method: method, status: response.status)
                guard idempotent, response.status >= 500 || response.status == 408 else { throw lastError }
                try await backOff(attempt)
            }
        }
        throw lastError
    }

    /// Exponential backoff with jitter: half to all of base·2ⁿ, capped.
    func backoffDelay(_ attempt: Int) -> TimeInterval {
        let ceiling = min(configuration.maxBackoff, configuration.baseBackoff * pow(2, Double(attempt - 1)))
        return Double.random(in: (ceiling / 2)...ceiling)
    }

    private func backOff(_ attempt: Int) async throws {
        guard attempt < configuration.maxAttempts else { return }
        try await sleep(backoffDelay(attempt))
    }

    static func formEncoded(_ arguments: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return arguments.map { "\($0.0.addingPercentEncoding(withAllowedCharacters: allowed)!)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }
            .joined(separator: "&")
    }

    struct Envelope: Decodable {
        let ok: Bool
        let error: String?
        let needed: String?
        let provided: String?
    }

    /// Decodes an answer's body as `T`.
    func decode<T: Decodable>(_ type: T.Type, _ answer: Answer, _ method: String) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: answer.body)
        } catch {
            throw SlackAPIError.malformedResponse("\(method): \(error)")
        }
    }
}
