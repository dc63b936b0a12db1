import Foundation
import NIOConcurrencyHelpers
import PagerDutyKit
import Testing

/// One credential's budget: the most urgent waiting request goes first, provisioning and
/// reports leave a reserve, and the last minute's spending is counted by purpose.
@Suite struct RequestPacerTests {
    @Test func handoffReadsGoBeforeReportsWhenTheBudgetIsShort() async throws {
        // 60 a minute (one a second) and a burst of 5: the burst goes at once, the rest queue;
        // the next slot is a second away, long after every waiter has queued (even on a busy
        // machine, where starting a task may take a few hundred milliseconds).
        let pacer = RequestPacer(requestsPerMinute: 60, burst: 5)
        for _ in 0..<5 { try await pacer.acquire(priority: .handoff) }
        let order = NIOLockedValueBox<[RequestPriority]>([])
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<3 {
                group.addTask {
                    try await pacer.acquire(priority: .report)
                    order.withLockedValue { $0.append(.report) }
                }
            }
            try await Task.sleep(for: .milliseconds(300))
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
