import Foundation
import PagerDutyKit

/// The parts the composition root is built from that a test or benchmark may replace: the
/// clock, how HTTP leaves the process, how names resolve, how passwords are hashed.
package struct AppParts: Sendable {
    package var clock: any AppClock = SystemClock()
    package var pagerDutyTransport: any HTTPTransport = AsyncHTTPClientTransport()
    package var webhookTransport: any HTTPTransport = AsyncHTTPClientTransport()
    package var slackTransport: any HTTPTransport = AsyncHTTPClientTransport()
    package var hostResolver: any HostResolver = SystemHostResolver()
    /// Nil: Bcrypt on the application's thread pool.
    package var passwords: (any PasswordHashing)? = nil

    package init() {}

    package static var live: AppParts { AppParts() }
}
