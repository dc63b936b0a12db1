import EmulatorSupport
import Foundation
import NIOCore
import Vapor

/// `/_emulator/*`: how tests, benchmarks and the demo drive the emulator. Loopback only.
struct Control: Sendable {
    let state: EmulatorState

    func register(_ routes: any RoutesBuilder) {
        let control = routes.grouped("_emulator").grouped(LoopbackOnly())
        control.post("reset") { req -> Response in
            let body = req.jsonBody
            let name = body?["seed"]?.string ?? "empty"
            guard let seed = EmulatorState.Seed(rawValue: name) else { return Self.bad("seed must be \"demo\" or \"empty\"") }
            state.reset(seed: seed)
            return .pd(.ok, ["seed": .string(seed.rawValue)])
        }
        control.post("api-keys") { req -> Response in
            .pd(.created, ["key": .string(state.createAPIKey(readOnly: req.jsonBody?["read_only"]?.bool ?? false))])
        }
        control.post("oauth-apps") { req -> Response in
            guard let body = req.jsonBody, let redirect = body["redirect_uri"]?.string, URL(string: redirect)?.scheme != nil else {
                return Self.bad("redirect_uri is required")
            }
            let scopes = (body["scopes"]?.array ?? []).compactMap(\.string)
            let app = state.createOAuthApp(redirectURI: redirect, scopes: scopes)
            return .pd(.created, ["client_id": .string(app.clientID), "client_secret": .string(app.clientSecret)])
        }
        control.post("abilities") { req -> Response in
            // The account's plan: e.g. leave out "audit_records" to act as a plan without them.
            guard let names = req.jsonBody?["abilities"]?.array?.compactMap(\.string) else { return Self.bad("abilities must be a list of names") }
            state.withStorage { $0.account.abilities = names }
            return .pd(.ok, ["abilities": .array(names.map(JSON.string))])
        }
        control.get("clock") { _ -> Response in clock() }
        control.post("clock") { req -> Response in
            do {
                let body = req.jsonBody
                try state.withStorage { try $0.clock.apply(body) }
            } catch let error as ControlRequestError {
                return Self.bad(error.message)
            }
            return clock()
        }
        control.post("faults") { req -> Response in
            do {
                let plan = try FaultPlan.parse(req.jsonBody)
                state.withStorage { $0.faults = plan }
                return .pd(.ok, ["rate": .double(plan.rate), "kinds": .array(plan.kinds.map { .string($0.rawValue) })])
            } catch let error as ControlRequestError {
                return Self.bad(error.message)
            }
        }
        control.delete("faults") { _ -> Response in
            state.withStorage { $0.faults = nil }
            return Response(status: .noContent)
        }
        control.get("stats") { _ -> Response in .pd(.ok, state.withStorage { $0.stats.json }) }
        control.post("stats", "reset") { _ -> Response in
            state.withStorage { $0.stats = Stats() }
            return Response(status: .noContent)
        }
    }

    private func clock() -> Response {
        let (now, frozen) = state.withStorage { ($0.clock.now(), $0.clock.frozenAt != nil) }
        return .pd(.ok, ["now": .string(PDTime.format(now)), "frozen": .bool(frozen)])
    }

    static func bad(_ message: String) -> Response {
        .pd(.badRequest, ["error": ["message": .string(message), "code": 2001]])
    }
}

struct LoopbackOnly: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let ip = request.remoteAddress?.ipAddress ?? ""
        guard ip.hasPrefix("127.") || ip == "::1" || request.remoteAddress == nil else {
            return Control.bad("the control API answers loopback callers only")
        }
        return try await next.respond(to: request)
    }
}

extension Request {
    var jsonBody: JSON? { body.data.flatMap { JSON.parse(Data($0.readableBytesView)) } }
}
