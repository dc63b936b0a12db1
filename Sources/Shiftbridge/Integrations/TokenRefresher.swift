import Fluent
import Foundation
import Logging
import PagerDutyKit

/// Refreshes the OAuth access token before it expires, so requests never wait on a refresh.
/// It runs as a job under a lease (one instance at a time): a rotated refresh token may be
/// used only once.
struct TokenRefresher {
    let db: any Database
    let clock: any AppClock
    let clients: PagerDutyClients
    let logger: Logger

    /// Refresh when the token has less than this left.
    static let horizon: TimeInterval = 30 * 60

    /// Refreshes if due. Returns whether it refreshed.
    @discardableResult
    func runOnce() async -> Bool {
        do {
            guard let connection = try await PagerDutyConnection.current(on: db), connection.method == .oauth, connection.status != .needsReconnection,
                  let expires = connection.tokenExpiresAt, expires.timeIntervalSince(clock.now()) < Self.horizon
            else { return false }
            _ = try await clients.tokenProvider(for: connection).refresh()
            await clients.record(.success(()))
            logger.info("PagerDuty OAuth token refreshed ahead of expiry")
            return true
        } catch {
            logger.warning("PagerDuty OAuth background refresh failed", metadata: ["error": "\(String(describing: error).prefix(200))"])
            await clients.record(.failure(error))
            return false
        }
    }
}
