import Fluent
import Foundation
import PagerDutyKit
import Vapor

/// Refreshes the OAuth access token in the background before it expires, so requests never
/// wait on a refresh. One instance does it at a time (a database lease), because a rotated
/// refresh token may be used only once.
struct TokenRefresher: LifecycleHandler {
    static let leaseName = "pagerduty-token-refresh"
    /// Refresh when the token has less than this left.
    static let horizon: TimeInterval = 30 * 60
    let interval: TimeInterval
    private let task = TaskBox()

    init(interval: TimeInterval = 60) {
        self.interval = interval
    }

    func didBootAsync(_ application: Application) async throws {
        let interval = self.interval
        task.start {
            while !Task.isCancelled {
                await Self.runOnce(application)
                try? await Task.sleep(nanoseconds: UInt64(interval * 1_000_000_000))
            }
        }
    }

    func shutdownAsync(_ application: Application) async {
        await task.cancel()
    }

    /// One pass: refresh if due and if this instance holds the lease. Returns whether it refreshed.
    @discardableResult
    static func runOnce(_ app: Application, now: Date = Date()) async -> Bool {
        do {
            guard let connection = try await PagerDutyConnection.current(on: app.db), connection.method == .oauth,
                  connection.status != .needsReconnection,
                  let expires = connection.tokenExpiresAt, expires.timeIntervalSince(now) < horizon
            else { return false }
            guard try await Leases.acquire(leaseName, ttl: 120, on: app.db) else { return false }
            let provider = try app.pagerDuty.tokenProvider(for: connection)
            _ = try await provider.refresh()
            await app.pagerDuty.record(.success(()))
            app.logger.info("PagerDuty OAuth token refreshed ahead of expiry")
            return true
        } catch {
            app.logger.warning("PagerDuty OAuth background refresh failed", metadata: ["error": "\(String(describing: error).prefix(200))"])
            await app.pagerDuty.record(.failure(error))
            return false
        }
    }
}

/// Holds a background task so a lifecycle handler (a value type) can cancel it later.
final class TaskBox: @unchecked Sendable {
    private let lock = NSLock()
    private var task: Task<Void, Never>?

    func start(_ body: @escaping @Sendable () async -> Void) {
        lock.lock()
        defer { lock.unlock() }
        task = Task { await body() }
    }

    func cancel() async {
        let running: Task<Void, Never>? = lock.withLock {
            defer { task = nil }
            return task
        }
        running?.cancel()
        await running?.value
    }
}
