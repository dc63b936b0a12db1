import Foundation

/// A fixed window of counted requests, as Slack counts them.
struct RateWindow: Sendable {
    var start: Date
    var count: Int
}
