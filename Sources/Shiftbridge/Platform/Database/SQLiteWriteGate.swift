import NIOConcurrencyHelpers
import NIOCore

/// One write transaction at a time per SQLite file, in this process, first come first served.
/// SQLite allows one writer anyway; without a queue, writers on other connections wait in
/// SQLite's busy handler, which sleeps in growing steps (tens of milliseconds), so under load
/// most of a write's time was spent asleep rather than waiting its turn.
final class SQLiteWriteGate: Sendable {
    private struct State {
        var busy = false
        var waiting: [EventLoopPromise<Void>] = []
    }

    private let state = NIOLockedValueBox(State())

    func enter(on eventLoop: any EventLoop) -> EventLoopFuture<Void> {
        state.withLockedValue { state in
            guard state.busy else {
                state.busy = true
                return eventLoop.makeSucceededVoidFuture()
            }
            let promise = eventLoop.makePromise(of: Void.self)
            state.waiting.append(promise)
            return promise.futureResult
        }
    }

    func leave() {
        let next = state.withLockedValue { state -> EventLoopPromise<Void>? in
            guard !state.waiting.isEmpty else {
                state.busy = false
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.succeed()
    }
}
