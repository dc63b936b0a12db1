import Fluent
import Foundation
import Vapor

/// Runs the PagerDuty sync under the app's lifecycle: every second, handoffs due on the held
/// timeline are applied (no PagerDuty call); about once a minute each bound rotation is read
/// again from PagerDuty. A rotation's sync is leased to one instance at a time.
struct RotationSyncScheduler: LifecycleHandler {
    static let syncInterval: TimeInterval = 60
    let tick: TimeInterval
    private let task = TaskBox()

    init(tick: TimeInterval = 1) {
        self.tick = tick
    }

    func didBootAsync(_ application: Application) async throws {
        let tick = self.tick
        task.start {
            while !Task.isCancelled {
                await Self.runOnce(application)
                try? await Task.sleep(nanoseconds: UInt64(tick * 1_000_000_000))
            }
        }
    }

    func shutdownAsync(_ application: Application) async {
        await task.cancel()
    }

    /// One pass over the bound rotations. Returns how many were read from PagerDuty.
    @discardableResult
    static func runOnce(_ app: Application) async -> Int {
        do {
            let now = app.now()
            let bound = try await Rotation.query(on: app.db).filter(\.$scheduleType == .pagerduty).filter(\.$enabled == true).all()
            guard !bound.isEmpty else { return 0 }
            let states = Dictionary(try await RotationSync.query(on: app.db).all().map { ($0.$rotation.id, $0) }, uniquingKeysWith: { first, _ in first })
            var synced = 0
            for rotation in bound {
                guard let id = rotation.id else { continue }
                let state = states[id]
                if let until = state?.onDutyUntil, until <= now {
                    try await app.pagerDutySync.applyHeldTimeline(rotation)
                }
                let due = state?.syncedAt.map { now.timeIntervalSince($0) >= syncInterval } ?? true
                let retryStale = state?.staleSince != nil && (state?.syncedAt.map { now.timeIntervalSince($0) >= syncInterval / 4 } ?? true)
                guard due || retryStale, try await Leases.acquire("rotation-sync:\(id)", ttl: syncInterval - 5, on: app.db, now: now) else { continue }
                await app.pagerDutySync.sync(rotation)
                synced += 1
            }
            return synced
        } catch {
            app.logger.warning("rotation sync pass failed", metadata: ["error": "\(String(describing: error).prefix(200))"])
            return 0
        }
    }
}
