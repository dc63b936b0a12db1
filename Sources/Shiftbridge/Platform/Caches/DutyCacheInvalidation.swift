import Fluent
import Foundation

/// A write to what an on-duty answer is made of drops it from this instance's duty cache:
/// the answers of the one rotation it belongs to (`rotationOf`), or all of them when it
/// can belong to any (a person's name). With thousands of rotations a sync of one must not
/// empty the cache for all the others.
struct DutyCacheInvalidation<M: Model>: AsyncModelMiddleware {
    let cache: ReadCache<RotationDuty.Reader>
    var rotationOf: @Sendable (M) -> UUID? = { _ in nil }

    private func drop(_ model: M) {
        if let id = rotationOf(model) { cache.removeTagged(RotationDuty.tag(id)) } else { cache.removeAll() }
    }

    func create(model: M, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        try await next.create(model, on: db)
        drop(model)
    }

    func update(model: M, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        try await next.update(model, on: db)
        drop(model)
    }

    func delete(model: M, force: Bool, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        try await next.delete(model, force: force, on: db)
        drop(model)
    }
}
