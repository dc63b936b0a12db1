import Fluent
import Foundation
import Logging
import NIOConcurrencyHelpers

/// Runs each job in its own loop until stopped: a pass, then a wait until the job's interval
/// (or the time its pass asked for) has passed. A failed pass is logged and the loop goes on.
final class JobRunner: Sendable {
    private let jobs: [Job]
    private let database: @Sendable () -> any Database
    private let clock: any AppClock
    /// This instance, as lease holder and work claimant.
    private let holder: String
    private let logger: Logger
    private let tasks = NIOLockedValueBox<[Task<Void, Never>]>([])

    init(jobs: [Job], database: @escaping @Sendable () -> any Database, clock: any AppClock, holder: String, logger: Logger) {
        self.jobs = jobs
        self.database = database
        self.clock = clock
        self.holder = holder
        self.logger = logger
    }

    var isRunning: Bool { tasks.withLockedValue { !$0.isEmpty } }

    func start() {
        tasks.withLockedValue { tasks in
            guard tasks.isEmpty else { return }
            tasks = jobs.map { job in Task { await self.loop(job) } }
        }
        logger.info("background jobs started", metadata: ["jobs": "\(jobs.map(\.name).joined(separator: ", "))", "holder": "\(holder)"])
    }

    /// Cancels every loop and waits for passes under way to end, so no write is cut off.
    func stop() async {
        let running = tasks.withLockedValue { tasks in
            defer { tasks = [] }
            return tasks
        }
        for task in running { task.cancel() }
        for task in running { await task.value }
    }

    private func loop(_ job: Job) async {
        while !Task.isCancelled {
            let wake = await runPass(job)
            let wait = wake.map { min(job.interval, max(0.05, $0.timeIntervalSince(clock.now()))) } ?? job.interval
            try? await Task.sleep(for: .milliseconds(Int64(wait * 1000)))
        }
    }

    /// One pass, under the job's lease when it runs on one instance at a time.
    func runPass(_ job: Job) async -> Date? {
        do {
            switch job.sharing {
            case .everyInstance:
                return try await job.pass(holder)
            case .oneInstance:
                return try await runLeased(job)
            }
        } catch is CancellationError {
            return nil
        } catch {
            logger.warning("background job pass failed", metadata: ["job": "\(job.name)", "error": "\(String(describing: error).prefix(300))"])
            return nil
        }
    }

    private enum Outcome: Sendable {
        case finished(Date?)
        case leaseLost
    }

    private func runLeased(_ job: Job) async throws -> Date? {
        let lease = "job:\(job.name)", holder = self.holder, ttl = job.leaseSeconds
        guard try await Leases.acquire(lease, ttl: ttl, on: database(), holder: holder, now: clock.now()) else { return nil }
        // The pass and the lease's renewal side by side: losing the lease stops the pass.
        return try await withThrowingTaskGroup(of: Outcome.self) { group in
            group.addTask { .finished(try await job.pass(holder)) }
            group.addTask {
                while true {
                    try await Task.sleep(for: .milliseconds(Int64(ttl / 3 * 1000)))
                    guard try await Leases.acquire(lease, ttl: ttl, on: self.database(), holder: holder, now: self.clock.now()) else { return .leaseLost }
                }
            }
            defer { group.cancelAll() }
            switch try await group.next() {
            case .finished(let wake): return wake
            case .leaseLost:
                logger.warning("background job lost its lease mid-pass; another instance took it", metadata: ["job": "\(job.name)"])
                return nil
            case nil: return nil
            }
        }
    }
}
