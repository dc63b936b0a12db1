import Foundation
import ShiftbridgeCore
import Testing

@Suite struct SyncSchedulingTests {
    let now = ISO8601DateFormatter().date(from: "2026-03-02T12:00:00Z")!
    let ids = (0..<6).map { _ in UUID() }

    func bound(_ index: Int, schedule: String, syncedAgo: TimeInterval?, staleAgo: TimeInterval? = nil) -> SyncScheduling.Bound {
        .init(id: ids[index], scheduleIDs: [schedule], syncedAt: syncedAgo.map { now.addingTimeInterval(-$0) }, staleSince: staleAgo.map { now.addingTimeInterval(-$0) })
    }

    func decide(_ rotations: [SyncScheduling.Bound], changed: Set<String> = [], allowance: Int = 0) -> SyncScheduling.Decision {
        SyncScheduling.decide(rotations, changedSchedules: changed, refreshAllowance: allowance, now: now, syncInterval: 60, refreshInterval: 3600)
    }

    @Test func changedNeverReadAndFailedRotationsAreDueFirst() {
        let rotations = [bound(0, schedule: "PA", syncedAgo: 30), bound(1, schedule: "PB", syncedAgo: nil), bound(2, schedule: "PC", syncedAgo: 30),
                         bound(3, schedule: "PD", syncedAgo: 20, staleAgo: 20), bound(4, schedule: "PE", syncedAgo: 5, staleAgo: 5)]
        let decision = decide(rotations, changed: ["PC"])
        // PB was never read; PC changed; PD failed 20 s ago (a retry after 15 s); PE failed only 5 s ago.
        #expect(decision.due == [ids[1], ids[2], ids[3]])
        #expect(decision.refreshes == 0)
    }

    @Test func theRefreshTakesTheOldestWithinItsAllowance() {
        let rotations = [bound(0, schedule: "PA", syncedAgo: 1900), bound(1, schedule: "PB", syncedAgo: 3000), bound(2, schedule: "PC", syncedAgo: 2500),
                         bound(3, schedule: "PD", syncedAgo: 600)]
        let decision = decide(rotations, allowance: 2)
        // Older than half the refresh interval, oldest first, two of them; PD is too fresh.
        #expect(decision.due == [ids[1], ids[2]])
        #expect(decision.refreshes == 2)
        #expect(decide(rotations, allowance: 0).due.isEmpty)
    }

    @Test func aRotationIsDueOnceWhateverMakesItDue() {
        let rotations = [bound(0, schedule: "PA", syncedAgo: nil, staleAgo: 100)]
        #expect(decide(rotations, changed: ["PA"], allowance: 5).due == [ids[0]])
    }
}
