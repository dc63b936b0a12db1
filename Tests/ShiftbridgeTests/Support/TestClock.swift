import Foundation
import NIOConcurrencyHelpers
@testable import Shiftbridge

/// The app's clock in tests: real time until a test sets it, then still until moved.
final class TestClock: AppClock, Sendable {
    private let fixed = NIOLockedValueBox<Date?>(nil)

    func now() -> Date { fixed.withLockedValue { $0 } ?? Date() }

    func set(_ date: Date) { fixed.withLockedValue { $0 = date } }

    func set(_ iso8601: String) { set(ISO8601DateFormatter().date(from: iso8601)!) }

    func advance(seconds: TimeInterval) { fixed.withLockedValue { $0 = ($0 ?? Date()).addingTimeInterval(seconds) } }

    func advance(hours: Double) { advance(seconds: hours * 3600) }
}
