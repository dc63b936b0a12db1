import EmulatorSupport
import Foundation
import Logging
import Vapor

/// A running BambooHR emulator on 127.0.0.1: the API under
/// `/api/gateway.php/{company}/v1/` (HTTP Basic with the API key as the user; JSON with
/// `Accept: application/json`, else XML), and a control API under `/_emulator/`.
public final class BambooHREmulatorServer: Sendable {
    public let company: BambooCompany
    public let port: Int
    private let app: Application

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    private init(app: Application, company: BambooCompany, port: Int) {
        self.app = app
        self.company = company
        self.port = port
    }

    public static func start(port: Int = 8083, seed: BambooCompany.Seed = .empty, logLevel: Logger.Level = .warning) async throws -> BambooHREmulatorServer {
        let company = BambooCompany(seed: seed)
        let app = try await Application.make(.custom(name: "bamboohr-emulator"))
        app.logger.logLevel = logLevel
        app.middleware = Middlewares()
        app.routes.defaultMaxBodySize = "1mb"
        BambooAPI(company: company).register(app)
        BambooControl(company: company).register(app)
        do {
            try await app.server.start(address: .hostname("127.0.0.1", port: port))
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        return BambooHREmulatorServer(app: app, company: company, port: app.http.server.shared.localAddress?.port ?? port)
    }

    public func shutdown() async {
        await app.server.shutdown()
        try? await app.asyncShutdown()
    }

}
