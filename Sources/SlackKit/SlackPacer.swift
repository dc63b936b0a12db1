import Crypto
import Foundation
import NIOConcurrencyHelpers

/// Keeps one workspace's calls under each method's tier: a token bucket per method (per
/// channel for `chat.postMessage`), with a short burst, and a pause when Slack answers 429.
public actor SlackPacer {
    private struct Bucket {
        var tokens: Double
        var last: ContinuousClock.Instant
        var pausedUntil: ContinuousClock.Instant?
    }
    private var buckets: [String: Bucket] = [:]
    private let clock = ContinuousClock()
    /// Share of each tier to use: below 1 leaves room for other apps' clocks drifting.
    private let share: Double

    private static let registry = NIOLockedValueBox<[String: SlackPacer]>([:])

    /// The pacer every client of one workspace credential shares in this process.
    public static func shared(for key: String) -> SlackPacer {
        let digest = SHA256.hash(data: Data(key.utf8)).prefix(12).map { String(format: "%02x", $0) }.joined()
        return registry.withLockedValue { pacers in
            if let pacer = pacers[digest] { return pacer }
            let pacer = SlackPacer()
            pacers[digest] = pacer
            return pacer
        }
    }

    public init(share: Double = 1) {
        self.share = share
    }

    /// Waits until `method` (on `channel`, for per-channel methods) may be called, then takes its slot.
    public func acquire(_ method: String, channel: String? = nil) async throws {
        let tier = SlackMethodTier.of(method)
        let key = tier == .perChannel ? method + "|" + (channel ?? "") : method
        let rate = tier.perMinute * share / 60
        let burst = max(1, (tier.perMinute * share / 6).rounded(.down))
        while true {
            let now = clock.now
            var bucket = buckets[key] ?? Bucket(tokens: burst, last: now)
            if let until = bucket.pausedUntil, until > now {
                try await Task.sleep(until: until, clock: clock)
                continue
            }
            let elapsed = now - bucket.last
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(burst, bucket.tokens + seconds * rate)
            bucket.last = now
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                buckets[key] = bucket
                return
            }
            buckets[key] = bucket
            try await Task.sleep(for: .milliseconds(Int(((1 - bucket.tokens) / rate * 1000).rounded(.up))))
        }
    }

    /// Slack said wait: nobody sharing this pacer calls `method` again before then.
    public func pause(_ method: String, channel: String? = nil, for seconds: TimeInterval) {
        let key = SlackMethodTier.of(method) == .perChannel ? method + "|" + (channel ?? "") : method
        let until = clock.now + .milliseconds(Int(seconds * 1000))
        var bucket = buckets[key] ?? Bucket(tokens: 0, last: clock.now)
        if bucket.pausedUntil.map({ $0 < until }) ?? true { bucket.pausedUntil = until }
        bucket.tokens = 0
        buckets[key] = bucket
    }
}
