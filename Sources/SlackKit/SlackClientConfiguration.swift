import Foundation
import HTTPTransport

public struct SlackClientConfiguration: Sendable {
    /// Where the Web API lives: `https://slack.com/api/`, or a stand-in such as the emulator.
    public var baseURL: String
    /// Deadline for one request, answer included.
    public var timeout: TimeInterval = 15
    public var maxResponseBytes = 16 << 20
    /// Tries per request, the first included, for 429, 5xx and transport failures.
    public var maxAttempts = 5
    public var baseBackoff: TimeInterval = 0.5
    public var maxBackoff: TimeInterval = 30
    /// A 429 asking for a longer wait than this fails the call instead: the caller's job
    /// reschedules rather than holding its lease for minutes.
    public var maxRetryAfter: TimeInterval = 30
    public var userAgent = "Shiftbridge (+https://github.com/shiftbridge)"
    /// The workspace's allowance shared by every process (each method's tier a minute), and
    /// the key it is counted under; nil counts in this process alone.
    public var ledger: (any RequestLedger)?
    public var ledgerKey = ""

    public static let defaultBaseURL = "https://slack.com/api/"

    public init(baseURL: String = SlackClientConfiguration.defaultBaseURL) {
        self.baseURL = baseURL.hasSuffix("/") ? baseURL : baseURL + "/"
    }
}
