import Fluent
import Foundation

/// A write to what an on-duty answer is made of drops it from this instance's duty cache:
/// the answers of the one rotation it belongs to (`rotationOf`), or all of them when it
/// can belong to any (a person's name). With thousands of rotations a sync of one must not
/// empty the cache for all the others.
struct DutyCacheInvalidation<M: Model>: AsyncModelMiddleware {
    let cache: ReadCache<RotationDuty.Reader>
    var rotationOf: @Sendable (M) -> UUID? = { _ in nil }

    /// Once the write is visible: dropped before the commit, a read in between would put
    /// back what is about to change, for the cache's whole lifetime.
    private func drop(_ model: M, on db: any Database) {
        let tag = rotationOf(model).map(RotationDuty.tag), cache = self.cache
        db.afterCommit { if let tag { cache.removeTagged(tag) } else { cache.removeAll() } }
    }

    func create(model: M, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        try await next.create(model, on: db)
        drop(model, on: db)
    }

    func update(model: M, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        try await next.update(model, on: db)
        drop(model, on: db)
    }

    func delete(model: M, force: Bool, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        try await next.delete(model, force: force, on: db)
        drop(model, on: db)
    }
}
