import Foundation

/// Counts failed sign-ins per client address and per email in a sliding one-minute window,
/// so password guessing is slowed whichever of the two an attacker varies.
actor LoginRateLimiter {
    private let limit: Int
    private let window: TimeInterval
    private var failures: [String: [Date]] = [:]

    init(limit: Int, window: TimeInterval = 60) {
        self.limit = limit
        self.window = window
    }

    /// Seconds until another attempt is allowed for any of `keys`, or nil if allowed now.
    func retryAfter(keys: [String], now: Date = Date()) -> Int? {
        var wait: TimeInterval = 0
        for key in keys {
            let recent = prune(key, now: now)
            if recent.count >= limit, let oldest = recent.first {
                wait = max(wait, oldest.addingTimeInterval(window).timeIntervalSince(now))
            }
        }
        return wait > 0 ? Int(wait.rounded(.up)) : nil
    }

    func recordFailure(keys: [String], now: Date = Date()) {
        for key in keys {
            failures[key, default: []].append(now)
        }
    }

    func reset(keys: [String]) {
        for key in keys { failures[key] = nil }
    }

    private func prune(_ key: String, now: Date) -> [Date] {
        let recent = (failures[key] ?? []).filter { now.timeIntervalSince($0) < window }
        failures[key] = recent.isEmpty ? nil : recent
        return recent
    }
}
