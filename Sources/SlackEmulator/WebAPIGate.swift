import EmulatorSupport
import Foundation
import Vapor

/// Serves `/api/<method>`: arguments, faults, authentication, the method's tier limit,
/// scopes, then the handler, in the order Slack's edge applies them. Every answer is HTTP
/// 200 with `ok` except rate limits (429 + `Retry-After`) and injected server faults.
struct WebAPIGate: Sendable {
    let workspace: SlackWorkspace

    func register(_ app: Application) {
        app.on(.GET, "api", ":method") { req in try await respond(req) }
        app.on(.POST, "api", ":method", body: .collect(maxSize: "1mb")) { req in try await respond(req) }
    }

    func respond(_ req: Request) async throws -> Response {
        let name = req.parameters.get("method") ?? ""
        guard let method = WebAPI.methods[name] else { return Self.answer(SlackError("unknown_method").body) }
        let call: MethodCall
        do {
            call = try arguments(req)
        } catch let error as SlackError {
            return Self.answer(error.body)
        }
        let fault: (FaultPlan.Kind, FaultPlan)? = workspace.withStorage { storage in
            guard let plan = storage.faults, plan.applies(to: name, method: req.method.rawValue), let kind = plan.draw(&storage.random) else { return nil }
            return (kind, plan)
        }
        if let (kind, plan) = fault, !plan.after {
            workspace.withStorage { $0.stats.record(method: name, error: "fault:\(kind.rawValue)") }
            return try await Self.injected(kind, plan: plan)
        }
        var grantedScopes: String?
        let outcome: Result<JSON, SlackError> = workspace.withStorage { storage in
            do throws(SlackError) {
                let token = try authenticate(call, storage: &storage, method: method)
                var call = call
                call.token = token
                grantedScopes = token.map { $0.scopes.sorted().joined(separator: ",") }
                try limit(method, call: call, storage: &storage)
                if let scope = method.scope { try call.requireScope(scope) }
                return .success(try method.handle(&storage, call))
            } catch {
                return .failure(error)
            }
        }
        workspace.withStorage { storage in
            if case .failure(let error) = outcome { storage.stats.record(method: name, error: error.code) } else { storage.stats.record(method: name, error: nil) }
        }
        if let (kind, plan) = fault, plan.after { return try await Self.injected(kind, plan: plan) }
        let response: Response
        switch outcome {
        case .success(let body): response = Self.answer(body)
        case .failure(let error):
            response = Self.answer(error.body, status: HTTPResponseStatus(statusCode: Int(error.status)))
            if let retryAfter = error.retryAfter { response.headers.replaceOrAdd(name: "Retry-After", value: "\(retryAfter)") }
        }
        // As Slack does: every answer to a token names the scopes it was granted.
        if let grantedScopes { response.headers.replaceOrAdd(name: "x-oauth-scopes", value: grantedScopes) }
        return response
    }

    /// Query string, then a form or JSON body; JSON arrays become Slack's comma lists.
    private func arguments(_ req: Request) throws -> MethodCall {
        var arguments = FormArguments.parse(req.url.query ?? "")
        if let buffer = req.body.data, buffer.readableBytes > 0 {
            let data = Data(buffer.readableBytesView)
            if req.headers.contentType?.subType == "json" {
                guard case .object(let object)? = JSON.parse(data) else { throw SlackError("invalid_json") }
                for (key, value) in object { arguments[key] = FormArguments.text(value) }
            } else {
                arguments.merge(FormArguments.parse(String(decoding: data, as: UTF8.self))) { _, body in body }
            }
        }
        var basic: (String, String)?
        if let auth = req.headers.basicAuthorization { basic = (auth.username, auth.password) }
        var call = MethodCall(arguments: arguments, token: nil, basicAuth: basic)
        if let bearer = req.headers.bearerAuthorization?.token { call.arguments["token"] = bearer }
        return call
    }

    private func authenticate(_ call: MethodCall, storage: inout SlackWorkspace.Storage, method: WebMethod) throws(SlackError) -> TokenRecord? {
        guard method.needsToken else { return nil }
        guard let presented = call["token"] else { throw SlackError("not_authed") }
        guard let token = storage.tokens[presented] else { throw SlackError("invalid_auth") }
        guard !token.revoked else { throw SlackError("token_revoked") }
        if let expiresAt = token.expiresAt, expiresAt <= storage.clock.now() { throw SlackError("token_expired") }
        return token
    }

    /// Fixed windows per app and method (and per channel for `chat.postMessage`), as Slack counts.
    private func limit(_ method: WebMethod, call: MethodCall, storage: inout SlackWorkspace.Storage) throws(SlackError) {
        guard let perMinute = method.tier.perMinute else { return }
        let window = storage.settings.rateWindowSeconds
        let allowed = max(1, Int((Double(perMinute) * window / 60).rounded()))
        let key = [call.token?.appID ?? "", method.name, method.tier == .perChannel ? (call["channel"] ?? "") : ""].joined(separator: "|")
        let now = Date()
        var current = storage.rateWindows[key] ?? RateWindow(start: now, count: 0)
        if now.timeIntervalSince(current.start) >= window { current = RateWindow(start: now, count: 0) }
        guard current.count < allowed else {
            var error = SlackError("ratelimited")
            error.status = 429
            error.retryAfter = max(1, Int((window - now.timeIntervalSince(current.start)).rounded(.up)))
            throw error
        }
        current.count += 1
        storage.rateWindows[key] = current
    }

    static func answer(_ body: JSON, status: HTTPResponseStatus = .ok) -> Response {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "application/json; charset=utf-8")
        return Response(status: status, headers: headers, body: .init(data: body.encoded()))
    }

    private static func injected(_ kind: FaultPlan.Kind, plan: FaultPlan) async throws -> Response {
        switch kind {
        case .tooManyRequests:
            let response = answer(SlackError("ratelimited").body, status: .tooManyRequests)
            response.headers.replaceOrAdd(name: "Retry-After", value: "1")
            return response
        case .serverError:
            return answer(SlackError("internal_error").body, status: .internalServerError)
        case .timeout:
            try await Task.sleep(nanoseconds: UInt64(plan.timeoutSeconds * 1_000_000_000))
            return Response(status: .gatewayTimeout, body: .init(string: "<html><body>504 Gateway Time-out</body></html>"))
        case .malformed:
            var headers = HTTPHeaders()
            headers.replaceOrAdd(name: .contentType, value: "application/json; charset=utf-8")
            return Response(status: .ok, headers: headers, body: .init(string: #"{"ok":true,"members":[{"id":"U0"#))
        }
    }
}
