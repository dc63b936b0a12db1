import Foundation
import Logging

public struct PagerDutyClientConfiguration: Sendable {
    /// `https://api.pagerduty.com`, `https://api.eu.pagerduty.com`, or any stand-in.
    public var baseURL: String
    /// Deadline for one request, answer included.
    public var timeout: TimeInterval = 30
    public var maxResponseBytes = 16 << 20
    /// Tries per request, the first included, for 429, 5xx, 408 and transport failures.
    public var maxAttempts = 6
    public var baseBackoff: TimeInterval = 0.5
    public var maxBackoff: TimeInterval = 30
    /// The email PagerDuty requires in `From` when an account key creates users.
    public var fromEmail: String?
    public var userAgent = "Shiftbridge (+https://github.com/shiftbridge)"
    /// What this client's requests are for: the credential's budget serves urgent ones first.
    public var priority = RequestPriority.sync
    /// Where the credential's requests are counted across processes; nil: this process only.
    public var ledger: (any RequestLedger)?

    public init(baseURL: String, fromEmail: String? = nil) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.fromEmail = fromEmail
    }

    public init(region: PagerDutyRegion, fromEmail: String? = nil) {
        self.init(baseURL: region.apiBaseURL, fromEmail: fromEmail)
    }
}

/// The PagerDuty REST API v2 client: authentication, pacing under the rate limit, retries
/// with backoff, typed errors, and pagination that never returns a partial list.
public final class PagerDutyClient: Sendable {
    public let configuration: PagerDutyClientConfiguration
    let credential: PagerDutyCredential
    let transport: any HTTPTransport
    let pacer: RequestPacer
    let logger: Logger
    let sleep: @Sendable (TimeInterval) async throws -> Void

    /// By default clients with the same credential share one pacer; pass one to override.
    public init(credential: PagerDutyCredential, configuration: PagerDutyClientConfiguration,
                transport: any HTTPTransport = AsyncHTTPClientTransport(), pacer: RequestPacer? = nil,
                logger: Logger = Logger(label: "pagerduty"),
                sleep: @escaping @Sendable (TimeInterval) async throws -> Void = { try await Task.sleep(nanoseconds: UInt64(max(0, $0) * 1e9)) }) {
        self.credential = credential
        self.configuration = configuration
        self.transport = transport
        self.pacer = pacer ?? RequestPacer.shared(for: credential)
        self.logger = logger
        self.sleep = sleep
    }

    /// Sends one request and decodes its body, retrying what PagerDuty says may be retried.
    /// A GET whose 2xx body cannot be read is retried too; a write's is not (it may have happened).
    func send<T: Sendable>(_ method: String, _ path: String, query: [(String, String)] = [], body: Data? = nil,
                           headers extra: [(String, String)] = [], decode: @Sendable (Data) throws -> T) async throws -> T {
        let url = configuration.baseURL + path + Self.queryString(query)
        var attempt = 0
        var refreshedAfter401 = false
        var lastError: PagerDutyError = .transport("no attempt made")
        while attempt < configuration.maxAttempts {
            attempt += 1
            try await pacer.acquire(priority: configuration.priority, ledger: configuration.ledger, key: credential.pacingKey)
            var headers: [(String, String)] = [
                ("Accept", "application/vnd.pagerduty+json;version=2"),
                ("User-Agent", configuration.userAgent),
            ]
            let token: String
            switch credential {
            case .apiKey(let key):
                token = key
                headers.append(("Authorization", "Token token=\(key)"))
            case .oauth(let provider):
                token = try await provider.accessToken()
                headers.append(("Authorization", "Bearer \(token)"))
            }
            if body != nil { headers.append(("Content-Type", "application/json")) }
            headers += extra

            let response: TransportResponse
            do {
                response = try await transport.send(TransportRequest(method: method, url: url, headers: headers, body: body,
                                                                     timeout: configuration.timeout, maxResponseBytes: configuration.maxResponseBytes))
            } catch TransportError.responseTooLarge(let limit) {
                throw PagerDutyError.transport("the response to \(method) \(path) exceeded \(limit) bytes")
            } catch {
                lastError = .transport("\(method) \(path): \(error)")
                logger.warning("PagerDuty request failed", metadata: ["method": "\(method)", "path": "\(path)", "attempt": "\(attempt)", "error": "\(error)"])
                try await backOff(attempt)
                continue
            }

            await pacer.observe(remaining: response.headers["ratelimit-remaining"].flatMap(Int.init),
                                resetSeconds: response.headers["ratelimit-reset"].flatMap(Double.init))
            switch response.status {
            case 200..<300:
                do {
                    return try decode(response.body)
                } catch {
                    lastError = .malformedResponse("\(method) \(path): \(error)")
                    guard method == "GET" else { throw lastError }
                    logger.warning("PagerDuty sent an unreadable body; retrying", metadata: ["path": "\(path)", "attempt": "\(attempt)"])
                    try await backOff(attempt)
                }
            case 401:
                guard case .oauth(let provider) = credential, !refreshedAfter401 else {
                    throw PagerDutyError.from(status: 401, body: response.body, headers: response.headers)
                }
                refreshedAfter401 = true
                attempt -= 1  // the refresh is not a failed try
                _ = try await provider.accessToken(afterRejecting: token)
            case 429:
                let reset = response.headers["ratelimit-reset"].flatMap(Double.init)
                lastError = .rateLimited(retryAfter: reset)
                let wait = reset ?? backoffDelay(attempt)
                logger.notice("PagerDuty rate limit reached; waiting", metadata: ["path": "\(path)", "seconds": "\(wait)"])
                await pacer.pause(for: wait)
            case 408, 500...599:
                lastError = PagerDutyError.from(status: response.status, body: response.body, headers: response.headers)
                logger.warning("PagerDuty server error; retrying", metadata: ["path": "\(path)", "status": "\(response.status)", "attempt": "\(attempt)"])
                try await backOff(attempt)
            default:
                throw PagerDutyError.from(status: response.status, body: response.body, headers: response.headers)
            }
        }
        throw lastError
    }

    /// Requests this client's credential sent in the last minute (in this process), by purpose.
    public func requestsInLastMinute() async -> (total: Int, byPurpose: [String: Int], limit: Int) {
        let usage = await pacer.lastMinute()
        return (usage.total, usage.byPurpose, pacer.requestsPerMinute)
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

    static func queryString(_ query: [(String, String)]) -> String {
        guard !query.isEmpty else { return "" }
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~[]")
        return "?" + query.map { "\($0.0.addingPercentEncoding(withAllowedCharacters: allowed)!)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed.subtracting(CharacterSet(charactersIn: "[]")))!)" }
            .joined(separator: "&")
    }

    // MARK: Decoding helpers

    static let decoder = JSONDecoder()

    /// Decodes `{"<key>": T}`.
    static func unwrap<T: Decodable & Sendable>(_ key: String, _ type: T.Type) -> @Sendable (Data) throws -> T {
        { data in
            let container = try decoder.decode(Envelope<T>.self, from: data)
            guard let value = container.value(key) else { throw PagerDutyError.malformedResponse("no '\(key)' in the response") }
            return value
        }
    }

    struct Envelope<T: Decodable>: Decodable {
        let values: [String: T]
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: AnyKey.self)
            var values: [String: T] = [:]
            for key in c.allKeys {
                if let value = try? c.decode(T.self, forKey: key) { values[key.stringValue] = value }
            }
            self.values = values
        }
        func value(_ key: String) -> T? { values[key] }
    }

    static let ignoreBody: @Sendable (Data) throws -> Void = { _ in }
}
