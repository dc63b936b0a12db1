import Foundation
import Vapor

/// Runs a job every `interval` seconds under the app's lifecycle: started when the server
/// boots, stopped (and awaited) at shutdown.
struct PeriodicJob: LifecycleHandler {
    let interval: TimeInterval
    let job: @Sendable (Application) async -> Void
    private let task = TaskBox()

    init(every interval: TimeInterval, _ job: @escaping @Sendable (Application) async -> Void) {
        self.interval = interval
        self.job = job
    }

    func didBootAsync(_ application: Application) async throws {
        let interval = self.interval, job = self.job
        task.start {
            while !Task.isCancelled {
                await job(application)
                try? await Task.sleep(nanoseconds: UInt64(interval * 1_000_000_000))
            }
        }
    }

    func shutdownAsync(_ application: Application) async {
        await task.cancel()
    }
}

/// Holds a background task so a lifecycle handler (a value type) can cancel it later.
final class TaskBox: @unchecked Sendable {
    private let lock = NSLock()
    private var task: Task<Void, Never>?

    func start(_ body: @escaping @Sendable () async -> Void) {
        lock.withLock { task = Task { await body() } }
    }

    func cancel() async {
        let running: Task<Void, Never>? = lock.withLock {
            defer { task = nil }
            return task
        }
        running?.cancel()
        await running?.value
    }
}
