import Fluent

/// Any write to what an on-duty answer is made of empties this instance's duty cache.
struct DutyCacheInvalidation<M: Model>: AsyncModelMiddleware {
    let cache: ReadCache<RotationDuty.Reader>

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
