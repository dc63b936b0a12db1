import Foundation
import NIOConcurrencyHelpers
import Shiftbridge

/// Simulated or real-time-with-offset, shared by the app and an emulator in a benchmark.
final class BenchmarkClock: AppClock {
    private let state = NIOLockedValueBox<(frozen: Date?, offset: TimeInterval)>((nil, 0))
    func now() -> Date { state.withLockedValue { $0.frozen ?? Date().addingTimeInterval($0.offset) } }
    func freeze(_ date: Date) { state.withLockedValue { $0 = (date, 0) } }
    func advance(_ seconds: TimeInterval) { state.withLockedValue { $0.frozen = $0.frozen?.addingTimeInterval(seconds) } }
    func run(from date: Date) { state.withLockedValue { $0 = (nil, date.timeIntervalSinceNow) } }
}
