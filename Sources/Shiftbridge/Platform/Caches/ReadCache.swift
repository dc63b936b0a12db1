import Fluent
import Foundation
import NIOConcurrencyHelpers

/// A small per-instance cache for hot reads, each entry kept for `ttl` seconds. It only
/// serves reads that may be that stale: whatever writes the data stays in the database.
final class ReadCache<Value: Sendable>: Sendable {
    private let entries = NIOLockedValueBox<[String: (value: Value, expires: Date, tag: String?)]>([:])
    let ttl: TimeInterval
    let capacity: Int

    init(ttl: TimeInterval, capacity: Int = 20_000) {
        self.ttl = ttl
        self.capacity = capacity
    }

    func get(_ key: String, now: Date) -> Value? {
        entries.withLockedValue { entries in
            guard let entry = entries[key] else { return nil }
            guard entry.expires > now else {
                entries[key] = nil
                return nil
            }
            return entry.value
        }
    }

    /// Keeps `value` for the cache's `ttl`, or for `lifetime` when the caller knows better;
    /// `tag` names what it was made from, so a write to that thing can drop just it.
    func set(_ key: String, _ value: Value, now: Date, lifetime: TimeInterval? = nil, tag: String? = nil) {
        entries.withLockedValue { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = (value, now.addingTimeInterval(lifetime ?? ttl), tag)
        }
    }

    /// Drops every entry made from `tag` (all its keys), leaving the rest.
    func removeTagged(_ tag: String) {
        entries.withLockedValue { entries in
            for (key, entry) in entries where entry.tag == tag { entries[key] = nil }
        }
    }

    /// Whether `key` holds a live entry (without taking it).
    func contains(_ key: String, now: Date) -> Bool {
        entries.withLockedValue { $0[key].map { $0.expires > now } ?? false }
    }

    func remove(_ key: String) {
        _ = entries.withLockedValue { $0.removeValue(forKey: key) }
    }

    func removeAll() {
        entries.withLockedValue { $0.removeAll() }
        warmedAt.withLockedValue { $0 = nil }
    }

    private let warmedAt = NIOLockedValueBox<Date?>(nil)

    /// Whether the caller should fill the whole cache now: once per lifetime of its entries,
    /// and again after `removeAll`; one caller at a time.
    func claimWarmUp(now: Date) -> Bool {
        warmedAt.withLockedValue { warmed in
            if let previous = warmed, now.timeIntervalSince(previous) < ttl, now >= previous { return false }
            warmed = now
            return true
        }
    }
}
