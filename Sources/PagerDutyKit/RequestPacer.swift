import Crypto
import Foundation

/// Keeps one credential's requests under PagerDuty's 960 per minute, serially, serving the
/// most urgent first: a request waits while a more urgent one waits, and provisioning and
/// reports leave the last fifth of the burst to handoffs and sync.
///
/// A token bucket: 15.5 per second sustained, and a burst of up to 100 back-to-back (a
/// 10,000-user list is 100 pages, read in about a second rather than six). PagerDuty counts
/// per minute, so a burst is within its limit; should a burst and a full minute add up past
/// 960, `ratelimit-remaining`/`ratelimit-reset` and 429s pause everyone sharing the
/// credential until PagerDuty's window resets.
///
/// Given a `RequestLedger`, a request also needs a share of the minute's allowance common to
/// every process using the credential, taken `grantSize` at a time; when the minute's
/// allowance is spent, requests wait for the next minute.
public actor RequestPacer {
    private let ratePerSecond: Double
    private let burst: Double
    private var tokens: Double
    private var lastRefill: ContinuousClock.Instant
    private var pausedUntil: ContinuousClock.Instant?
    private let clock = ContinuousClock()
    private var waiting: [RequestPriority: Int] = [:]
    /// When each request of the last minute went out, and what for.
    private var spent: [(at: ContinuousClock.Instant, priority: RequestPriority)] = []
    public let requestsPerMinute: Int

    private static let registry = PacerRegistry()
    /// Requests taken from the ledger for `grantMinute` and not yet sent.
    private var granted = 0
    private var grantMinute: Int64 = 0
    private var askingLedger = false
    static let grantSize = 20

    /// The pacer every client using `credential` shares in this process: PagerDuty counts
    /// per credential, however many clients send with it.
    public static func shared(for credential: PagerDutyCredential) -> RequestPacer {
        registry.pacer(for: credential.pacingKey)
    }

    public init(requestsPerMinute: Int = 930, burst: Int = 100) {
        self.requestsPerMinute = requestsPerMinute
        ratePerSecond = Double(requestsPerMinute) / 60
        self.burst = Double(burst)
        tokens = Double(burst)
        lastRefill = ContinuousClock.now
    }

    /// Waits until a request may be sent, then takes its slot (and, with a ledger, a share of
    /// the allowance every process using `key` draws on).
    public func acquire(priority: RequestPriority = .sync, ledger: (any RequestLedger)? = nil, key: String = "") async throws {
        waiting[priority, default: 0] += 1
        defer { waiting[priority, default: 1] -= 1 }
        while true {
            let now = clock.now
            if let pausedUntil, pausedUntil > now {
                try await Task.sleep(until: pausedUntil, clock: clock)
                continue
            }
            refill(now)
            let urgentWaiting = waiting.contains { $0.key < priority && $0.value > 0 }
            let floor = priority >= .provisioning ? burst / 5 : 0
            if tokens >= 1 + floor && !urgentWaiting {
                if let ledger, !(try await shareGranted(ledger, key: key)) { continue }
                tokens -= 1
                spent.append((now, priority))
                if spent.count > 4 * requestsPerMinute { spent.removeFirst(spent.count - 2 * requestsPerMinute) }
                return
            }
            let wait = max(0.02, (1 + floor - tokens) / ratePerSecond)
            try await Task.sleep(for: .milliseconds(Int((wait * 1000).rounded(.up))))
        }
    }

    /// Takes one request from this minute's grant, asking the ledger for more when it is used
    /// up. False when the caller should look again: another caller is asking, or the minute's
    /// allowance is spent (then it has slept until the next minute).
    private func shareGranted(_ ledger: any RequestLedger, key: String) async throws -> Bool {
        let minute = Int64(Date().timeIntervalSince1970 / 60)
        if grantMinute != minute { granted = 0; grantMinute = minute }
        if granted > 0 {
            granted -= 1
            return true
        }
        if askingLedger {
            try await Task.sleep(for: .milliseconds(20))
            return false
        }
        askingLedger = true
        defer { askingLedger = false }
        let got = try await ledger.take(Self.grantSize, key: key, minute: minute, limit: requestsPerMinute)
        if grantMinute == minute { granted += got }
        if got == 0 {
            let next = Date(timeIntervalSince1970: Double(minute + 1) * 60)
            try await Task.sleep(for: .milliseconds(max(20, Int(next.timeIntervalSinceNow * 1000) + 10)))
        }
        return false
    }

    /// Requests sent in the last minute, in all and by what they were for.
    public func lastMinute() -> (total: Int, byPurpose: [String: Int]) {
        let since = clock.now - .seconds(60)
        spent.removeAll { $0.at < since }
        var byPurpose: [String: Int] = [:]
        for entry in spent { byPurpose[entry.priority.label, default: 0] += 1 }
        return (spent.count, byPurpose)
    }

    /// Reads PagerDuty's rate-limit headers; pauses when the window is spent.
    public func observe(remaining: Int?, resetSeconds: Double?) {
        guard let remaining, let resetSeconds, remaining <= 0 else { return }
        pause(for: resetSeconds)
    }

    public func pause(for seconds: Double) {
        let until = clock.now + .milliseconds(Int(seconds * 1000))
        if pausedUntil.map({ $0 < until }) ?? true { pausedUntil = until }
    }

    private func refill(_ now: ContinuousClock.Instant) {
        let elapsed = now - lastRefill
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        tokens = min(burst, tokens + seconds * ratePerSecond)
        lastRefill = now
    }
}

final class PacerRegistry: @unchecked Sendable {
    private let lock = NSLock()
    private var pacers: [String: RequestPacer] = [:]

    func pacer(for key: String) -> RequestPacer {
        lock.lock()
        defer { lock.unlock() }
        if let pacer = pacers[key] { return pacer }
        let pacer = RequestPacer()
        pacers[key] = pacer
        return pacer
    }
}

extension PagerDutyCredential {
    /// Identifies the credential for pacing without keeping the secret itself as a key.
    var pacingKey: String {
        switch self {
        case .apiKey(let key): "key:" + SHA256.hash(data: Data(key.utf8)).prefix(16).map { String(format: "%02x", $0) }.joined()
        // PagerDuty counts an app's requests per account: one pacer per app, however many
        // providers (token versions) serve it.
        case .oauth(let provider): "oauth:" + SHA256.hash(data: Data((provider.app.clientID + "@" + provider.app.identityBaseURL).utf8)).prefix(16)
            .map { String(format: "%02x", $0) }.joined()
        }
    }
}
