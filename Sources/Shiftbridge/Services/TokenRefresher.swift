import Fluent
import Foundation
import PagerDutyKit
import Vapor

/// Refreshes the OAuth access token in the background before it expires, so requests never
/// wait on a refresh. One instance does it at a time (a database lease), because a rotated
/// refresh token may be used only once.
enum TokenRefresher {
    static let leaseName = "pagerduty-token-refresh"
    /// Refresh when the token has less than this left.
    static let horizon: TimeInterval = 30 * 60

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
