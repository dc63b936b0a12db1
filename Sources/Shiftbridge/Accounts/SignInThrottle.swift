import Foundation

/// Slows password guessing without letting one person lock out another: failures count per
/// account and address pair (a wrong password for one account does not stop another from
/// the same office), with a ceiling per address ten times as high against sweeps of many
/// accounts. A sliding one-minute window.
actor SignInThrottle {
    private let perPair: Int
    private let perAddress: Int
    private let window: TimeInterval
    private var failures: [String: [Date]] = [:]

    init(attemptsPerMinute: Int, window: TimeInterval = 60) {
        perPair = attemptsPerMinute
        perAddress = attemptsPerMinute * 10
        self.window = window
    }

    /// Seconds until `email` may try again from `address`, or nil if it may now.
    func retryAfter(email: String, address: String, now: Date) -> Int? {
        var wait: TimeInterval = 0
        for (key, limit) in [(pairKey(email, address), perPair), ("address:\(address)", perAddress)] {
            let recent = prune(key, now: now)
            if recent.count >= limit, let oldest = recent.first {
                wait = max(wait, oldest.addingTimeInterval(window).timeIntervalSince(now))
            }
        }
        return wait > 0 ? Int(wait.rounded(.up)) : nil
    }

    func recordFailure(email: String, address: String, now: Date) {
        failures[pairKey(email, address), default: []].append(now)
        failures["address:\(address)", default: []].append(now)
    }

    func recordSuccess(email: String, address: String) {
        failures[pairKey(email, address)] = nil
    }

    private func pairKey(_ email: String, _ address: String) -> String { "pair:\(address)|\(email)" }

    private func prune(_ key: String, now: Date) -> [Date] {
        let recent = (failures[key] ?? []).filter { now.timeIntervalSince($0) < window }
        failures[key] = recent.isEmpty ? nil : recent
        return recent
    }
}
