import EmulatorSupport
import Foundation
import Logging
import Vapor

/// A running PagerDuty emulator: an HTTP server on 127.0.0.1 over an `EmulatorState`.
public final class EmulatorServer: Sendable {
    public let state: EmulatorState
    public let port: Int
    private let app: Application

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    private init(app: Application, state: EmulatorState, port: Int) {
        self.app = app
        self.state = state
        self.port = port
    }

    /// Starts an emulator. Port 0 picks a free port (tests); the host is always loopback.
    public static func start(port: Int = 8081, seed: EmulatorState.Seed = .empty, region: String = "us",
                             rateLimitPerMinute: Int = 960, rateLimitWindow: TimeInterval = 60,
                             logLevel: Logger.Level = .warning) async throws -> EmulatorServer {
        let state = EmulatorState(seed: seed, rateLimitPerMinute: rateLimitPerMinute, rateLimitWindow: rateLimitWindow)
        let app = try await Application.make(.custom(name: "pagerduty-emulator"))
        app.logger.logLevel = logLevel
        app.http.server.configuration.hostname = "127.0.0.1"
        app.http.server.configuration.port = port
        app.http.server.configuration.reportMetrics = false
        app.middleware = Middlewares()
        app.middleware.use(PlainErrors())
        app.routes.defaultMaxBodySize = "2mb"
        register(on: app, state: state, region: region)
        do {
            try await app.server.start(address: .hostname("127.0.0.1", port: port))
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        let boundPort = app.http.server.shared.localAddress?.port ?? port
        return EmulatorServer(app: app, state: state, port: boundPort)
    }

    static func register(on app: Application, state: EmulatorState, region: String) {
        let rest = REST(state: state)
        let api = app.grouped(PagerDutyGate(state: state))
        rest.registerUsers(api)
        rest.registerTeams(api)
        rest.registerSchedules(api)
        rest.registerPolicies(api)
        Identity(state: state, region: region).register(app)
        Control(state: state).register(app)
    }

    /// Every REST operation the emulator serves, as `"GET /users/{id}"`, with the OAuth scope
    /// it enforces (nil: none). Conformance tests hold this to the spec's `x-pd-requires-scope`.
    public static func operationScopes() async throws -> [String: String?] {
        let app = try await Application.make(.custom(name: "pagerduty-emulator-routes"))
        register(on: app, state: EmulatorState(), region: "us")
        var scopes: [String: String?] = [:]
        for route in app.routes.all where !route.pdPattern.hasPrefix("/_emulator") && !route.pdPattern.hasPrefix("/oauth") {
            scopes["\(route.method.rawValue) \(route.pdPattern)"] = route.pdScope
        }
        try await app.asyncShutdown()
        return scopes
    }

    public func shutdown() async {
        await app.server.shutdown()
        try? await app.asyncShutdown()
    }

}

/// Errors outside the REST gate (unknown paths, bad forms) in PagerDuty's shape.
struct PlainErrors: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch let error as PDError {
            return error.response
        } catch let error as AbortError {
            return PDError(status: error.status, code: error.status == .notFound ? 2100 : 2001, message: error.reason).response
        } catch {
            return PDError(status: .internalServerError, code: 2000, message: "Internal Server Error").response
        }
    }
}
