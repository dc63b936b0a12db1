import Foundation

/// "Now", for everything the app decides by time: handoffs, expiries, leases, backoff. The
/// one place the app reads the system clock; tests and benchmarks bring their own.
package protocol AppClock: Sendable {
    func now() -> Date
}

/// The system's clock.
package struct SystemClock: AppClock {
    package init() {}
    package func now() -> Date { Date() }
}
