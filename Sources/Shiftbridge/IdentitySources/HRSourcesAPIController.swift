import Foundation
import Vapor

/// `/api/v1/provisioning/sources`: HR sources (administrators). Secrets are taken, never given back.
struct HRSourcesAPIController {
    func boot(api: any RoutesBuilder) {
        let sources = api.grouped("provisioning", "sources")
        sources.get(use: list)
        sources.post(use: create)
        sources.get(":source", use: read)
        sources.patch(":source", use: update)
        sources.delete(":source", use: delete)
        sources.post(":source", "run", use: run)
    }

    struct SourceDTO: Content {
        let id: UUID
        let name: String
        let kind: HRSource.Kind
        let every_minutes: Int
        let path: String?
        let pattern: String?
        let url: String?
        let format: ReportFormat?
        let records: String?
        let columns: [String: String]?
        let auth: ReportAuth?
        let user: String?
        let subdomain: String?
        let base_url: String?
        /// The last 4 characters of the password, token or API key.
        let secret_last4: String?
        let last_run_at: Date?
        let last_result: HRSource.Result?
        let last_message: String?
        let failing_since: Date?
        let next_run_at: Date
        /// Set (and the kind's fields absent) when its stored settings cannot be read.
        let unreadable: ErrorBody.Detail?

        /// One source's answer; `marking`: a list marks an unreadable one instead of failing.
        init(_ source: HRSource, marking: Bool = false) throws {
            let settings: HRSourceSettings
            do {
                settings = try source.settings
                unreadable = nil
            } catch let error as UnreadableRecord where marking {
                settings = HRSourceSettings()
                unreadable = .init(message: error.description, code: "unreadable_record")
            }
            id = try source.requireID()
            name = source.name
            kind = source.kind
            every_minutes = source.everyMinutes
            path = settings.path
            pattern = settings.pattern
            url = settings.url
            format = settings.format
            records = settings.records
            columns = settings.columns
            auth = settings.auth
            user = settings.user
            subdomain = settings.subdomain
            base_url = settings.baseURL
            secret_last4 = source.secretLast4
            last_run_at = source.lastRunAt
            last_result = source.lastResult
            last_message = source.lastMessage
            failing_since = source.failingSince
            next_run_at = source.nextRunAt
        }
    }

    struct SourceList: Content { let sources: [SourceDTO] }

    func list(req: Request) async throws -> SourceList {
        _ = try req.requireAdmin()
        return SourceList(sources: try await req.services.hrSources(req.db).list().map { try SourceDTO($0, marking: true) })
    }

    func create(req: Request) async throws -> Response {
        let admin = try req.requireAdmin()
        let source = try await req.services.hrSources(req.db).create(try req.content.decode(HRSourceInput.self), actor: admin.email)
        return try await SourceDTO(source).encodeResponse(status: .created, for: req)
    }

    func read(req: Request) async throws -> SourceDTO {
        _ = try req.requireAdmin()
        return try SourceDTO(try await req.services.hrSources(req.db).find(req.parameters.get("source", as: UUID.self)))
    }

    func update(req: Request) async throws -> SourceDTO {
        let admin = try req.requireAdmin()
        let sources = req.services.hrSources(req.db)
        let source = try await sources.find(req.parameters.get("source", as: UUID.self))
        return try SourceDTO(try await sources.update(source, try req.content.decode(HRSourceInput.self), actor: admin.email))
    }

    func delete(req: Request) async throws -> HTTPStatus {
        let admin = try req.requireAdmin()
        let sources = req.services.hrSources(req.db)
        try await sources.delete(try await sources.find(req.parameters.get("source", as: UUID.self)), actor: admin.email)
        return .noContent
    }

    /// Queues a run now and answers at once (202): fetching a report may take minutes, so the
    /// `hr-sources` job runs it within seconds and the source says how it went.
    func run(req: Request) async throws -> Response {
        _ = try req.requireAdmin()
        let sources = req.services.hrSources(req.db)
        let source = try await sources.requestRun(try await sources.find(req.parameters.get("source", as: UUID.self)))
        return try await SourceDTO(source).encodeResponse(status: .accepted, for: req)
    }
}
