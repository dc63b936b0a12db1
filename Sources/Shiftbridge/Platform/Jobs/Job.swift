import Foundation

/// Background work the runner repeats: a pass now and then, on one instance at a time (under
/// a lease named after the job) or on every instance (the pass claims its work items).
struct Job: Sendable {
    enum Sharing: Sendable {
        /// One instance at a time: the lease is renewed while a pass runs, and a pass stops
        /// when the lease is lost.
        case oneInstance
        /// Every instance: the pass claims each item it works on.
        case everyInstance
    }

    let name: String
    /// The longest wait between two passes.
    let interval: TimeInterval
    let sharing: Sharing
    /// One pass, as `holder` (this instance). Returns when the next pass is due, if sooner.
    let pass: @Sendable (_ holder: String) async throws -> Date?

    init(_ name: String, every interval: TimeInterval, _ sharing: Sharing, pass: @escaping @Sendable (_ holder: String) async throws -> Date?) {
        self.name = name
        self.interval = interval
        self.sharing = sharing
        self.pass = pass
    }

    /// How long the job's lease holds: a few intervals, so a stopped instance's share is
    /// taken over soon, and a slow pass keeps it by renewing.
    var leaseSeconds: TimeInterval { max(15, interval * 3) }
}
