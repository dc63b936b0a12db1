import Logging
import NIOConcurrencyHelpers

/// What background jobs do with a row they cannot read: skip it, and say so in the log once
/// per process (not at every pass).
final class UnreadableRecords: Sendable {
    private let reported = NIOLockedValueBox<Set<String>>([])
    private let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    func skip(_ record: UnreadableRecord, by job: String) {
        let key = "\(record.table)/\(record.id)/\(record.field)"
        guard reported.withLockedValue({ $0.insert(key).inserted }) else { return }
        logger.error("a stored record cannot be read; it is skipped until it is fixed",
                     metadata: ["job": "\(job)", "table": "\(record.table)", "id": "\(record.id)", "field": "\(record.field)", "reason": "\(record.reason)"])
    }
}
