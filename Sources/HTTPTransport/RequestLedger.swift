import Foundation

/// A credential's requests counted wherever its clients run: processes that share a database
/// take from one allowance per minute, so together they stay under the vendor's limit
/// (PagerDuty's per credential, Slack's per workspace and method).
public protocol RequestLedger: Sendable {
    /// Takes up to `wanted` of the `limit` requests allowed in `minute` (seconds since 1970
    /// divided by 60) for the credential `key`; answers how many it got (0 when spent).
    func take(_ wanted: Int, key: String, minute: Int64, limit: Int) async throws -> Int
}
