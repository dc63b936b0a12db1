import Fluent
import SQLKit
import Vapor

struct HealthController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("healthz", use: healthz).publicAccess()
        routes.get("readyz", use: readyz).publicAccess()
    }

    struct Status: Content {
        let status: String
        var database: String?
    }

    /// The process is up.
    func healthz(req: Request) async throws -> Status {
        Status(status: "ok")
    }

    /// The process can reach its database.
    func readyz(req: Request) async throws -> Response {
        let kind = req.services.config.storage.kind
        do {
            guard let sql = req.db as? any SQLDatabase else { throw Abort(.internalServerError) }
            _ = try await sql.raw("SELECT 1 AS ok").first()
            return try await Status(status: "ok", database: kind).encodeResponse(for: req)
        } catch {
            req.logger.warning("readiness check failed: database unreachable", metadata: ["error": "\(String(reflecting: type(of: error)))"])
            let response = try await Status(status: "unavailable", database: kind).encodeResponse(for: req)
            response.status = .serviceUnavailable
            return response
        }
    }
}

extension AppConfig.Storage {
    var kind: String {
        switch self {
        case .sqlite: "sqlite"
        case .postgres: "postgresql"
        }
    }
}
