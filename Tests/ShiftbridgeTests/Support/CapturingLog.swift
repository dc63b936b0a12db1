import Foundation
import Logging
import NIOConcurrencyHelpers

/// Keeps every log line, so a test can prove no secret was written to the log.
final class CapturingLog: LogHandler, @unchecked Sendable {
    private let lines = NIOLockedValueBox<[String]>([])
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String, function: String, line: UInt) {
        let merged = self.metadata.merging(metadata ?? [:]) { _, new in new }
        lines.withLockedValue { $0.append("\(level) \(message) \(merged)") }
    }

    var text: String { lines.withLockedValue { $0.joined(separator: "\n") } }
}
