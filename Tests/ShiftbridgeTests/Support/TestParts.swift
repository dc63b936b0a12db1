@testable import Shiftbridge
import Vapor

/// The parts a test app is built from, kept so a test can move the clock or swap how
/// requests leave the app after it started.
final class TestParts: Sendable {
    let clock: TestClock
    let pagerDuty = SwitchableTransport()
    let webhooks = SwitchableTransport()
    let resolver = SwitchableResolver()

    init(clock: TestClock = TestClock()) {
        self.clock = clock
    }

    var appParts: AppParts {
        var parts = AppParts()
        parts.clock = clock
        parts.pagerDutyTransport = pagerDuty
        parts.webhookTransport = webhooks
        parts.hostResolver = resolver
        parts.passwords = FastPasswords()
        return parts
    }
}

extension Application {
    private struct TestPartsKey: StorageKey { typealias Value = TestParts }

    /// The parts `withTestApp` built this app from.
    var testParts: TestParts {
        get { storage[TestPartsKey.self]! }
        set { storage[TestPartsKey.self] = newValue }
    }
}
