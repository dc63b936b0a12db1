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

    /// How long the job's lease holds (renewed every third of it while a pass runs): by
    /// default a few intervals, so a stopped instance's share is taken over soon.
    let leaseSeconds: TimeInterval

    init(_ name: String, every interval: TimeInterval, _ sharing: Sharing, leaseSeconds: TimeInterval? = nil,
         pass: @escaping @Sendable (_ holder: String) async throws -> Date?) {
        self.name = name
        self.interval = interval
        self.sharing = sharing
        self.leaseSeconds = leaseSeconds ?? max(15, interval * 3)
        self.pass = pass
    }
}
