import Foundation
import NIOConcurrencyHelpers
import PagerDutyKit
import Testing

/// One credential's budget: the most urgent waiting request goes first, provisioning and
/// reports leave a reserve, and the last minute's spending is counted by purpose.
@Suite struct RequestPacerTests {
    @Test func handoffReadsGoBeforeReportsWhenTheBudgetIsShort() async throws {
        // 120 a minute (one every 500 ms) and a burst of 5: the burst goes at once, the rest
        // queue; the next slot is half a second away, long after every waiter has queued.
        let pacer = RequestPacer(requestsPerMinute: 120, burst: 5)
        for _ in 0..<5 { try await pacer.acquire(priority: .handoff) }
        let order = NIOLockedValueBox<[RequestPriority]>([])
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<3 {
                group.addTask {
                    try await pacer.acquire(priority: .report)
                    order.withLockedValue { $0.append(.report) }
                }
            }
            try await Task.sleep(for: .milliseconds(250))
            for _ in 0..<3 {
                group.addTask {
                    try await pacer.acquire(priority: .handoff)
                    order.withLockedValue { $0.append(.handoff) }
                }
            }
            try await group.waitForAll()
        }
        // Reports queued first, yet every handoff read went before them.
        #expect(order.withLockedValue { $0 } == [.handoff, .handoff, .handoff, .report, .report, .report])
        let usage = await pacer.lastMinute()
        #expect(usage.total == 11 && usage.byPurpose == ["handoffs": 8, "dashboard": 3])
    }
}
