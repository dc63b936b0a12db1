import Fluent
import Foundation
import NIOConcurrencyHelpers
import Vapor

/// A small per-instance cache for hot reads, each entry kept for `ttl` seconds. It only
/// serves reads that may be that stale: whatever writes the data stays in the database.
final class ReadCache<Value: Sendable>: Sendable {
    private let entries = NIOLockedValueBox<[String: (value: Value, expires: Date)]>([:])
    let ttl: TimeInterval
    let capacity: Int

    init(ttl: TimeInterval, capacity: Int = 20_000) {
        self.ttl = ttl
        self.capacity = capacity
    }

    func get(_ key: String, now: Date = Date()) -> Value? {
        entries.withLockedValue { entries in
            guard let entry = entries[key] else { return nil }
            guard entry.expires > now else {
                entries[key] = nil
                return nil
            }
            return entry.value
        }
    }

    func set(_ key: String, _ value: Value, now: Date = Date()) {
        entries.withLockedValue { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = (value, now.addingTimeInterval(ttl))
        }
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
    func claimWarmUp(now: Date = Date()) -> Bool {
        warmedAt.withLockedValue { warmed in
            if let previous = warmed, now.timeIntervalSince(previous) < ttl, now >= previous { return false }
            warmed = now
            return true
        }
    }
}

extension Application {
    private struct TokenCacheKey: StorageKey { typealias Value = ReadCache<AuthenticatedToken> }
    private struct DutyCacheKey: StorageKey { typealias Value = ReadCache<Rotations.DutyReader> }

    /// API tokens already checked, by digest, for 10 seconds.
    var tokenCache: ReadCache<AuthenticatedToken> {
        if let cache = storage[TokenCacheKey.self] { return cache }
        let cache = ReadCache<AuthenticatedToken>(ttl: 10)
        storage[TokenCacheKey.self] = cache
        return cache
    }

    /// Public rotations' on-duty answers, for five seconds: the hottest read of the API.
    var dutyCache: ReadCache<Rotations.DutyReader> {
        if let cache = storage[DutyCacheKey.self] { return cache }
        let cache = ReadCache<Rotations.DutyReader>(ttl: 5)
        storage[DutyCacheKey.self] = cache
        return cache
    }
}

/// A token's user, as the authenticator found it.
struct AuthenticatedToken: Sendable {
    let user: User
    let tokenID: UUID
}

/// Any write to what an on-duty answer is made of empties this instance's duty cache.
struct DutyCacheInvalidation<M: Model>: AsyncModelMiddleware {
    let cache: ReadCache<Rotations.DutyReader>

    func create(model: M, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        try await next.create(model, on: db)
        cache.removeAll()
    }

    func update(model: M, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        try await next.update(model, on: db)
        cache.removeAll()
    }

    func delete(model: M, force: Bool, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        try await next.delete(model, force: force, on: db)
        cache.removeAll()
    }
}
