import Fluent
import Foundation
import PagerDutyKit
import Vapor

/// Drives an app below its HTTP API, for the demo and the benchmarks in the dev target: the
/// one seam they use, so the app's own types stay internal. Each call goes through the same
/// services requests use.
package struct AppDriver: Sendable {
    let services: AppServices
    var db: any Database { services.db }

    package init(_ app: Application) {
        services = app.services
    }

    // MARK: Accounts

    /// An administrator with this password: created, or given the password anew.
    package func ensureAdministrator(email: String, password: String, actor: String) async throws {
        if let existing = try await User.query(on: db).filter(\.$email == User.normalize(email: email)).first() {
            existing.passwordHash = try await services.passwords.hash(password)
            try await existing.save(on: db)
        } else {
            _ = try await services.userAccounts(db).createAdministrator(email: email, password: password, actor: actor)
        }
    }

    /// A new API token for the administrator `email`.
    package func issueToken(for email: String, name: String) async throws -> String {
        try await services.apiTokens(db).issue(for: try await user(email), name: name, actor: email).1
    }

    func user(_ email: String) async throws -> User {
        guard let user = try await User.query(on: db).filter(\.$email == User.normalize(email: email)).first() else { throw AppError.notFound("User \(email)") }
        return user
    }

    // MARK: PagerDuty

    package func connectPagerDuty(apiKey: String, baseURL: String, actor: String) async throws {
        _ = try await services.pagerDutyConnector(db).connect(apiKey: apiKey, region: .us, baseURL: baseURL, actor: actor)
    }

    package func pagerDutySchedules(matching query: String) async throws -> [PDSchedule] {
        try await services.pagerDutyConnector(db).schedules(matching: query)
    }

    // MARK: Jobs

    /// Starts the named background jobs as `serve` would; the returned closure stops them.
    package func startJobs(_ names: Set<String>) -> @Sendable () async -> Void {
        let runner = JobRunner(jobs: AppJobs.all(services).filter { names.contains($0.name) }, database: { [services] in services.db },
                               clock: services.clock, holder: services.instanceID, logger: services.logger("jobs"))
        runner.start()
        return { await runner.stop() }
    }
}
