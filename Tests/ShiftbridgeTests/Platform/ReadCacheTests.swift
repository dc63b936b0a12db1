import Foundation
@testable import Shiftbridge
import Testing

@Suite struct ReadCacheTests {
    @Test func entriesExpireByTheirOwnLifetimeAndAreDroppedByTag() {
        let cache = ReadCache<Int>(ttl: 5)
        let now = Date(timeIntervalSince1970: 1_000)
        cache.set("A", 1, now: now, tag: "rotation-a")
        cache.set("a-id", 1, now: now, lifetime: 60, tag: "rotation-a")
        cache.set("B", 2, now: now, lifetime: 60, tag: "rotation-b")
        #expect(cache.get("A", now: now.addingTimeInterval(6)) == nil, "the cache's own 5 s")
        #expect(cache.get("a-id", now: now.addingTimeInterval(6)) == 1 && cache.contains("B", now: now.addingTimeInterval(59)))
        // A write to rotation A drops A's answers only.
        cache.removeTagged("rotation-a")
        #expect(cache.get("a-id", now: now) == nil && cache.get("B", now: now) == 2)
        cache.removeAll()
        #expect(cache.get("B", now: now) == nil)
    }
}
