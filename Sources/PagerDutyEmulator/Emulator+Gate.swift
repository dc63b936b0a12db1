import EmulatorSupport
import Foundation
import Vapor

/// Who is calling: an account API key or an OAuth token.
struct Caller: Sendable {
    enum Kind: Sendable {
        case apiKey(readOnly: Bool)
        case oauth(scopes: Set<String>, userID: String?)
    }
    let kind: Kind
    let label: String

    var userID: String? { if case .oauth(_, let user) = kind { user } else { nil } }
}

/// A PagerDuty error response: `{"error":{"message","code","errors"}}`.
struct PDError: Error, Sendable {
    let status: HTTPResponseStatus
    let code: Int
    let message: String
    var errors: [String] = []
    var extra: [String: JSON] = [:]

    static func invalid(_ errors: [String]) -> PDError {
        PDError(status: .badRequest, code: 2001, message: "Invalid Input Provided", errors: errors)
    }
    static func notFound(_ what: String = "Not Found") -> PDError {
        PDError(status: .notFound, code: 2100, message: what)
    }
    static let authenticationFailed = PDError(status: .unauthorized, code: 2006, message: "Authentication failed")
    static let readOnly = PDError(status: .forbidden, code: 2010, message: "Access Denied",
                                  errors: ["This key is read-only; it cannot perform writes."])

    var response: Response {
        var error: [String: JSON] = ["message": .string(message), "code": .int(code)]
        if !errors.isEmpty { error["errors"] = .array(errors.map(JSON.string)) }
        error.merge(extra) { _, new in new }
        return Response.pd(status, ["error": .object(error)])
    }
}

extension Response {
    static func pd(_ status: HTTPResponseStatus = .ok, _ body: JSON) -> Response {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "application/json; charset=utf-8")
        return Response(status: status, headers: headers, body: .init(data: body.encoded()))
    }
}

extension Request {
    var caller: Caller {
        get { storage[CallerKey.self]! }
        set { storage[CallerKey.self] = newValue }
    }
    private struct CallerKey: StorageKey { typealias Value = Caller }

    /// Query parameters, with PagerDuty's repeated `key[]=a&key[]=b` sets kept whole.
    var pdQuery: PDQuery { PDQuery(url.query ?? "") }
}

struct PDQuery {
    private var values: [String: [String]] = [:]

    init(_ query: String) {
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
            }
            guard let key = parts.first else { continue }
            let name = key.hasSuffix("[]") ? String(key.dropLast(2)) : key
            values[name, default: []].append(parts.count > 1 ? parts[1] : "")
        }
    }

    subscript(_ name: String) -> String? { values[name]?.last }
    func all(_ name: String) -> [String] { values[name] ?? [] }

    func bool(_ name: String) -> Bool { self[name].map { $0 == "true" || $0 == "1" } ?? false }

    func date(_ name: String) throws -> Date? {
        guard let raw = self[name], !raw.isEmpty else { return nil }
        guard let date = PDTime.parse(raw) else { throw PDError.invalid(["\(name) is not a valid date: \(raw)"]) }
        return date
    }

    func int(_ name: String) throws -> Int? {
        guard let raw = self[name], !raw.isEmpty else { return nil }
        guard let value = Int(raw) else { throw PDError(status: .badRequest, code: 2001, message: "Invalid Input Provided", errors: ["\(name) must be an integer"]) }
        return value
    }
}

/// Route metadata: the OAuth scope PagerDuty's spec names for the operation (`x-pd-requires-scope`).
extension Route {
    var pdScope: String? { userInfo["pd.scope"] as? String }

    /// `/users/{id}`: the route's pattern, as stats and the scope table name it.
    var pdPattern: String {
        "/" + path.map { component in
            switch component {
            case .parameter(let name): "{\(name)}"
            default: component.description
            }
        }.joined(separator: "/")
    }
}

/// Every REST request passes here: faults, authentication, rate limit, scopes, read-only
/// keys, and statistics, in the order PagerDuty's edge applies them.
struct PagerDutyGate: AsyncMiddleware {
    let state: EmulatorState
    static let injectedHeader = "x-emulator-injected"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let pattern = request.route?.pdPattern ?? request.url.path
        var credentialLabel: String?
        let response: Response
        do {
            let caller = try authenticate(request)
            credentialLabel = caller.label
            request.caller = caller
            let limit = rateLimit(caller.label)
            if limit.exceeded {
                response = PDError(status: .tooManyRequests, code: 2020, message: "Rate Limit Exceeded").response
                apply(limit, to: response)
            } else {
                try authorize(request, caller: caller)
                response = try await withFaults(request, pattern: pattern) {
                    do { return try await next.respond(to: request) } catch let error as PDError { return error.response }
                }
                // An injected burst 429 comes bare, as PagerDuty's sometimes do.
                if response.headers.first(name: Self.injectedHeader) == nil {
                    apply(limit, to: response)
                }
                response.headers.remove(name: Self.injectedHeader)
            }
        } catch let error as PDError {
            response = error.response
        }
        state.withStorage { $0.stats.record(path: pattern, method: request.method.rawValue, status: Int(response.status.code), credential: credentialLabel) }
        return response
    }

    private func authenticate(_ request: Request) throws -> Caller {
        guard let header = request.headers.first(name: .authorization) else { throw PDError.authenticationFailed }
        let now = state.now
        return try state.withStorage { storage in
            if header.hasPrefix("Token token=") {
                let key = String(header.dropFirst("Token token=".count))
                guard let record = storage.apiKeys[key] else { throw PDError.authenticationFailed }
                return Caller(kind: .apiKey(readOnly: record.readOnly), label: record.label)
            }
            if header.hasPrefix("Bearer ") {
                let token = String(header.dropFirst("Bearer ".count))
                guard let record = storage.accessTokens[token], record.expiresAt > now else { throw PDError.authenticationFailed }
                let label = record.userID.map { "oauth:\(record.clientID.prefix(8)):\($0)" } ?? "oauth-app:\(record.clientID.prefix(8))"
                return Caller(kind: .oauth(scopes: Set(record.scopes), userID: record.userID), label: label)
            }
            throw PDError.authenticationFailed
        }
    }

    private func authorize(_ request: Request, caller: Caller) throws {
        let isWrite = request.method != .GET && request.method != .HEAD
        switch caller.kind {
        case .apiKey(let readOnly):
            if readOnly && isWrite { throw PDError.readOnly }
        case .oauth(let scopes, _):
            guard let required = request.route?.pdScope else { return }
            let (resource, _) = required.split(separator: ".").map(String.init).pair
            // A `.write` scope also grants reading, as PagerDuty's scope model does.
            let granted = scopes.contains(required) || (required.hasSuffix(".read") && scopes.contains("\(resource).write"))
            if !granted {
                throw PDError(status: .forbidden, code: 2010, message: "Token missing required scopes",
                              extra: ["required_scopes": [.string(required)]])
            }
        }
    }

    struct Limit { let exceeded: Bool; let remaining: Int; let reset: Int; let limit: Int }

    private func rateLimit(_ label: String) -> Limit {
        let limit = state.rateLimitPerMinute
        let window = state.rateLimitWindow
        let now = Date()
        return state.withStorage { storage in
            var current = storage.rateWindows[label] ?? RateWindow(start: now, count: 0)
            if now.timeIntervalSince(current.start) >= window { current = RateWindow(start: now, count: 0) }
            let reset = max(1, Int((window - now.timeIntervalSince(current.start)).rounded(.up)))
            if current.count >= limit {
                storage.rateWindows[label] = current
                return Limit(exceeded: true, remaining: 0, reset: reset, limit: limit)
            }
            current.count += 1
            storage.rateWindows[label] = current
            return Limit(exceeded: false, remaining: limit - current.count, reset: reset, limit: limit)
        }
    }

    private func apply(_ limit: Limit, to response: Response) {
        response.headers.replaceOrAdd(name: "ratelimit-limit", value: "\(limit.limit)")
        response.headers.replaceOrAdd(name: "ratelimit-remaining", value: "\(limit.remaining)")
        response.headers.replaceOrAdd(name: "ratelimit-reset", value: "\(limit.reset)")
    }

    private func withFaults(_ request: Request, pattern: String, _ handle: () async throws -> Response) async throws -> Response {
        let fault: (FaultPlan.Kind, FaultPlan)? = state.withStorage { storage in
            guard let plan = storage.faults, plan.applies(to: request.url.path, method: request.method.rawValue),
                  let kind = plan.draw(&storage.random) else { return nil }
            return (kind, plan)
        }
        guard let (kind, plan) = fault else { return try await handle() }
        if plan.after { _ = try await handle() }
        switch kind {
        case .tooManyRequests:
            let response = PDError(status: .tooManyRequests, code: 2020, message: "Rate Limit Exceeded").response
            response.headers.replaceOrAdd(name: Self.injectedHeader, value: "1")
            return response
        case .serverError:
            return PDError(status: .internalServerError, code: 2000, message: "Internal Server Error").response
        case .timeout:
            try await Task.sleep(nanoseconds: UInt64(plan.timeoutSeconds * 1_000_000_000))
            return Response(status: .gatewayTimeout, body: .init(string: "<html><body>504 Gateway Time-out</body></html>"))
        case .malformed:
            var headers = HTTPHeaders()
            headers.replaceOrAdd(name: .contentType, value: "application/json; charset=utf-8")
            return Response(status: .ok, headers: headers, body: .init(string: #"{"users":[{"id":"PX"#))
        }
    }
}

extension Array where Element == String {
    var pair: (String, String) { (first ?? "", count > 1 ? self[1] : "") }
}
