import EmulatorSupport
import Foundation
import Logging
import Vapor

/// A running Slack emulator: an HTTP server on 127.0.0.1 over a `SlackWorkspace`. Slack's
/// Web API is under `/api/`, the install consent under `/oauth/v2/authorize`, the control
/// API and a page under `/_emulator/`.
public final class SlackEmulatorServer: Sendable {
    public let workspace: SlackWorkspace
    public let port: Int
    private let app: Application

    public var baseURL: String { "http://127.0.0.1:\(port)" }
    /// Where the Web API lives: what Shiftbridge's `base_url` and the Python SDK's `base_url` take.
    public var apiBaseURL: String { baseURL + "/api/" }

    private init(app: Application, workspace: SlackWorkspace, port: Int) {
        self.app = app
        self.workspace = workspace
        self.port = port
    }

    /// Starts an emulator. Port 0 picks a free port (tests); the host is always loopback.
    public static func start(port: Int = 8082, seed: SlackWorkspace.Seed = .empty, logLevel: Logger.Level = .warning) async throws -> SlackEmulatorServer {
        let workspace = SlackWorkspace(seed: seed)
        let app = try await Application.make(.custom(name: "slack-emulator"))
        app.logger.logLevel = logLevel
        app.http.server.configuration.hostname = "127.0.0.1"
        app.http.server.configuration.port = port
        app.http.server.configuration.reportMetrics = false
        app.middleware = Middlewares()
        app.routes.defaultMaxBodySize = "1mb"
        WebAPIGate(workspace: workspace).register(app)
        OAuthConsent(workspace: workspace).register(app)
        SlackControl(workspace: workspace).register(app)
        do {
            try await app.server.start(address: .hostname("127.0.0.1", port: port))
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        let boundPort = app.http.server.shared.localAddress?.port ?? port
        return SlackEmulatorServer(app: app, workspace: workspace, port: boundPort)
    }

    public func shutdown() async {
        await app.server.shutdown()
        try? await app.asyncShutdown()
    }

}
