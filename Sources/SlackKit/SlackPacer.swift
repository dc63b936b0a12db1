import Crypto
import Foundation
import HTTPTransport
import NIOConcurrencyHelpers

/// Keeps one workspace's calls under each method's tier (per channel for
/// `chat.postMessage`): at most the tier's count in any sliding minute, so Slack's own
/// per-minute windows never overflow, and a burst up to the tier goes out at once. A 429
/// pauses everyone sharing the pacer until `Retry-After` has passed. Given a ledger, each
/// call also takes one of the tier's calls of this minute from the allowance every process
/// of the workspace shares; when the minute's are spent, calls wait for the next minute.
public actor SlackPacer {
    private struct Window {
        var sent: [ContinuousClock.Instant] = []
        var pausedUntil: ContinuousClock.Instant?
    }
    private var windows: [String: Window] = [:]
    private let clock = ContinuousClock()
    /// Share of each tier to use: below 1 leaves room for other apps of the same workspace.
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
    public func acquire(_ method: String, channel: String? = nil, ledger: (any RequestLedger)? = nil, ledgerKey: String = "") async throws {
        let key = Self.key(method, channel)
        let limit = max(1, Int(SlackMethodTier.of(method).perMinute * share))
        if let ledger { try await shareOfMinute(ledger, key: ledgerKey + "|" + key, limit: limit) }
        while true {
            let now = clock.now
            var window = windows[key] ?? Window()
            if let until = window.pausedUntil, until > now {
                try await Task.sleep(until: until, clock: clock)
                continue
            }
            window.sent.removeAll { now - $0 >= Self.window }
            if window.sent.count < limit {
                window.sent.append(now)
                windows[key] = window
                return
            }
            windows[key] = window
            try await Task.sleep(until: window.sent[0] + Self.window, clock: clock)
        }
    }

    /// One call of this minute's allowance for `key`, waiting for the next minute while it is spent.
    private func shareOfMinute(_ ledger: any RequestLedger, key: String, limit: Int) async throws {
        while true {
            let minute = Int64(Date().timeIntervalSince1970 / 60)
            if try await ledger.take(1, key: key, minute: minute, limit: limit) == 1 { return }
            let next = Date(timeIntervalSince1970: Double(minute + 1) * 60)
            try await Task.sleep(for: .milliseconds(max(20, Int(next.timeIntervalSinceNow * 1000) + 10)))
        }
    }

    /// Slack said wait: nobody sharing this pacer calls `method` again before then.
    public func pause(_ method: String, channel: String? = nil, for seconds: TimeInterval) {
        let key = Self.key(method, channel)
        let until = clock.now + .milliseconds(Int(seconds * 1000))
        var window = windows[key] ?? Window()
        if window.pausedUntil.map({ $0 < until }) ?? true { window.pausedUntil = until }
        windows[key] = window
    }

    /// A minute and a half-second: Slack's window opens when its first call arrives, a moment
    /// after this side sent it, so a window exactly 60 s long would run out early here.
    static let window: Duration = .milliseconds(60_500)

    private static func key(_ method: String, _ channel: String?) -> String {
        SlackMethodTier.of(method) == .perChannel ? method + "|" + (channel ?? "") : method
    }
}
